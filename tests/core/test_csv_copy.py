"""On PostgreSQL, COPY writes the same CSV bytes as the Python path, chunk by chunk."""

import datetime
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection

from core.csv_copy import copy_csv, copy_csv_response
from core.exports import write_table
from interactions.exports import interaction_log_table
from segmentation.exports import segment_lines_table
from tests.factories import (
    InteractionLogEntryFactory,
    SegmentFactory,
    SegmentLineFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's"
    ),
]

TRICKY_TEXTS = [
    '=HYPERLINK("http://x","y")',
    "+46 70 123",
    "-5",
    "@SUM(A1)",
    "\tindented",
    "\rcarriage",
    "'already quoted",
    'say "hi", then go',
    "two\nlines",
    "a\rb",
    "Åsa Öberg — naïve ☃",
    "",
    " leading space",
    "\\.",
]


def _tricky_entries():
    moments = [
        datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 12, 0, 5, 120, tzinfo=datetime.UTC),
    ]
    for index, text in enumerate(TRICKY_TEXTS):
        InteractionLogEntryFactory(
            description=text or "x",
            subject=text,
            personal_comment=text,
            segment_number=text[:20],
            cost=Decimal(index) / 4,
            time=[None, datetime.time(8, 30), datetime.time(9, 1, 2, 500000)][
                index % 3
            ],
            campaign_target=index % 2 == 0,
            delivered_at=moments[index % 2] if index % 3 else None,
        )


def _python_csv(table) -> bytes:
    output = io.BytesIO()
    write_table(table, output, file_format="csv")
    return output.getvalue()


def _copied_csv(table) -> bytes:
    output = io.BytesIO()
    copy_csv(table, output)
    return output.getvalue()


@pytest.mark.parametrize("chunk_size", [1, 4, 100])
def test_copy_writes_the_bytes_the_python_path_writes(chunk_size):
    _tricky_entries()
    table = replace(interaction_log_table({"query": ""}), copy_chunk_size=chunk_size)

    copied = _copied_csv(table)

    assert copied == _python_csv(table)
    assert copied.count(b"'=HYPERLINK") == 4
    assert copied[:3] == b"\xef\xbb\xbf"


def test_the_streamed_response_holds_the_same_bytes():
    _tricky_entries()
    table = replace(interaction_log_table({"query": ""}), copy_chunk_size=3)

    response = copy_csv_response(table)

    assert b"".join(response.streaming_content) == _python_csv(table)


def test_copy_of_segment_lines_matches_the_python_path():
    segment = SegmentFactory()
    for text in TRICKY_TEXTS:
        SegmentLineFactory(segment=segment, personal_comment=text)
    table = replace(
        segment_lines_table({"segment": segment.pk, "segment_number": segment.number}),
        copy_chunk_size=5,
    )

    assert _copied_csv(table) == _python_csv(table)


def test_copy_reports_the_rows_read_after_each_chunk():
    for _ in range(5):
        InteractionLogEntryFactory()
    table = replace(interaction_log_table({"query": ""}), copy_chunk_size=2)
    progress = []

    copy_csv(table, io.BytesIO(), on_chunk=progress.append)

    assert progress == [2, 4, 5]


def test_an_export_of_no_rows_is_the_header_alone():
    InteractionLogEntryFactory()
    table = interaction_log_table({"query": "date_after=not-a-date"})

    assert _copied_csv(table) == _python_csv(table)
    assert _copied_csv(table).count(b"\n") == 1
