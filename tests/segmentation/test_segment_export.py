"""Export of a segment's lines with their effective values; large exports run as jobs."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job
from tests.factories import (
    InteractionLogEntryFactory,
    InteractionTemplateFactory,
    LoggedSegmentFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
)


def _export_url(segment, file_format="csv"):
    return reverse("segmentation:segment_export", args=[segment.pk]) + (
        f"?format={file_format}"
    )


def _csv_rows(data: bytes) -> list[dict]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8").removeprefix("\ufeff")))
    return list(reader)


@pytest.fixture
def segment():
    template = InteractionTemplateFactory(
        code="SPRING", unit_cost=Decimal("3.50"), default_language="en"
    )
    return SegmentFactory(
        template=template, description="Spring mailing", unit_cost=Decimal("3.50")
    )


@pytest.mark.django_db
def test_the_export_holds_each_lines_effective_values(marketing_client, segment):
    inheriting = SegmentLineFactory(segment=segment)
    changed = SegmentLineFactory(
        segment=segment,
        description="=Just for you",
        cost=Decimal("9.00"),
        salesperson=SalespersonFactory(code="ANNA"),
    )
    SegmentLineFactory()  # another segment's

    response = marketing_client.get(_export_url(segment))

    assert response.status_code == 200
    rows = _csv_rows(b"".join(response.streaming_content))
    assert [row["ID"] for row in rows] == [str(inheriting.pk), str(changed.pk)]
    first, second = rows
    assert first["Contact"] == inheriting.contact.number
    assert first["Name"] == inheriting.contact.name
    assert first["Interaction template"] == "SPRING"
    assert first["Description"] == "Spring mailing"
    assert Decimal(first["Cost"]) == Decimal("3.50")
    assert second["Description"] == "'=Just for you"
    assert Decimal(second["Cost"]) == Decimal("9.00")
    assert second["Salesperson"] == "ANNA"
    assert second["Duplicate"] == "False"


@pytest.mark.django_db
def test_the_segment_page_offers_the_export(marketing_client, segment):
    page = marketing_client.get(segment.get_absolute_url()).content.decode()

    assert _export_url(segment, "xlsx") in page


@pytest.mark.django_db
def test_only_who_may_see_segments_may_export_one(outsider_client, segment):
    SegmentLineFactory(segment=segment)

    assert outsider_client.get(_export_url(segment)).status_code == 403


@pytest.mark.django_db
def test_a_missing_segment_is_a_404(marketing_client):
    response = marketing_client.get(
        reverse("segmentation:segment_export", args=[999_999])
    )

    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_large_export_runs_as_a_job_whose_page_offers_the_file(
    marketing_client, marketing_user, segment, settings, run_jobs
):
    settings.EXPORT_ROWS_IN_REQUEST = 2
    lines = SegmentLineFactory.create_batch(3, segment=segment)

    response = marketing_client.get(_export_url(segment))

    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert (job.kind, job.owner, job.total) == ("export", marketing_user, 3)
    run_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.result_name == f"segment-{segment.number}.csv"
    with default_storage.open(job.result.name) as file:
        rows = _csv_rows(file.read())
    assert [row["ID"] for row in rows] == [str(line.pk) for line in lines]
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert reverse("core:job_download", args=[job.pk]) in page


@pytest.mark.django_db(transaction=True)
def test_the_job_writes_its_header_in_the_language_of_who_started_it(
    marketing_client, segment, settings, run_jobs
):
    settings.EXPORT_ROWS_IN_REQUEST = 0
    SegmentLineFactory(segment=segment)

    marketing_client.get(_export_url(segment), HTTP_ACCEPT_LANGUAGE="sv")
    run_jobs()

    job = Job.objects.get()
    with default_storage.open(job.result.name) as file:
        header = file.read().decode("utf-8").splitlines()[0]
    assert header.removeprefix("\ufeff").startswith("ID,Kontakt,Namn,Interaktionsmall")


@pytest.mark.django_db(transaction=True)
def test_past_the_rows_of_a_sheet_the_rows_continue_on_the_next_one(
    marketing_client, settings, run_jobs
):
    settings.EXPORT_ROWS_IN_REQUEST = 2
    settings.XLSX_ROWS_PER_SHEET = 3  # the header and two rows
    logged = LoggedSegmentFactory()
    entries = InteractionLogEntryFactory.create_batch(5, logged_segment=logged)

    marketing_client.get(
        reverse("segmentation:logged_segment_export", args=[logged.pk]),
        {"format": "xlsx"},
    )
    run_jobs()

    job = Job.objects.get()
    assert job.state == Job.State.DONE
    with default_storage.open(job.result.name) as file:
        workbook = load_workbook(io.BytesIO(file.read()))
    name = f"Logged segment {logged.segment_number}"  # the number users know
    assert workbook.sheetnames == [name, f"{name} (2)", f"{name} (3)"]
    ids = [
        row[0]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert ids == [entry.pk for entry in entries]
    assert all(sheet["A1"].value == "ID" for sheet in workbook.worksheets)
    assert "rows continue on 3 sheets" in job.details["message"]
    page = marketing_client.get(job.get_absolute_url()).content.decode()
    assert "rows continue on 3 sheets" in page
