"""Word mail merge in one place: check uploaded documents and fill their MERGEFIELDs.

Pure: bytes in, bytes out, no models. It wraps docx-mailmerge2 (`mailmerge`),
which understands the fields Word writes with Insert Merge Field (simple and
complex fields, fields split over runs, in headers, footers and tables).
"""

import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence

import docx
from django.utils import dateformat, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from mailmerge import MailMerge

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
MAIN_PART = "word/document.xml"
MACRO_PART = "word/vbaProject.bin"
MACRO_EXTENSIONS = (".docm", ".dotm")
UNPACK_CHUNK_BYTES = 64 * 1024
ENCRYPTED_FLAG = 0x1
# Characters XML 1.0 cannot hold (Excel's vertical tab, NUL…) and lone surrogates.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# strftime codes the library produces from Word's date pictures, and the Django
# date format giving the same name in the letter's language.
LOCALISED_NAMES = {"%B": "F", "%b": "M", "%A": "l", "%a": "D"}


class DocumentError(ValueError):
    """A document that cannot be used, with a message for the user."""


def read_merge_fields(data: bytes, *, file_name: str = "") -> list[str]:
    """Check that `data` is a safe, readable .docx; return its merge field names."""
    _check_file_name(file_name)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(_("The file is larger than 10 MB."))
    _check_package(data)
    try:
        with MailMerge(io.BytesIO(data)) as document:
            fields = document.get_merge_fields()
        docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - any parser failure means "unreadable"
        raise DocumentError(
            _("The file could not be read as a Word document (%(error)s).")
            % {"error": error}
        ) from error
    return sorted((name for name in fields if name), key=str.casefold)


def normalise_field_name(name: str) -> str:
    """The key a field is matched by: case, spaces, underscores and punctuation ignored."""
    return "".join(character for character in name.casefold() if character.isalnum())


def clean_value(value) -> str | datetime.date:
    """A merge value that cannot break the document: dates kept, text sanitised."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return XML_ILLEGAL.sub("", text).strip()


def merge_document(
    data: bytes, values: Mapping[str, object], *, language: str = "en"
) -> bytes:
    """One letter: every MERGEFIELD filled from `values` (keyed by normalised name)."""
    try:
        with MailMerge(io.BytesIO(data)) as document:
            document.merge(
                **_replacements(document.get_merge_fields(), values, language)
            )
            output = io.BytesIO()
            document.write(output)
    except Exception as error:  # noqa: BLE001 - reported per letter by the caller
        raise DocumentError(
            _("The letter could not be merged (%(error)s).") % {"error": error}
        ) from error
    return output.getvalue()


def merge_documents(
    data: bytes, rows: Sequence[Mapping[str, object]], *, language: str = "en"
) -> bytes:
    """One combined document, one section per row, each with its own header and footer."""
    try:
        with MailMerge(io.BytesIO(data)) as document:
            fields = document.get_merge_fields()
            # "page_break" would give every letter the last row's header and footer.
            document.merge_templates(
                [_replacements(fields, row, language) for row in rows],
                separator="nextPage_section",
            )
            output = io.BytesIO()
            document.write(output)
    except Exception as error:  # noqa: BLE001
        raise DocumentError(
            _("The letters could not be merged (%(error)s).") % {"error": error}
        ) from error
    return output.getvalue()


class LetterDate(datetime.date):
    """A date that Word's date pictures format in the letter's language.

    The library formats dates with strftime, whose names come from the
    process-wide C locale; setlocale is not thread-safe, so names come from
    Django's translations instead.
    """

    language = "en"

    def strftime(self, format_string: str) -> str:
        with translation.override(self.language):
            if format_string == "%x":  # a date field without a picture
                return date_format(self, "DATE_FORMAT")
            for code, django_format in LOCALISED_NAMES.items():
                if code in format_string:
                    format_string = format_string.replace(
                        code, self._name(django_format)
                    )
            return super().strftime(format_string)

    def _name(self, django_format: str) -> str:
        name = dateformat.format(self, django_format)
        if django_format == "F":
            # "E" is the month as used in a date: the genitive where the language
            # has one ("23. listopadu 2026"); elsewhere it may only differ in case.
            in_a_date = dateformat.format(self, "E")
            if in_a_date.casefold() != name.casefold():
                return in_a_date
        return name


def _replacements(
    document_fields: Iterable[str], values: Mapping[str, object], language: str
) -> dict[str, object]:
    replacements = {}
    for field in document_fields:
        value = clean_value(values.get(normalise_field_name(field)))
        if isinstance(value, datetime.date) and not isinstance(
            value, datetime.datetime
        ):
            value = _letter_date(value, language)
        replacements[field] = value
    return replacements


def _letter_date(value: datetime.date, language: str) -> LetterDate:
    letter_date = LetterDate(value.year, value.month, value.day)
    letter_date.language = language
    return letter_date


def _check_file_name(file_name: str) -> None:
    name = file_name.lower()
    if not name:
        return
    if name.endswith(MACRO_EXTENSIONS):
        raise DocumentError(
            _(
                "Macro-enabled documents are not accepted. Save the file in Word as "
                "“Word Document (*.docx)” and upload that."
            )
        )
    if not name.endswith(".docx"):
        raise DocumentError(
            _(
                "Only Word documents (.docx) can be used. Save the file in Word as "
                "“Word Document (*.docx)” and upload that."
            )
        )


def _check_package(data: bytes) -> None:
    """Refuse what is not a .docx, macro-enabled packages and zip bombs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise DocumentError(
            _(
                "This is not a Word document (.docx). Save the file in Word as "
                "“Word Document (*.docx)” and upload that."
            )
        ) from error
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise DocumentError(_("The document has too many parts to be a letter."))
        if any(member.flag_bits & ENCRYPTED_FLAG for member in members):
            raise DocumentError(
                _("The document is password-protected. Remove the password in Word.")
            )
        names = {member.filename for member in members}
        if MAIN_PART not in names:
            raise DocumentError(
                _("This is not a Word document (.docx): it has no word/document.xml.")
            )
        _unpack_within_limit(archive, members)
        content_types = (
            archive.read("[Content_Types].xml")
            if ("[Content_Types].xml" in names)
            else b""
        )
    if MACRO_PART in names or b"macroEnabled" in content_types:
        raise DocumentError(
            _(
                "Macro-enabled documents are not accepted. Save the file in Word as "
                "“Word Document (*.docx)” and upload that."
            )
        )


def _unpack_within_limit(archive: zipfile.ZipFile, members) -> None:
    # The sizes in the zip directory can lie, so count what really comes out.
    unpacked = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(UNPACK_CHUNK_BYTES):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNCOMPRESSED_BYTES:
                        raise DocumentError(
                            _(
                                "The document is too large when unpacked "
                                "(more than 100 MB); it may be a zip bomb."
                            )
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise DocumentError(_("The document is damaged and cannot be read.")) from error
