import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contacts.models import Contact, ContactImport, NumberSeries, Salesperson
from tests.factories import (
    CompanyFactory,
    IndustryGroupFactory,
    MailingGroupFactory,
    SalespersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("contacts:contact_import_upload")

GOOD_CSV = (
    "type;name;company;city;country;email;language;correspondence_type;salesperson;"
    "mailing_groups;industry_groups;exclude_from_segments\n"
    "company;Brno Tools s.r.o.;;Brno;cz;info@brnotools.cz;cs;hard copy;JO;;RETAIL;no\n"
    "person;Jana Nováková;Brno Tools s.r.o.;Brno;CZ;jana@brnotools.cz;CS;email;JO;"
    "NEWSLETTER, XMAS;;yes\n"
    "person;Erik Holm;{existing};Uppsala;SE;erik@example.se;sv;;;;;\n"
)


@pytest.fixture
def reference_data():
    SalespersonFactory(code="JO")
    MailingGroupFactory(code="NEWSLETTER")
    MailingGroupFactory(code="XMAS")
    IndustryGroupFactory(code="RETAIL")
    return CompanyFactory(name="Existing AB")


def _upload(client, content: str | bytes, name="contacts.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data)})


def _good_csv(existing, bom=True) -> str:
    return ("\ufeff" if bom else "") + GOOD_CSV.format(existing=existing.number)


def test_a_csv_with_semicolons_and_a_bom_is_previewed_then_imported(
    marketing_client, reference_data
):
    response = _upload(marketing_client, _good_csv(reference_data))
    contact_import = ContactImport.objects.get()
    assert response.url == contact_import.get_absolute_url()
    assert Contact.objects.count() == 1

    preview = marketing_client.get(response.url).content.decode()
    assert "Import 3 contacts" in preview
    assert "Jana Nováková" in preview

    response = marketing_client.post(
        reverse("contacts:contact_import_run", args=[contact_import.pk]), follow=True
    )

    assert "Imported 3 contacts." in response.content.decode()
    company = Contact.objects.get(name="Brno Tools s.r.o.")
    jana = Contact.objects.get(name="Jana Nováková")
    erik = Contact.objects.get(name="Erik Holm")
    assert company.is_company and company.country == "CZ"
    assert company.correspondence_type == "hard_copy"
    assert list(company.industry_groups.values_list("code", flat=True)) == ["RETAIL"]
    assert jana.company == company and jana.language == "cs"
    assert jana.exclude_from_segments and jana.salesperson.code == "JO"
    assert sorted(jana.mailing_groups.values_list("code", flat=True)) == [
        "NEWSLETTER",
        "XMAS",
    ]
    assert erik.company == reference_data


def test_imported_contacts_get_consecutive_numbers(marketing_client, reference_data):
    NumberSeries.objects.filter(code="contact").update(last_number=100)
    _upload(marketing_client, _good_csv(reference_data, bom=False))

    marketing_client.post(
        reverse("contacts:contact_import_run", args=[ContactImport.objects.get().pk])
    )

    numbers = Contact.objects.exclude(pk=reference_data.pk).values_list(
        "number", flat=True
    )
    assert sorted(numbers) == ["CT000101", "CT000102", "CT000103"]


def test_an_xlsx_file_is_imported(marketing_client, reference_data):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Type", "Country", "Privacy Blocked"])
    sheet.append(["Åsa Öberg", "Person", "SE", True])
    sheet.append(["Nordic Paper AB", "company", "SE", None])
    buffer = io.BytesIO()
    workbook.save(buffer)

    _upload(marketing_client, buffer.getvalue(), name="contacts.xlsx")
    marketing_client.post(
        reverse("contacts:contact_import_run", args=[ContactImport.objects.get().pk])
    )

    assert Contact.objects.get(name="Åsa Öberg").privacy_blocked
    assert Contact.objects.get(name="Nordic Paper AB").is_company


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("person;Bad Mail;x@;SE;;", "email", "valid email"),
        ("person;No Seller;a@b.se;SE;NOBODY;", "salesperson", "no salesperson"),
        ("person;;a@b.se;SE;;", "name", "name is required"),
        ("person;Bad Country;a@b.se;XX;;", "country", "ISO country code"),
        ("person;Groupie;a@b.se;SE;;RETAIL", "industry_groups", "persons inherit"),
        ("robot;Bad Type;a@b.se;SE;;", "type", "company"),
    ],
)
def test_a_file_with_one_bad_row_shows_the_error_and_imports_nothing(
    marketing_client, reference_data, row, column, message
):
    content = (
        "type;name;email;country;salesperson;industry_groups\n"
        "person;Good Row;good@example.com;SE;JO;\n" + row + "\n"
    )
    count_before = Contact.objects.count()

    response = _upload(marketing_client, content)
    page = marketing_client.get(response.url).content.decode()
    contact_import = ContactImport.objects.get()
    assert contact_import.error_count == 1
    assert contact_import.errors[0][:2] == [3, column]
    assert message in contact_import.errors[0][2]
    assert "Nothing can be imported" in page

    response = marketing_client.post(
        reverse("contacts:contact_import_run", args=[contact_import.pk]), follow=True
    )

    assert "nothing was imported" in response.content.decode()
    assert Contact.objects.count() == count_before


