"""PDF through LibreOffice kept warm by unoserver: start and stop it, convert, split.

unoserver needs LibreOffice's Python bindings (Debian's python3-uno), which exist
only for the system Python, so it runs from its own virtualenv (`make unoserver`
makes `.unoserver/`) as a process of its own. We talk to it over XML-RPC with
`unoserver.client`, sending and receiving bytes. A cold LibreOffice takes ~1 s a
document and a warm one ~0.2 s, so whoever converts many documents (the worker)
starts one `UnoServer` and keeps it for its lifetime.

A unoserver we start never outlives the process that started it, even after a
`kill -9` of that process: it runs under core/process_guard.py, which ends it
and LibreOffice when its parent's pipe closes.
"""

import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from unoserver.client import UnoClient

HOST = "127.0.0.1"
# Kept as PDF named destinations (the outline only holds headings); LibreOffice
# escapes other characters in those names, so bookmarks use letters and digits.
PDF_FILTER_OPTIONS = ["ExportBookmarksToPDFDestination=true"]
START_SECONDS = 60
STOP_SECONDS = 10
PING_SECONDS = 5

_started_ports: list[int] = []
_GUARD = Path(__file__).with_name("process_guard.py")


class PdfError(RuntimeError):
    """A conversion to PDF that could not be done, with a message for the user."""


def unoserver_executable() -> Path:
    return Path(settings.UNOSERVER_DIR) / "bin" / "unoserver"


def libreoffice_available() -> bool:
    """Whether this machine can convert to PDF: the unoserver venv and soffice."""
    return unoserver_executable().is_file() and shutil.which("soffice") is not None


def pdf_available() -> bool:
    """Whether PDF letters can be offered: a unoserver named by UNOSERVER_PORT,
    or LibreOffice here for the workers to start their own."""
    return bool(settings.UNOSERVER_PORT) or libreoffice_available()


def converter_port() -> int | None:
    """The port of the unoserver to talk to: UNOSERVER_PORT, else one this process started."""
    return settings.UNOSERVER_PORT or (_started_ports[-1] if _started_ports else None)


class UnoServer:
    """A unoserver with its own LibreOffice (own profile), started and stopped by us.

    `UnoServer().start()` picks free ports unless given; `stop()` ends unoserver
    and every LibreOffice process it started. Also a context manager.
    `conversion_timeout` (seconds) makes unoserver give up a conversion that
    hangs: it then stops LibreOffice and exits, so start a new one.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        uno_port: int | None = None,
        conversion_timeout: int = 600,
    ):
        self.port = port
        self.uno_port = uno_port
        self.conversion_timeout = conversion_timeout
        self.process: subprocess.Popen | None = None
        self._directory: str | None = None

    @property
    def running(self) -> bool:
        """Whether unoserver still runs (it exits after a conversion timed out)."""
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, *, timeout: float = START_SECONDS) -> "UnoServer":
        """Start unoserver and LibreOffice, and wait until it answers."""
        if not libreoffice_available():
            raise PdfError(
                _(
                    "PDF conversion is not installed on this server "
                    "(LibreOffice and unoserver: run `make unoserver`)."
                )
            )
        self.port = self.port or _free_port()
        self.uno_port = self.uno_port or _free_port(other_than=self.port)
        self._directory = tempfile.mkdtemp(prefix="segmenta-unoserver-")
        with open(self._log_path(), "wb") as log:
            # A session of its own, so stop() can end LibreOffice's processes too.
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    str(_GUARD),
                    str(unoserver_executable()),
                    "--interface",
                    HOST,
                    "--port",
                    str(self.port),
                    "--uno-port",
                    str(self.uno_port),
                    "--user-installation",
                    str(Path(self._directory) / "profile"),
                    "--conversion-timeout",
                    str(self.conversion_timeout),
                ],
                # Never written to: it closes when this process ends (the guard).
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_until_it_answers(timeout)
        except BaseException:
            self.stop()
            raise
        _started_ports.append(self.port)
        return self

    def stop(self, *, timeout: float = STOP_SECONDS) -> None:
        """End unoserver and its LibreOffice: politely, then by force."""
        if self.process is not None:
            group = self.process.pid
            # The guard passes SIGTERM on to unoserver, which passes it on to
            # LibreOffice; sent to the whole group, LibreOffice's launcher
            # (oosplash) lingers.
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            if not self._group_ends(group, timeout):
                _signal_group(group, signal.SIGKILL)
                self._group_ends(group, timeout)
            self.process.stdin.close()
            self.process = None
        if self.port in _started_ports:
            _started_ports.remove(self.port)
        if self._directory:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def __enter__(self) -> "UnoServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _wait_until_it_answers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PdfError(
                    _("LibreOffice (unoserver) stopped while starting: %(log)s")
                    % {"log": self._log_tail()}
                )
            if _answers(self.port):
                return
            time.sleep(0.25)
        raise PdfError(
            _("LibreOffice (unoserver) did not start within %(seconds)d seconds.")
            % {"seconds": timeout}
        )

    def _group_ends(self, group: int, timeout: float) -> bool:
        """Whether every process of the group has gone within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            self.process.poll()  # reaps unoserver itself once it exits
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def _log_path(self) -> Path:
        return Path(self._directory) / "unoserver.log"

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self._log_path().read_text(errors="replace")[-500:].strip()
        return ""


