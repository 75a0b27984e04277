"""The safety check of uploaded Word packages, on hostile files the tests make."""

import io
import re
import zipfile
from pathlib import Path

import pytest

from interactions.demo_letters import build_demo_letter
from interactions.word_package import (
    MAX_COMPRESSION_RATIO,
    MAX_XML_PART_BYTES,
    RATIO_CHECKED_ABOVE_BYTES,
    UNPACK_CHUNK_BYTES,
    DocumentError,
    DocumentTooLarge,
    check_word_package,
)
from tests import word_files

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
# What a parser says, which a user must never see.
PARSER_INTERNALS = re.compile(
    r"line \d|column \d|Entity|xxe|DTDForbidden|lxml|XMLSyntaxError|passwd", re.I
)


def _refusal(data: bytes) -> DocumentError:
    with pytest.raises(DocumentError) as error:
        check_word_package(data, file_name="letter.docx")
    assert not PARSER_INTERNALS.search(str(error.value)), str(error.value)
    return error.value


def _others_unpacked(data: bytes, part: str) -> int:
    """The unpacked size of every part but `part`: read before it, at most."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(
            info.file_size for info in archive.infolist() if info.filename != part
        )


@pytest.mark.parametrize(
    "path", sorted(SAMPLES.rglob("*.docx")), ids=lambda path: path.name
)
def test_every_real_word_sample_passes_the_check(path):
    check_word_package(path.read_bytes(), file_name=path.name)


@pytest.mark.parametrize("language", ["en", "sv", "fr", "cs"])
def test_the_demo_letters_pass_the_check(language):
    check_word_package(build_demo_letter(language), file_name="letter.docx")


def test_a_link_to_a_website_is_fine_as_nothing_is_fetched_on_opening():
    check_word_package(word_files.external_hyperlink(), file_name="letter.docx")


def test_the_link_to_the_data_source_word_merged_with_is_fine():
    # Word writes it into every mail-merge template (three of the real samples).
    letter = word_files.with_relationship(
        f"{word_files.RELATIONSHIPS}/mailMergeSource",
        "file:///C:/Users/anna/Desktop/customers.xlsx",
        relationships_part="word/_rels/settings.xml.rels",
    )

    check_word_package(letter, file_name="letter.docx")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (word_files.external_image, "picture that is stored on the internet"),
        (word_files.address_without_external_mode, "picture that is stored"),
        (word_files.remote_template, "attached to a template stored outside it"),
        (word_files.external_frame, "loads something from the internet"),
        (lambda: word_files.hidden_macros(declared_by="content type"), "macros"),
        (lambda: word_files.hidden_macros(declared_by="relationship"), "macros"),
        (word_files.activex_control, "ActiveX controls"),
        (word_files.ole_object, "embedded file or object"),
        (word_files.embedded_package, "embedded file or object"),
        (word_files.alt_chunk, "altChunk"),
        (word_files.doctype, "document type declaration (DTD)"),
    ],
    ids=[
        "external image",
        "image at a web address",
        "remote template",
        "external frame",
        "macros by content type",
        "macros by relationship",
        "activex",
        "ole object",
        "embedded package",
        "altchunk",
        "xxe in styles",
    ],
)
def test_a_hostile_package_is_refused_with_plain_words(make, message):
    assert message in str(_refusal(make()))


@pytest.mark.parametrize(
    "part", ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml"]
)
def test_a_document_type_declaration_is_refused_in_any_xml_part(part):
    letter = word_files.doctype(part, prolog=b'<?xml version="1.0"?><!DOCTYPE x>')

    assert "(DTD)" in str(_refusal(letter))


def test_a_broken_part_is_refused_without_the_parser_message():
    parts = word_files.members(word_files.small_letter())
    parts["word/styles.xml"] = b"<w:styles><unclosed></w:styles>"

    assert "could not be read" in str(_refusal(word_files.pack(parts)))


def test_a_95_mb_text_part_packed_into_under_400_kb_stops_at_20_mb():
    bomb = word_files.text_bomb(95)
    assert len(bomb) < 400 * 1024

    error = _refusal(bomb)

    assert isinstance(error, DocumentTooLarge)
    assert "too large when unpacked" in str(error)
    others = _others_unpacked(bomb, "word/document.xml")
    assert error.unpacked_bytes <= MAX_XML_PART_BYTES + UNPACK_CHUNK_BYTES + others


def test_a_text_part_over_20_mb_is_refused_even_when_it_packs_like_text():
    letter = word_files.large_text_part(21)

    error = _refusal(letter)

    assert isinstance(error, DocumentTooLarge)
    others = _others_unpacked(letter, "word/document.xml")
    assert error.unpacked_bytes <= MAX_XML_PART_BYTES + UNPACK_CHUNK_BYTES + others


def test_a_part_that_packs_more_than_100_to_1_is_refused_once_read_that_far():
    zeros = word_files.with_part(
        "word/media/image1.png", b"\0" * (50 * 1024 * 1024), content_type="image/png"
    )
    with zipfile.ZipFile(io.BytesIO(zeros)) as archive:
        packed = archive.getinfo("word/media/image1.png").compress_size

    error = _refusal(zeros)

    assert isinstance(error, DocumentTooLarge)
    assert f"more than {MAX_COMPRESSION_RATIO} times" in str(error)
    others = _others_unpacked(zeros, "word/media/image1.png")
    limit = max(RATIO_CHECKED_ABOVE_BYTES, MAX_COMPRESSION_RATIO * packed)
    assert error.unpacked_bytes <= limit + UNPACK_CHUNK_BYTES + others
    assert error.unpacked_bytes < 10 * 1024 * 1024


def test_a_picture_under_1_mb_may_pack_well():
    letter = word_files.with_part(
        "word/media/image1.png", b"\0" * (900 * 1024), content_type="image/png"
    )

    check_word_package(letter, file_name="letter.docx")


def test_two_parts_of_one_name_are_refused():
    buffer = io.BytesIO()
    parts = word_files.members(word_files.small_letter())
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        # Part names are case-insensitive: this is word/document.xml again.
        archive.writestr("WORD/document.xml", b"<w:document/>")

    assert "damaged" in str(_refusal(buffer.getvalue()))


def test_a_package_without_content_types_is_not_a_word_document():
    parts = word_files.members(word_files.small_letter())
    del parts["[Content_Types].xml"]

    assert "not a Word document" in str(_refusal(word_files.pack(parts)))
