"""Is an uploaded file a safe Word package? Checked before anything parses it for real.

A .docx is a zip of parts. What Word and LibreOffice do with a part follows from
the package's own declarations — its content types ([Content_Types].xml) and its
relationships (every `_rels/*.rels` part) — so that is what is checked, never
part names, which anyone can choose. Every part is unpacked as a stream and
reading stops as soon as a limit is crossed; every XML part goes through an XML
parser that loads nothing from outside and refuses document type declarations,
and so entities (Word never writes either).
"""

import io
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_XML_PART_BYTES = 20 * 1024 * 1024
# Word's XML packs about 10:1; a part that packs far better is filler.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_ABOVE_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 2_000
UNPACK_CHUNK_BYTES = 64 * 1024

_MAIN_PART = "word/document.xml"
_CONTENT_TYPES_PART = "[content_types].xml"
_RELATIONSHIPS_CONTENT_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
_RELATIONSHIPS_PART = re.compile(r"(^|/)_rels/[^/]+\.rels$", re.IGNORECASE)
_MACRO_EXTENSIONS = (".docm", ".dotm")
_ENCRYPTED_FLAG = 0x1
# Links Word keeps to the data source a template was merged with in Word; they
# are never opened with the letter (the merge removes Word's mail-merge settings).
_ALLOWED_EXTERNAL = ("/hyperlink", "/mailmergesource", "/mailmergeheadersource")
# A relationship target that is an address (http:, file:, \\server) points outside
# the package even when it does not say TargetMode="External".
_ADDRESS = re.compile(r"^([a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)

logger = logging.getLogger(__name__)


class DocumentError(ValueError):
    """A document that cannot be used, with a message for the user."""


class DocumentTooLarge(DocumentError):
    """A package that unpacks beyond a limit; `unpacked_bytes` is what was read."""

    def __init__(self, message: str, *, unpacked_bytes: int):
        super().__init__(message)
        self.unpacked_bytes = unpacked_bytes


def check_word_package(data: bytes, *, file_name: str) -> None:
    """Refuse, with a message for the user, what is not a safe .docx package."""
    _check_file_name(file_name)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(too_large_message())
    archive = _open(data)
    with archive:
        package = _Package(archive, file_name=file_name)
        package.read()
    package.check_declarations()


def too_large_message() -> str:
    return _("The file is larger than %(megabytes)d MB.") % {
        "megabytes": MAX_DOCUMENT_BYTES // (1024 * 1024)
    }


@dataclass
class _Package:
    archive: zipfile.ZipFile
    file_name: str
    unpacked_bytes: int = 0
    defaults: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)
    relationships: dict[str, bytes] = field(default_factory=dict)
    content_types: dict[str, str] = field(default_factory=dict)

    def read(self) -> None:
        members = [info for info in self.archive.infolist() if not info.is_dir()]
        _check_members(members)
        by_name = {member.filename.lower(): member for member in members}
        if _CONTENT_TYPES_PART not in by_name:
            raise DocumentError(_not_a_document_message())
        self._read_content_types(by_name.pop(_CONTENT_TYPES_PART))
        for member in members:
            if member.filename.lower() == _CONTENT_TYPES_PART:
                continue
            content_type = self._content_type(member.filename)
            self.content_types[member.filename] = content_type
            is_relationships = (
                content_type == _RELATIONSHIPS_CONTENT_TYPE
                or _RELATIONSHIPS_PART.search(member.filename) is not None
            )
            is_xml = (
                is_relationships
                or content_type.endswith("xml")
                or member.filename.lower().endswith((".xml", ".rels"))
            )
            content = self._unpack(member, xml=is_xml, keep=is_relationships)
            if is_relationships:
                self.relationships[member.filename] = content

    def check_declarations(self) -> None:
        for content_type in self.content_types.values():
            _check_content_type(content_type)
        for part_name, content in self.relationships.items():
            for relationship in parse_xml(content).iter():
                if _local_name(relationship.tag) == "Relationship":
                    _check_relationship(relationship.attrib, part_name=part_name)

    def _read_content_types(self, member: zipfile.ZipInfo) -> None:
        root = parse_xml(self._unpack(member, xml=True, keep=True))
        for entry in root:
            content_type = entry.get("ContentType", "").strip().lower()
            if _local_name(entry.tag) == "Default":
                self.defaults[entry.get("Extension", "").lower()] = content_type
            elif _local_name(entry.tag) == "Override":
                part_name = entry.get("PartName", "").lstrip("/").lower()
                self.overrides[part_name] = content_type

    def _content_type(self, part_name: str) -> str:
        name = part_name.lower()
        if name in self.overrides:
            return self.overrides[name]
        return self.defaults.get(name.rpartition(".")[2], "")

    def _unpack(self, member: zipfile.ZipInfo, *, xml: bool, keep: bool) -> bytes:
        """Stream one part out, counting; parse it as it comes if it is XML."""
        parser = _XmlCheck(self.file_name, member.filename) if xml else None
        kept = io.BytesIO() if keep else None
        part_bytes = 0
        try:
            with self.archive.open(member) as stream:
                while chunk := stream.read(UNPACK_CHUNK_BYTES):
                    part_bytes += len(chunk)
                    self.unpacked_bytes += len(chunk)
                    self._check_limits(member, part_bytes, xml=xml)
                    if parser:
                        parser.feed(chunk)
                    if kept is not None:
                        kept.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
            logger.info(
                "Damaged part %s in %s: %s", member.filename, self.file_name, error
            )
            raise DocumentError(_damaged_message()) from error
        if parser:
            parser.close()
        return kept.getvalue() if kept is not None else b""

    def _check_limits(self, member: zipfile.ZipInfo, part_bytes: int, *, xml: bool):
        if self.unpacked_bytes > MAX_UNCOMPRESSED_BYTES:
            message = _(
                "The document is too large when unpacked (more than %(megabytes)d MB); "
                "it may be a zip bomb."
            ) % {"megabytes": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        elif xml and part_bytes > MAX_XML_PART_BYTES:
            message = _(
                "The document is too large when unpacked: one of its parts holds more "
                "than %(megabytes)d MB of text; it may be a zip bomb."
            ) % {"megabytes": MAX_XML_PART_BYTES // (1024 * 1024)}
        elif part_bytes > RATIO_CHECKED_ABOVE_BYTES and part_bytes > (
            MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            message = _(
                "The document is too large when unpacked: one of its parts grows more "
                "than %(ratio)d times; it may be a zip bomb."
            ) % {"ratio": MAX_COMPRESSION_RATIO}
        else:
            return
        raise DocumentTooLarge(message, unpacked_bytes=self.unpacked_bytes)


class _XmlCheck:
    """Parses a part as it is unpacked: a DTD stops reading; bad XML is noted."""

    def __init__(self, file_name: str, part_name: str):
        self.file_name = file_name
        self.part_name = part_name
        self.parser = _parser(target=_RefuseDoctype())
        self.error: Exception | None = None

    def feed(self, chunk: bytes) -> None:
        if self.error is None:
            self._run(self.parser.feed, chunk)

    def close(self) -> None:
        if self.error is None:
            self._run(self.parser.close)
        if self.error is not None:
            raise DocumentError(
                _(
                    "The file could not be read as a Word document: one of its parts "
                    "is damaged. Open it in Word, save it again as .docx and upload that."
                )
            ) from self.error

    def _run(self, step, *arguments) -> None:
        try:
            step(*arguments)
        except _DoctypeFound as error:
            self._log(error)
            raise DocumentError(
                _(
                    "The document contains a document type declaration (DTD), which "
                    "Word never writes and which can be used to attack the server. "
                    "Open it in Word, save it again as .docx and upload that."
                )
            ) from error
        except etree.XMLSyntaxError as error:
            # Keep unpacking to count the bytes; the refusal comes at the end.
            self._log(error)
            self.error = error

    def _log(self, error: Exception) -> None:
        logger.info("Refused %s, part %s: %s", self.file_name, self.part_name, error)


class _DoctypeFound(Exception):
    pass


class _RefuseDoctype:
    """A parser target that keeps nothing and stops at a DOCTYPE, before its subset."""

    def doctype(self, name, public_id, system_id) -> None:
        raise _DoctypeFound(f"DOCTYPE {name} {public_id or ''} {system_id or ''}")

    def close(self) -> None:
        return None


def _parser(**options) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, **options
    )


def parse_xml(content: bytes):
    """A part of a checked package as a tree, with nothing loaded from outside."""
    return etree.fromstring(content, parser=_parser())


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise DocumentError(_not_a_document_message()) from error


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise DocumentError(_("The document has too many parts to be a letter."))
    if any(member.flag_bits & _ENCRYPTED_FLAG for member in members):
        raise DocumentError(
            _("The document is password-protected. Remove the password in Word.")
        )
    names = [member.filename.lower() for member in members]
    if _MAIN_PART not in names:
        raise DocumentError(
            _("This is not a Word document (.docx): it has no word/document.xml.")
        )
    # Two parts of one name: programs would disagree on which one is the document.
    if len(set(names)) != len(names):
        raise DocumentError(_damaged_message())


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


def _check_content_type(content_type: str) -> None:
    if any(word in content_type for word in ("vbaproject", "vbadata", "macroenabled")):
        raise DocumentError(_macro_message())
    if "activex" in content_type:
        raise DocumentError(_activex_message())
    if "oleobject" in content_type:
        raise DocumentError(_embedding_message())


def _check_relationship(attributes: dict[str, str], *, part_name: str) -> None:
    kind = attributes.get("Type", "").strip().lower()
    if "vbaproject" in kind or "vbadata" in kind:
        raise DocumentError(_macro_message())
    if kind.endswith("/control") or "activex" in kind:
        raise DocumentError(_activex_message())
    if kind.endswith(("/oleobject", "/package")):
        raise DocumentError(_embedding_message())
    if kind.endswith("/afchunk"):
        raise DocumentError(
            _(
                "The document includes the content of another file that Word imports "
                "when it opens the document (altChunk). Open it in Word, save it again "
                "as .docx and upload that."
            )
        )
    external = attributes.get("TargetMode", "").strip().lower() == "external"
    outside = external or _ADDRESS.match(attributes.get("Target", "").strip())
    if not outside or kind.endswith(_ALLOWED_EXTERNAL):
        return
    logger.info("Refused external relationship %s in %s", attributes, part_name)
    if kind.endswith("/image"):
        raise DocumentError(
            _(
                "The document shows a picture that is stored on the internet or in "
                "another file, and would be fetched every time a letter is opened. "
                "In Word, insert the picture into the document itself (Insert → "
                "Pictures → This Device) and upload it again."
            )
        )
    if kind.endswith("/attachedtemplate"):
        raise DocumentError(
            _(
                "The document is attached to a template stored outside it, which "
                "would be fetched every time a letter is opened. In Word, attach it to "
                "the Normal template (Developer → Document Template) and upload it "
                "again."
            )
        )
    raise DocumentError(
        _(
            "The document loads something from the internet or from another file "
            "(%(kind)s) every time it is opened. Put the content into the document "
            "itself and upload it again."
        )
        % {"kind": kind.rpartition("/")[2] or _("unknown")}
    )


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def _not_a_document_message() -> str:
    return _(
        "This is not a Word document (.docx). Save the file in Word as "
        "“Word Document (*.docx)” and upload that."
    )


def _damaged_message() -> str:
    return _("The document is damaged and cannot be read.")


def _macro_message() -> str:
    return _(
        "The document contains macros. Macro-enabled documents are not accepted: save "
        "it in Word as “Word Document (*.docx)”, without macros, and upload it again."
    )


def _activex_message() -> str:
    return _(
        "The document contains ActiveX controls, which run programs. Remove them in "
        "Word (Developer → Design Mode, then delete the controls) and upload it again."
    )


def _embedding_message() -> str:
    return _(
        "The document contains an embedded file or object (an OLE object, or a "
        "chart's spreadsheet). Paste it into Word as a picture instead and upload the "
        "document again."
    )
