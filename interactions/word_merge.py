"""Word mail merge in one place: list and fill a document's MERGEFIELDs.

Pure: bytes in, bytes out, no models. It wraps docx-mailmerge2 (`mailmerge`),
which understands the fields Word writes with Insert Merge Field (simple and
complex fields, fields split over runs, in headers, footers and tables). Whether
an upload is a safe Word package at all is word_package's job.
"""

import dataclasses
import datetime
import functools
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence

import docx
from django.utils import dateformat, translation
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from mailmerge import MailMerge

from interactions.word_package import DocumentError, check_word_package, parse_xml

# What Word means by a control character pasted into a value (from Word or Excel):
# \v is Word's manual line break; a form feed becomes a line break too, as a page
# break inside one field would push the rest of the letter onto a new page.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
# Other characters XML 1.0 cannot hold (NUL, escape…) and lone surrogates: a
# space, so that the words on either side stay apart.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The parts docx-mailmerge2 merges, by content type: body, headers, footers, notes.
_MERGED_PARTS = re.compile(
    r"wordprocessingml\.(document\.main|header|footer|footnotes|endnotes)\+xml$"
)
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Word fields that step through the data source, or ask, count or set while Word
# merges: a Segmenta letter is one contact and nothing runs them.
_RECORD_FIELDS = {"NEXT", "NEXTIF", "SKIPIF"}
_WORD_ONLY_FIELDS = {"ASK", "FILLIN", "SET", "MERGEREC", "MERGESEQ", "DATABASE"}
# The strftime codes the library produces that name things in a language.
_NAMED_CODES = re.compile("(%[%aAbBxX])")

logger = logging.getLogger(__name__)


def read_merge_fields(data: bytes, *, file_name: str = "") -> list[str]:
    """Check that `data` is a safe, readable .docx; return its merge field names."""
    check_word_package(data, file_name=file_name)
    try:
        with MailMerge(io.BytesIO(data)) as document:
            fields = document.get_merge_fields()
        docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - any parser failure means "unreadable"
        logger.info("Unreadable Word document %s: %s", file_name, error)
        raise DocumentError(
            _(
                "The file could not be read as a Word document. Open it in Word, save "
                "it again as .docx and upload that."
            )
        ) from error
    return sorted((name for name in fields if name), key=str.casefold)


@functools.lru_cache(maxsize=4096)
def normalise_field_name(name: str) -> str:
    """The key a field is matched by: case, spaces, underscores and punctuation ignored.

    Cached: a mailing asks for the same few dozen names once per letter.
    """
    return "".join(character for character in name.casefold() if character.isalnum())