def convert_to_pdf(docx: bytes, *, port: int) -> bytes:
    """The PDF of a Word document, made by the unoserver on `port`.

    LibreOffice's bookmarks come out as PDF named destinations (see split_pdf).
    """
    client = _Client(server=HOST, port=str(port))
    try:
        pdf = client.convert(
            indata=docx,
            convert_to="pdf",
            filter_options=PDF_FILTER_OPTIONS,
            update_index=False,
        )
    except ConnectionRefusedError as error:
        raise PdfError(
            _("The PDF converter is not running (nothing answers on port %(port)s).")
            % {"port": port}
        ) from error
    except xmlrpc.client.Fault as error:
        if "TimeoutError" in error.faultString:
            raise PdfError(
                _("The conversion to PDF took too long and was stopped.")
            ) from error
        raise PdfError(
            _("LibreOffice could not convert the document to PDF (%(error)s).")
            % {"error": error.faultString}
        ) from error
    except (OSError, xmlrpc.client.Error, RuntimeError) as error:
        raise PdfError(
            _("The PDF converter failed during the conversion (%(error)s).")
            % {"error": error}
        ) from error
    if not pdf:
        raise PdfError(_("LibreOffice returned an empty PDF."))
    return pdf


def bookmark_pages(reader: PdfReader, *, bookmarks: list[str]) -> list[range]:
    """The pages of each bookmark: from its page to the page before the next one's."""
    starts = _destination_pages(reader)
    missing = [name for name in bookmarks if name not in starts]
    if missing:
        raise PdfError(
            _("The PDF has no bookmark %(names)s.") % {"names": ", ".join(missing)}
        )
    first_pages = [starts[name] for name in bookmarks] + [len(reader.pages)]
    ranges = [range(start, end) for start, end in pairwise(first_pages)]
    if not all(ranges):
        raise PdfError(
            _("Two of the PDF's bookmarks share a page or are out of order.")
        )
    return ranges


def split_pdf(pdf: bytes, *, bookmarks: list[str]) -> list[bytes]:
    """One PDF per bookmark, each from the bookmark's page to the page before the next."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        pages_as_pdf(reader, pages)
        for pages in bookmark_pages(reader, bookmarks=bookmarks)
    ]


def join_pdfs(pdfs: Iterable[IO[bytes]], output: IO[bytes]) -> int:
    """The pages of `pdfs`, in order, as one PDF into `output`; how many pages."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(pdf), import_outline=False)
    writer.write(output)
    return len(writer.pages)


def pages_as_pdf(reader: PdfReader, pages: range) -> bytes:
    writer = PdfWriter()
    for number in pages:
        writer.add_page(reader.pages[number])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class _Client(UnoClient):
    """unoserver's client, failing at once when nothing answers.

    The library retries a refused connection five times, ten seconds apart.
    """

    def _connect(self, proxy, retries=1, sleep=0):
        return super()._connect(proxy, retries=1, sleep=0)


class _TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = PING_SECONDS
        return connection


def _answers(port: int) -> bool:
    proxy = xmlrpc.client.ServerProxy(
        f"http://{HOST}:{port}", transport=_TimeoutTransport()
    )
    try:
        proxy.system.listMethods()
    except (OSError, xmlrpc.client.Error):
        return False
    return True


def _destination_pages(reader: PdfReader) -> dict[str, int]:
    """Page numbers by bookmark: named destinations, then outline titles."""
    pages = {}
    for title, destination in _outline(reader.outline):
        pages.setdefault(title, reader.get_destination_page_number(destination))
    for name, destination in reader.named_destinations.items():
        pages[name.removeprefix("/")] = reader.get_destination_page_number(destination)
    return pages


def _outline(entries):
    for entry in entries:
        if isinstance(entry, list):
            yield from _outline(entry)
        else:
            yield entry.title, entry


def _free_port(*, other_than: int | None = None) -> int:
    while True:
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            port = probe.getsockname()[1]
        if port != other_than:
            return port


def _signal_group(group: int, signal_number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal_number)
