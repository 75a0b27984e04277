"""Bookmarks at the start of each letter of a combined document; pure, bytes in and out.

A PDF of a combined document is split into letters at these bookmarks (LibreOffice
writes them into the PDF). The template gets one bookmark at its first paragraph,
every merged copy of it carries that bookmark, and numbering the copies in
document order names each letter's start.
"""

import io
import zipfile

from django.utils.translation import gettext as _
from lxml import etree

from interactions.word_merge import DocumentError

_MAIN_PART = "word/document.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Far above the ids Word gives a document's own bookmarks.
_FIRST_ID = 900_000


def mark_start(data: bytes, *, name: str) -> bytes:
    """The document with a bookmark called `name` at its first paragraph."""

    def mark(root):
        body = root.find(_tag("body"))
        paragraph = next(body.iter(_tag("p")), None)
        parent = body if paragraph is None else paragraph
        index = 0
        if paragraph is not None and paragraph.find(_tag("pPr")) is not None:
            index = 1
        parent.insert(index, _element("bookmarkStart", id=_FIRST_ID, name=name))
        parent.insert(index + 1, _element("bookmarkEnd", id=_FIRST_ID))

    return _rewrite_main_part(data, mark)


def number_bookmarks(data: bytes, *, name: str) -> bytes:
    """Each copy of bookmark `name`, in document order, renamed `name1`, `name2`…"""

    def number(root):
        count = 0
        for start in root.iter(_tag("bookmarkStart")):
            if start.get(_tag("name")) != name:
                continue
            count += 1
            start.set(_tag("name"), f"{name}{count}")
            start.set(_tag("id"), str(_FIRST_ID + count))
            end = start.getnext()  # mark_start put the end right after the start
            if end is not None and end.tag == _tag("bookmarkEnd"):
                end.set(_tag("id"), str(_FIRST_ID + count))

    return _rewrite_main_part(data, number)


def _rewrite_main_part(data: bytes, change) -> bytes:
    output = io.BytesIO()
    try:
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for member in source.infolist():
                content = source.read(member)
                if member.filename == _MAIN_PART:
                    root = etree.fromstring(content)
                    change(root)
                    content = etree.tostring(
                        root, xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                target.writestr(member, content)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, AttributeError) as error:
        raise DocumentError(_("The document is damaged and cannot be read.")) from error
    return output.getvalue()


def _tag(name: str) -> str:
    return f"{{{_W}}}{name}"


def _element(tag: str, **attributes) -> etree._Element:
    element = etree.Element(_tag(tag))
    for attribute, value in attributes.items():
        element.set(_tag(attribute), str(value))
    return element
