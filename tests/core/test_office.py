"""PDF through a warm LibreOffice: unoserver started and stopped, converting, splitting."""

import socket
import time

import pytest

from core.office import (
    PdfError,
    UnoServer,
    convert_to_pdf,
    converter_port,
    split_pdf,
)
from interactions.word_bookmarks import mark_start, number_bookmarks
from interactions.word_merge import merge_documents
from tests.factories import demo_letter
from tests.office import needs_libreoffice, pdf_pages, processes_of

pytestmark = needs_libreoffice

LONG_COMMENT = "\n".join(
    f"Line {number} of a long personal note." for number in range(90)
)


def _combined_letters(rows: list[dict]) -> bytes:
    template = mark_start(demo_letter("en"), name="Letter")
    return number_bookmarks(
        merge_documents(template, rows, language="en"), name="Letter"
    )


def test_split_gives_one_pdf_per_bookmark_even_when_a_letter_has_two_pages(
    unoserver,
):
    combined = _combined_letters(
        [
            {"contactaddressblock": "Alice Andersson", "comment": ""},
            {"contactaddressblock": "Bruno Berg", "comment": LONG_COMMENT},
            {"contactaddressblock": "Cecilia Cech", "comment": ""},
        ]
    )

    pdf = convert_to_pdf(combined, port=unoserver.port)
    letters = split_pdf(pdf, bookmarks=["Letter1", "Letter2", "Letter3"])

    pages = [pdf_pages(letter) for letter in letters]
    assert len(pages[0]) == len(pages[2]) == 1
    assert len(pages[1]) >= 2
    assert sum(map(len, pages)) == len(pdf_pages(pdf))
    for letter, name in zip(pages, ["Alice", "Bruno", "Cecilia"], strict=True):
        text = "".join(letter)
        assert name in text
        assert {"Alice", "Bruno", "Cecilia"} - {name} & set(text.split()) == set()
    assert "Line 89 of a long personal note." in pages[1][-1]


def test_split_names_a_bookmark_the_pdf_does_not_have(unoserver):
    pdf = convert_to_pdf(_combined_letters([{}]), port=unoserver.port)

    with pytest.raises(PdfError, match="no bookmark Letter2"):
        split_pdf(pdf, bookmarks=["Letter1", "Letter2"])


def test_a_document_libreoffice_cannot_read_is_a_clear_error(unoserver):
    with pytest.raises(PdfError, match="LibreOffice could not convert"):
        convert_to_pdf(b"PK\x03\x04 not really a document", port=unoserver.port)


def test_converting_when_no_unoserver_runs_fails_at_once_in_plain_words():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        idle_port = probe.getsockname()[1]

    started = time.monotonic()
    with pytest.raises(PdfError, match="The PDF converter is not running"):
        convert_to_pdf(demo_letter("en"), port=idle_port)
    assert time.monotonic() - started < 2


def test_two_run_side_by_side_and_stop_leaves_no_libreoffice_behind(unoserver):
    with UnoServer() as second:
        group, uno_port = second.pid, second.uno_port
        running = processes_of(group=group, uno_port=uno_port)
        assert any("soffice" in command for command in running)
        assert pdf_pages(convert_to_pdf(demo_letter("sv"), port=second.port))

    assert processes_of(group=group, uno_port=uno_port) == []
    assert pdf_pages(convert_to_pdf(demo_letter("en"), port=unoserver.port))


def test_a_conversion_that_takes_too_long_is_stopped_with_a_clear_error():
    many = _combined_letters([{"comment": LONG_COMMENT}] * 150)
    with UnoServer(conversion_timeout=1) as server:
        with pytest.raises(PdfError, match="took too long"):
            convert_to_pdf(many, port=server.port)
        group, uno_port = server.pid, server.uno_port

    assert processes_of(group=group, uno_port=uno_port) == []


def test_the_app_converts_with_the_unoserver_it_started_unless_told_a_port(
    unoserver, settings
):
    settings.UNOSERVER_PORT = None
    assert converter_port() == unoserver.port

    settings.UNOSERVER_PORT = 2003
    assert converter_port() == 2003
