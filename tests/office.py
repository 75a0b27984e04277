"""Helpers for tests that convert to PDF with LibreOffice (unoserver)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from core.office import libreoffice_available

PDFTOTEXT = shutil.which("pdftotext")

# Skipped without LibreOffice, unless REQUIRE_LIBREOFFICE=1 (as in CI, which
# installs libreoffice-writer-nogui, python3-uno and poppler-utils, then makes
# the unoserver virtualenv).
needs_libreoffice = pytest.mark.skipif(
    not (libreoffice_available() and PDFTOTEXT)
    and os.environ.get("REQUIRE_LIBREOFFICE") != "1",
    reason="LibreOffice with unoserver (make unoserver) and pdftotext are not installed",
)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    text = subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"],
        input=pdf,
        check=True,
        capture_output=True,
    ).stdout.decode()
    return text.split("\f")[:-1]


def processes_of(*, group: int, uno_port: int) -> list[str]:
    """The command lines of live processes in `group` or serving LibreOffice on `uno_port`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The fields after the command's closing parenthesis: state, ppid, pgrp…
        state, _parent, process_group = stat.rsplit(")", 1)[1].split()[:3]
        if state == "Z":
            continue
        if int(process_group) == group or f"port={uno_port}," in command:
            found.append(command)
    return found
