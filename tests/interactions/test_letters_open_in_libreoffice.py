"""A merged letter opens in LibreOffice: converted to PDF, its text shows the values.

Skipped without LibreOffice, unless REQUIRE_LIBREOFFICE=1 (as in CI, which
installs libreoffice-writer-nogui and poppler-utils).
"""

import datetime
import os
import shutil
import subprocess

import pytest

from interactions.demo_letters import build_demo_letter
from interactions.word_merge import merge_document, merge_documents
from tests.word_files import field, letter_with

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOTEXT) and os.environ.get("REQUIRE_LIBREOFFICE") != "1",
    reason="LibreOffice (soffice) and pdftotext are not installed",
)


def _pdf_text(docx_bytes: bytes, tmp_path) -> str:
    source = tmp_path / "letter.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return subprocess.run(
        [PDFTOTEXT, str(tmp_path / "letter.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_a_czech_letter_renders_with_its_values(tmp_path):
    letter = merge_document(
        build_demo_letter("cs"),
        {
            "contactaddressblock": "Jana Nováková\nBrno Tools & Co\nDlouhá 12\n602 00 Brno",
            "date": datetime.date(2026, 11, 23),
            "subject": "Pozvánka <na veletrh>",
            "formalsalutation": "Vážená paní Nováková,",
            "companyname": "Segmenta s.r.o.",
            "contactno": "CT000042",
        },
        language="cs",
    )

    text = _pdf_text(letter, tmp_path)

    for value in (
        "Jana Nováková",
        "Brno Tools & Co",
        "602 00 Brno",
        "23. listopadu 2026",
        "Pozvánka <na veletrh>",
        "Vážená paní Nováková,",
        "Segmenta s.r.o.",
        "CT000042",
    ):
        assert value in text, value


def test_a_combined_document_renders_one_page_per_letter(tmp_path):
    combined = merge_documents(
        build_demo_letter("sv"),
        [
            {"contactno": f"CT00000{index}", "companyname": "Segmenta AB"}
            for index in (1, 2, 3)
        ],
        language="sv",
    )

    text = _pdf_text(combined, tmp_path)

    assert text.count("\f") >= 3
    pages = text.split("\f")
    for index in (1, 2, 3):
        assert f"CT00000{index}" in pages[index - 1]


def test_a_pasted_line_break_and_a_tab_show_as_such_in_libreoffice(tmp_path):
    letter = merge_document(
        letter_with(field(" MERGEFIELD Comment ", result="«Comment»")),
        {"comment": "Ctrl\x0bName\tPrice"},
    )
    source = tmp_path / "letter.docx"
    source.write_bytes(letter)

    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    lines = (tmp_path / "letter.txt").read_text(encoding="utf-8-sig").splitlines()
    assert lines[:2] == ["Ctrl", "Name\tPrice"]