def test_ignored_and_unknown_columns_are_reported(marketing_client):
    _upload(marketing_client, "number,name,shoe_size\nCT999999,Somebody,42\n")

    assert ContactImport.objects.get().ignored_columns == ["number", "shoe_size"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("contacts.txt", "name\nX\n", "Upload a .csv or .xlsx file"),
        ("contacts.csv", "", "The submitted file is empty"),
        ("contacts.csv", "city\nBrno\n", "no “name” column"),
        ("contacts.csv", "name\n", "no contacts"),
        ("contacts.xlsx", "name\nnot really excel\n", "not a readable Excel"),
        ("contacts.csv", "name\nŽluť\n".encode("cp1250"), "not UTF-8"),
    ],
)
def test_unusable_files_are_refused_with_a_message(
    marketing_client, name, content, message
):
    response = _upload(marketing_client, content, name=name)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ContactImport.objects.exists()


def test_an_import_cannot_run_twice(marketing_client, reference_data):
    _upload(marketing_client, _good_csv(reference_data))
    url = reverse("contacts:contact_import_run", args=[ContactImport.objects.get().pk])
    marketing_client.post(url)
    count = Contact.objects.count()

    response = marketing_client.post(url, follow=True)

    assert "imported already" in response.content.decode()
    assert Contact.objects.count() == count


def test_a_user_without_access_cannot_import(outsider_client):
    assert outsider_client.get(UPLOAD_URL).status_code == 403


def test_another_users_import_is_not_found(marketing_client, reference_data):
    other = UserFactory(groups=["Marketing"])
    contact_import = ContactImport.objects.create(
        file=SimpleUploadedFile("x.csv", b"name\nX\n"),
        original_name="x.csv",
        uploaded_by=other,
        row_count=1,
    )

    assert marketing_client.get(contact_import.get_absolute_url()).status_code == 404


def test_five_thousand_rows_with_companies_in_the_file_are_loaded_set_based(
    marketing_client, reference_data, django_assert_max_num_queries
):
    lines = ["type,name,company,mailing_groups"]
    for index in range(5000):
        if index % 10 == 0:
            lines.append(f"company,Company {index},,")
        else:
            lines.append(f"person,Person {index},Company {index // 10 * 10},NEWSLETTER")
    _upload(marketing_client, "\n".join(lines))
    url = reverse("contacts:contact_import_run", args=[ContactImport.objects.get().pk])

    with django_assert_max_num_queries(40):
        marketing_client.post(url)

    persons = Contact.objects.filter(name__startswith="Person ")
    assert persons.count() == 4500
    assert persons.filter(company__name="Company 120").count() == 9
    assert MailingGroupFactory(code="NEWSLETTER").contacts.count() == 4500


def test_errors_found_at_import_time_are_kept_and_shown(
    marketing_client, reference_data
):
    _upload(marketing_client, _good_csv(reference_data))
    contact_import = ContactImport.objects.get()
    assert contact_import.error_count == 0
    # Between preview and import, someone removes the salesperson the file names.
    Salesperson.objects.filter(code="JO").delete()
    count_before = Contact.objects.count()

    response = marketing_client.post(
        reverse("contacts:contact_import_run", args=[contact_import.pk]), follow=True
    )

    page = response.content.decode()
    assert "2 rows have errors; nothing was imported." in page
    assert "There is no salesperson “JO”." in page
    assert "Nothing can be imported while rows have errors." in page
    contact_import.refresh_from_db()
    assert contact_import.error_count == 2
    assert [error[:2] for error in contact_import.errors] == [
        [2, "salesperson"],
        [3, "salesperson"],
    ]
    assert contact_import.status != ContactImport.Status.IMPORTED
    assert Contact.objects.count() == count_before
    # The errors stay on the import's page.
    page = marketing_client.get(contact_import.get_absolute_url()).content.decode()
    assert "There is no salesperson “JO”." in page


def test_a_row_wrong_after_thousands_already_loaded_leaves_nothing_behind(
    marketing_client, reference_data
):
    # The import loads rows while it checks them: these 3,000 reach the database
    # before the last row turns out wrong.
    lines = ["name,salesperson", *(f"Person {index}," for index in range(3000))]
    lines.append("The last person,JO")
    _upload(marketing_client, "\n".join(lines))
    contact_import = ContactImport.objects.get()
    assert contact_import.error_count == 0
    Salesperson.objects.filter(code="JO").delete()
    count_before = Contact.objects.count()
    series_before = NumberSeries.objects.get(code="contact").last_number

    response = marketing_client.post(
        reverse("contacts:contact_import_run", args=[contact_import.pk]), follow=True
    )

    assert "1 rows have errors; nothing was imported." in response.content.decode()
    assert Contact.objects.count() == count_before
    assert NumberSeries.objects.get(code="contact").last_number == series_before
    contact_import.refresh_from_db()
    assert [error[:2] for error in contact_import.errors] == [[3002, "salesperson"]]
