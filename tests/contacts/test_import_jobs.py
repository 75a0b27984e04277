"""A large contact file is checked and imported by jobs: the same code, all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contacts.import_jobs import rows_at_most
from contacts.models import Contact, ContactImport, Salesperson
from core.models import Job
from tests.factories import CompanyFactory, MailingGroupFactory, SalespersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

UPLOAD_URL = reverse("contacts:contact_import_upload")
CSV = (
    "type,name,company,country,email,salesperson,mailing_groups\n"
    "company,Brno Tools,,CZ,info@brnotools.cz,JO,\n"
    "person,Jana Nováková,Brno Tools,CZ,jana@brnotools.cz,JO,NEWSLETTER\n"
    "person,Erik Holm,Existing AB,SE,erik@example.se,,NEWSLETTER\n"
)


@pytest.fixture
def reference_data(transactional_db, settings):
    settings.IMPORT_ROWS_IN_REQUEST = 2
    SalespersonFactory(code="JO")
    MailingGroupFactory(code="NEWSLETTER")
    return CompanyFactory(name="Existing AB")


def _upload(client, content=CSV, name="contacts.csv"):
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data)})


def _run_url(contact_import):
    return reverse("contacts:contact_import_run", args=[contact_import.pk])


def _imported(contacts):
    return sorted(
        (
            contact.type,
            contact.name,
            contact.company.name if contact.company else "",
            contact.email,
            contact.salesperson.code if contact.salesperson else "",
            tuple(contact.mailing_groups.values_list("code", flat=True)),
        )
        for contact in contacts
    )


def test_a_large_file_is_checked_by_a_job(marketing_client, reference_data, run_jobs):
    response = _upload(marketing_client)

    job = Job.objects.get()
    contact_import = ContactImport.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.total) == ("contact_import_check", 3)
    assert contact_import.status == "checking"
    page = marketing_client.get(contact_import.get_absolute_url()).content.decode()
    assert job.get_absolute_url() in page
    assert "Import 3 contacts" not in page

    run_jobs()

    job.refresh_from_db()
    contact_import.refresh_from_db()
    assert (job.state, job.done, job.total) == ("done", 3, 3)
    assert (contact_import.status, contact_import.row_count) == ("previewed", 3)
    assert contact_import.error_count == 0
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert "3 rows checked, 0 with errors." in page
    assert contact_import.get_absolute_url() in page
    page = marketing_client.get(contact_import.get_absolute_url()).content.decode()
    assert "Import 3 contacts" in page


def test_an_excel_sheet_is_measured_by_its_dimension(marketing_client, reference_data):
    workbook = Workbook()
    for row in CSV.splitlines():
        workbook.active.append(row.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)

    _upload(marketing_client, buffer.getvalue(), name="contacts.xlsx")

    assert Job.objects.get().kind == "contact_import_check"


def test_a_large_import_starts_one_job_and_writes_nothing(
    marketing_client, reference_data, run_jobs
):
    _upload(marketing_client)
    run_jobs()
    contact_import = ContactImport.objects.get()
    count = Contact.objects.count()

    response = marketing_client.post(_run_url(contact_import))
    again = marketing_client.post(_run_url(contact_import))

    job = Job.objects.get(kind="contact_import")
    assert response.url == again.url == job.get_absolute_url()
    assert (job.total, job.state) == (3, "queued")
    assert Contact.objects.count() == count
    assert ContactImport.objects.get().status == "previewed"


def test_the_import_job_imports_what_the_request_imports(
    marketing_client, reference_data, run_jobs, settings
):
    settings.IMPORT_ROWS_IN_REQUEST = 3
    _upload(marketing_client)
    marketing_client.post(_run_url(ContactImport.objects.get()))
    in_request = _imported(Contact.objects.exclude(pk=reference_data.pk))
    last = Contact.objects.order_by("pk").last().pk
    settings.IMPORT_ROWS_IN_REQUEST = 2

    _upload(marketing_client)
    run_jobs()
    contact_import = ContactImport.objects.get(status="previewed")
    marketing_client.post(_run_url(contact_import))
    run_jobs()

    job = Job.objects.get(kind="contact_import")
    contact_import.refresh_from_db()
    assert (job.state, job.done) == ("done", 3)
    assert (contact_import.status, contact_import.imported_count) == ("imported", 3)
    assert _imported(Contact.objects.filter(pk__gt=last)) == in_request
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert "Imported 3 contacts." in page
    assert reverse("contacts:contact_list") in page


def test_rows_wrong_by_the_time_of_the_job_fail_it_and_import_nothing(
    marketing_client, reference_data, run_jobs
):
    _upload(marketing_client)
    run_jobs()
    contact_import = ContactImport.objects.get()
    marketing_client.post(_run_url(contact_import))
    Salesperson.objects.filter(code="JO").delete()
    count = Contact.objects.count()

    run_jobs()

    job = Job.objects.get(kind="contact_import")
    contact_import.refresh_from_db()
    assert job.state == "failed"
    assert job.error == "2 rows have errors; nothing was imported."
    assert job.details["links"] == [
        [contact_import.get_absolute_url(), "See the errors"]
    ]
    assert Contact.objects.count() == count
    assert contact_import.status == "previewed"
    assert contact_import.error_count == 2
    assert contact_import.errors[0][:2] == [2, "salesperson"]


def test_a_large_file_that_cannot_be_read_fails_its_check_and_is_not_kept(
    marketing_client, reference_data, run_jobs
):
    _upload(marketing_client, "city\nBrno\nLyon\nLeeds\n")

    run_jobs()

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error == "The file has no “name” column."
    assert not ContactImport.objects.exists()


def test_a_small_file_is_checked_and_imported_in_the_request(
    marketing_client, reference_data, settings
):
    settings.IMPORT_ROWS_IN_REQUEST = 4

    response = _upload(marketing_client)
    contact_import = ContactImport.objects.get()
    assert response.url == contact_import.get_absolute_url()
    marketing_client.post(_run_url(contact_import))

    assert ContactImport.objects.get().imported_count == 3
    assert not Job.objects.exists()


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_the_upload_counts_rows_with_any_line_ending(line_end):
    lines = ["name", "A", "B", "C"]

    with_end = SimpleUploadedFile("c.csv", line_end.join([*lines, ""]).encode())
    without_end = SimpleUploadedFile("c.csv", line_end.join(lines).encode())

    assert rows_at_most(with_end) == rows_at_most(without_end) == 3
