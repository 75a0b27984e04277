"""Exports of the Interaction Log and of a logged segment: what is in them, who may take them."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.exports import Table
from core.models import Job
from interactions.exports import entry_columns
from interactions.models import Evaluation, InteractionLogEntry
from tests.factories import (
    ContactFactory,
    InteractionLogEntryFactory,
    LoggedSegmentFactory,
)
from tests.workers import start_worker, wait_for, worker_environment

EXPORT = reverse("interactions:interaction_log_export")


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _header_index(rows, header: str) -> int:
    return rows[0].index(header)


@pytest.mark.django_db
def test_the_log_export_holds_the_filtered_entries_with_their_codes(marketing_client):
    chosen = InteractionLogEntryFactory(evaluation=Evaluation.POSITIVE)
    InteractionLogEntryFactory(evaluation=Evaluation.NEGATIVE)

    response = marketing_client.get(EXPORT, {"evaluation": "positive"})

    assert (
        response["Content-Disposition"] == 'attachment; filename="interaction-log.csv"'
    )
    rows = _csv(response)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["ID"] == str(chosen.pk)
    assert row["Contact"] == chosen.contact.number
    assert row["Interaction template"] == chosen.template.code
    assert row["Salesperson"] == chosen.salesperson.code
    assert row["Evaluation"] == "Positive"
    assert row["Cost"] == "2.00"


@pytest.mark.django_db
def test_the_header_row_is_in_the_users_language(marketing_client):
    InteractionLogEntryFactory()

    with translation.override("sv"):
        expected = [str(column.header) for column in entry_columns()]
    response = marketing_client.get(EXPORT, HTTP_ACCEPT_LANGUAGE="sv")

    header = _csv(response)[0]
    assert header == expected
    assert "Kontakt" in header


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_is_guarded(marketing_client):
    InteractionLogEntryFactory(description='=HYPERLINK("http://evil.example")')

    rows = _csv(marketing_client.get(EXPORT))

    column = _header_index(rows, "Description")
    assert rows[1][column] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.django_db
def test_the_xlsx_export_has_typed_cells_and_formulas_as_text(marketing_client):
    entry = InteractionLogEntryFactory(description="=1+1")

    response = marketing_client.get(EXPORT, {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell for cell in sheet[2]], strict=True))
    assert sheet.title == "Interaction Log"
    assert values["ID"].value == entry.pk
    assert (values["Description"].value, values["Description"].data_type) == (
        "=1+1",
        "s",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"contact": "abc"},
        {"campaign": "9" * 40},
        {"date_after": "not a date"},
        {"evaluation": "\x00"},
    ],
)
def test_bad_filters_lead_back_to_the_log_with_a_message(marketing_client, query):
    InteractionLogEntryFactory()

    response = marketing_client.get(EXPORT, query, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][0].startswith(
        reverse("interactions:interaction_log")
    )
    assert "Correct the filters before exporting." in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_format_is_taken_as_csv(marketing_client):
    response = marketing_client.get(EXPORT, {"format": "pdf"})

    assert response["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
def test_the_log_page_offers_the_export_with_its_filters(marketing_client):
    page = marketing_client.get(
        reverse("interactions:interaction_log"),
        {"evaluation": "positive", "after": "2026-01-01_5", "go_entry": "7"},
    ).content.decode()

    assert f'href="{EXPORT}?evaluation=positive&amp;format=csv"' in page


@pytest.mark.django_db
def test_a_logged_segments_export_holds_its_entries_cancelled_ones_too(
    marketing_client,
):
    logged = LoggedSegmentFactory()
    entries = InteractionLogEntryFactory.create_batch(2, logged_segment=logged)
    InteractionLogEntry.objects.filter(pk=entries[1].pk).update(cancelled=True)
    InteractionLogEntryFactory()

    response = marketing_client.get(
        reverse("segmentation:logged_segment_export", args=[logged.pk])
    )

    rows = _csv(response)
    assert [row[0] for row in rows[1:]] == [str(entry.pk) for entry in entries]
    assert [row[_header_index(rows, "Cancelled")] for row in rows[1:]] == [
        "False",
        "True",
    ]


@pytest.mark.django_db
def test_a_missing_logged_segment_is_a_404(marketing_client):
    response = marketing_client.get(
        reverse("segmentation:logged_segment_export", args=[999])
    )

    assert response.status_code == 404


@pytest.mark.django_db
def test_only_who_may_see_the_log_may_export_it(outsider_client):
    logged = LoggedSegmentFactory()

    assert outsider_client.get(EXPORT).status_code == 403
    assert (
        outsider_client.get(
            reverse("segmentation:logged_segment_export", args=[logged.pk])
        ).status_code
        == 403
    )
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 100])
def test_keyset_chunks_read_every_row_exactly_once(chunk_size):
    entries = InteractionLogEntryFactory.create_batch(5)
    # A gap in the ids, at a chunk border for some sizes.
    InteractionLogEntry.objects.filter(pk=entries[2].pk).delete()
    read = []
    table = Table(
        queryset=InteractionLogEntry.objects.order_by("-date", "description"),
        columns=entry_columns(),
        file_stem="log",
        sheet_name="Log",
        chunk_size=chunk_size,
    )

    rows = list(table.rows(on_chunk=read.append))

    expected = [entry.pk for index, entry in enumerate(entries) if index != 2]
    assert [row[0] for row in rows] == expected
    assert read[-1] == 4
    assert len(read) == -(-4 // chunk_size)


@pytest.mark.django_db
def test_each_chunk_is_one_query(django_assert_num_queries):
    InteractionLogEntryFactory.create_batch(4, contact=ContactFactory())
    table = Table(
        queryset=InteractionLogEntry.objects.all(),
        columns=entry_columns(),
        file_stem="log",
        sheet_name="Log",
        chunk_size=2,
    )

    # Two chunks of rows with their codes and labels, and one that finds no more.
    with django_assert_num_queries(3):
        assert len(list(table.rows())) == 4


@pytest.mark.django_db(transaction=True)
def test_a_large_filtered_export_is_made_by_a_worker_on_as_many_sheets_as_needed(
    marketing_client, settings
):
    settings.EXPORT_ROWS_IN_REQUEST = 2
    chosen = InteractionLogEntryFactory.create_batch(5, evaluation=Evaluation.POSITIVE)
    InteractionLogEntryFactory(evaluation=Evaluation.NEGATIVE)

    response = marketing_client.get(
        EXPORT, {"evaluation": "positive", "format": "xlsx"}
    )
    job = Job.objects.get()
    assert response.url == job.get_absolute_url()
    assert job.total == 5
    # The worker holds three rows to a sheet: the header and two entries.
    worker = start_worker(env=worker_environment(XLSX_ROWS_PER_SHEET="3"))
    try:
        wait_for(
            lambda: Job.objects.filter(pk=job.pk, state=Job.State.DONE).exists(),
            what="the export job to end",
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    download = marketing_client.get(reverse("core:job_download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames == [
        "Interaction Log",
        "Interaction Log (2)",
        "Interaction Log (3)",
    ]
    ids = [
        row[0]
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert ids == [entry.pk for entry in chosen]