def clean_value(value) -> str | datetime.date:
    """A merge value that cannot break the document: dates kept, text sanitised."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value
    text = _LINE_BREAKS.sub("\n", str(value))
    return _XML_ILLEGAL.sub(" ", text).strip()


def merge_document(
    data: bytes, values: Mapping[str, object], *, language: str = "en"
) -> bytes:
    """One letter: every MERGEFIELD filled from `values` (keyed by normalised name)."""
    try:
        with MailMerge(io.BytesIO(data)) as document:
            replacements = _replacements(document.get_merge_fields(), values, language)
            document.merge(**replacements)
            _tabs_as_word_tabs(document, [replacements])
            output = io.BytesIO()
            document.write(output)
    except Exception as error:  # noqa: BLE001 - reported per letter by the caller
        logger.info("Merging a letter failed: %r", error)
        raise DocumentError(
            _(
                "The letter could not be merged. The Letters page of the segment lists "
                "the fields of its document that cannot be filled."
            )
        ) from error
    return output.getvalue()


def merge_documents(
    data: bytes, rows: Sequence[Mapping[str, object]], *, language: str = "en"
) -> bytes:
    """One combined document, one section per row, each with its own header and footer."""
    try:
        with MailMerge(io.BytesIO(data)) as document:
            fields = document.get_merge_fields()
            replacements = [_replacements(fields, row, language) for row in rows]
            # "page_break" would give every letter the last row's header and footer.
            document.merge_templates(replacements, separator="nextPage_section")
            _tabs_as_word_tabs(document, replacements)
            output = io.BytesIO()
            document.write(output)
    except Exception as error:  # noqa: BLE001
        logger.info("Merging combined letters failed: %r", error)
        raise DocumentError(
            _(
                "The letters could not be merged. The Letters page of the segment "
                "lists the fields of its document that cannot be filled."
            )
        ) from error
    return output.getvalue()


@dataclasses.dataclass(frozen=True)
class Problem:
    """A field of a document that merging cannot fill the way Word would."""

    field: str  # the field code, as Word shows it with Alt+F9
    reason: str


def unmergeable_fields(data: bytes) -> list[Problem]:
    """The fields of a (checked) document that merging leaves wrong, once each."""
    problems = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part_name in _merged_part_names(archive):
            root = parse_xml(archive.read(part_name))
            for problem in _field_problems(root):
                problems.setdefault(problem, None)
    return list(problems)


def _merged_part_names(archive: zipfile.ZipFile) -> list[str]:
    types = parse_xml(archive.read("[Content_Types].xml"))
    names = {name.lower(): name for name in archive.namelist()}
    return [
        names[part_name]
        for override in types.iter(f"{_CONTENT_TYPES}Override")
        if _MERGED_PARTS.search(override.get("ContentType", ""))
        and (part_name := override.get("PartName", "").lstrip("/").lower()) in names
    ]


@dataclasses.dataclass
class _OpenField:
    instruction: list[str] = dataclasses.field(default_factory=list)
    in_result: bool = False  # past the separator: what Word last displayed


def _field_problems(root) -> Iterable[Problem]:
    """Walk the fields in document order; a field inside another is nested."""
    open_fields: list[_OpenField] = []
    for element in root.iter(f"{_W}fldChar", f"{_W}instrText", f"{_W}fldSimple"):
        if element.tag == f"{_W}fldSimple":
            nested = bool(open_fields) or (
                next(element.iterancestors(f"{_W}fldSimple"), None) is not None
            )
            yield from _problems_of(element.get(f"{_W}instr", ""), nested=nested)
        elif element.tag == f"{_W}instrText":
            if open_fields and not open_fields[-1].in_result:
                open_fields[-1].instruction.append(element.text or "")
        elif (kind := element.get(f"{_W}fldCharType")) == "begin":
            open_fields.append(_OpenField())
        elif kind == "separate" and open_fields:
            open_fields[-1].in_result = True
        elif kind == "end" and open_fields:
            instruction = "".join(open_fields.pop().instruction)
            if open_fields and not open_fields[-1].in_result:
                open_fields[-1].instruction.append(f"{{ {instruction.strip()} }}")
            yield from _problems_of(instruction, nested=bool(open_fields))


def _problems_of(instruction: str, *, nested: bool) -> Iterable[Problem]:
    code = " ".join(instruction.split())
    keyword = code.partition(" ")[0].upper()
    if keyword in _RECORD_FIELDS:
        yield Problem(
            code,
            _(
                "Word uses this field to go on to the next record of a data source. "
                "Every Segmenta letter is for one contact, so it cannot be filled: "
                "remove it."
            ),
        )
    elif keyword in _WORD_ONLY_FIELDS:
        yield Problem(
            code,
            _(
                "Only Word runs this field while merging; the letters keep the text "
                "the document shows now. Remove it or replace it with merge fields."
            ),
        )
    elif keyword == "MERGEFIELD" and nested:
        yield Problem(
            code,
            _(
                "This merge field is inside another field (such as IF), so its value "
                "will not show in the letters. Put the merge field on its own."
            ),
        )


def _tabs_as_word_tabs(
    document: MailMerge, replacements: Sequence[Mapping[str, object]]
) -> None:
    """Turn the tabs the library wrote into text into Word's own tab element.

    Word and LibreOffice show a tab character inside text as a space.
    """
    if not any("\t" in str(value) for row in replacements for value in row.values()):
        return
    trees = [part["part"] for part in document.docx.get_parts()]
    trees += [part.content for part in document.new_parts]
    for tree in trees:
        for text in list(tree.iter(f"{_W}t")):
            if "\t" not in (text.text or ""):
                continue
            first, *rest = text.text.split("\t")
            text.text = first
            text.set(_XML_SPACE, "preserve")
            anchor = text
            for piece in rest:
                tab = text.makeelement(f"{_W}tab", {})
                following = text.makeelement(f"{_W}t", {_XML_SPACE: "preserve"})
                following.text = piece
                anchor.addnext(tab)
                tab.addnext(following)
                anchor = following


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
