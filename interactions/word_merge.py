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
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from mailmerge import MailMerge

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2_000

_MAIN_PART = "word/document.xml"
_CONTENT_TYPES_PART = "[Content_Types].xml"
_MACRO_PART = "word/vbaproject.bin"
_MACRO_EXTENSIONS = (".docm", ".dotm")
_UNPACK_CHUNK_BYTES = 64 * 1024
_ENCRYPTED_FLAG = 0x1
# Characters XML 1.0 cannot hold (Excel's vertical tab, NUL…) and lone surrogates.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The strftime codes the library produces that name things in a language.
_NAMED_CODES = re.compile("(%[%aAbBxX])")


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
    return _XML_ILLEGAL.sub("", text).strip()


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


class _LocalisedNames:
    """Names months and weekdays in the letter's language when the library formats.

    The library turns Word's date pictures into strftime codes, whose names come
    from the process-wide C locale; setlocale is not thread-safe, so the names
    come from Django's translations instead.
    """

    language = "en"

    def strftime(self, format_string: str) -> str:
        pieces = _NAMED_CODES.split(format_string)
        with translation.override(self.language):
            return "".join(
                self._name(piece) if index % 2 else self._numbers(piece)
                for index, piece in enumerate(pieces)
            )

    def _numbers(self, format_string: str) -> str:
        return super().strftime(format_string) if format_string else ""

    def _name(self, code: str) -> str:
        if code == "%%":
            return "%"
        if code == "%x":  # a date field without a picture
            return date_format(self, "DATE_FORMAT")
        if code == "%X":
            return time_format(self, "TIME_FORMAT")
        month = dateformat.format(self, "F")
        if code == "%B":
            # "E" is the month as used in a date: the genitive where the language
            # has one ("23. listopadu 2026"); elsewhere it only differs in case.
            in_a_date = dateformat.format(self, "E")
            return in_a_date if in_a_date.casefold() != month.casefold() else month
        if code == "%b":
            # Django's "M" title-cases every language; keep the language's own case.
            abbreviation = str(MONTHS_3[self.month])
            return abbreviation.capitalize() if month[:1].isupper() else abbreviation
        return dateformat.format(self, "l" if code == "%A" else "D")


class _LetterDate(_LocalisedNames, datetime.date):
    """A date formatted in the letter's language."""


class _LetterDateTime(_LocalisedNames, datetime.datetime):
    """A date and time formatted in the letter's language."""


def _replacements(
    document_fields: Iterable[str], values: Mapping[str, object], language: str
) -> dict[str, object]:
    replacements = {}
    for field in document_fields:
        value = clean_value(values.get(normalise_field_name(field)))
        if isinstance(value, datetime.date):
            value = _in_language(value, language)
        replacements[field] = value
    return replacements


def _in_language(value: datetime.date, language: str) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = _LetterDateTime.combine(value.date(), value.timetz())
    else:
        value = _LetterDate.fromordinal(value.toordinal())
    value.language = language
    return value


def _check_file_name(file_name: str) -> None:
    name = file_name.lower()
    if not name:
        return
    if name.endswith(_MACRO_EXTENSIONS):
        raise DocumentError(_macro_message())
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
        if any(member.flag_bits & _ENCRYPTED_FLAG for member in members):
            raise DocumentError(
                _("The document is password-protected. Remove the password in Word.")
            )
        names = {member.filename for member in members}
        if _MAIN_PART not in names:
            raise DocumentError(
                _("This is not a Word document (.docx): it has no word/document.xml.")
            )
        _unpack_within_limit(archive, members)
        content_types = b""
        if _CONTENT_TYPES_PART in names:
            content_types = archive.read(_CONTENT_TYPES_PART)
    # Part names are case-insensitive in a Word package; a .docm renamed to
    # .docx still declares its macroEnabled main part.
    has_macros = _MACRO_PART in {name.lower() for name in names}
    if has_macros or b"macroenabled" in content_types.lower():
        raise DocumentError(_macro_message())


def _unpack_within_limit(archive: zipfile.ZipFile, members) -> None:
    # The sizes in the zip directory can lie, so count what really comes out.
    unpacked = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(_UNPACK_CHUNK_BYTES):
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


def _macro_message() -> str:
    return _(
        "Macro-enabled documents are not accepted. Save the file in Word as "
        "“Word Document (*.docx)” and upload that."
    )
