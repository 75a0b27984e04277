"""The Word merge wrapper on real Word-made templates: checks, field matching, values."""

import datetime
import io
import re
import struct
import zipfile
from pathlib import Path

import docx
import pytest

from interactions.demo_letters import build_demo_letter
from interactions.word_merge import (
    DocumentError,
    clean_value,
    merge_document,
    merge_documents,
    normalise_field_name,
    read_merge_fields,
)

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
TRICKY = "Tom & Jerry <b>\"quoted\" 'single'</b> 😀 Žluťoučký kůň – Åsa Öberg"
TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _sample(name: str) -> bytes:
    return next(SAMPLES.rglob(name)).read_bytes()


def _parts(data: bytes) -> dict[str, str]:
    """Every XML part of a .docx, as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }


def _text(xml: str) -> str:
    return "".join(TEXT.findall(xml))


def _unescaped(xml: str) -> str:
    return (
        _text(xml)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&amp;", "&")
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _central_directory_entry(data: bytes, name: bytes) -> int:
    """Offset of the central directory record of member `name`."""
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + name_length] == name:
            return offset
        offset = data.find(b"PK\x01\x02", offset + 4)
    raise AssertionError(f"{name!r} not in the zip")


def _refusal(data: bytes, file_name: str = "letter.docx") -> str:
    with pytest.raises(DocumentError) as error:
        read_merge_fields(data, file_name=file_name)
    return str(error.value)


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("test_one_simple_field.docx", ["fieldname"]),
        ("test_footer.docx", ["footer"]),
        ("test_spaces.docx", ["Hello world", "More than one space", "Singleword"]),
        ("DocWithSplitMergeField.docx", ["CurrentUser:LastName"]),
        ("DocWithFieldInHeader.docx", ["FieldInHeader", "FirstName", "LastName"]),
        ("test_next_record.docx", ["field"]),
    ],
)
def test_it_lists_the_merge_fields_of_real_word_documents(name, fields):
    assert read_merge_fields(_sample(name), file_name=name) == fields


def test_a_renamed_text_file_is_refused():
    assert "not a Word document" in _refusal(b"Dear customer, ...", "letter.docx")


@pytest.mark.parametrize(
    "name", ["letter.doc", "letter.odt", "letter.rtf", "notes.txt"]
)
def test_other_file_types_are_refused_by_name(name):
    assert "Only Word documents (.docx)" in _refusal(build_demo_letter("en"), name)


def test_a_macro_enabled_document_is_refused_by_name_and_by_content():
    members = _members(build_demo_letter("en"))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macros"
    docm = _zip(members)

    assert "Macro-enabled" in _refusal(docm, "letter.docm")
    assert "Macro-enabled" in _refusal(docm, "renamed.docx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked_in_full():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(110):
                member.write(b"\0" * (1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 1024 * 1024

    assert "too large when unpacked" in _refusal(bomb)


def test_a_zip_whose_directory_lies_about_sizes_is_refused():
    data = bytearray(build_demo_letter("en"))
    record = _central_directory_entry(bytes(data), b"word/document.xml")
    struct.pack_into("<I", data, record + 24, 100)  # claims 100 bytes unpacked

    assert "damaged" in _refusal(bytes(data))


def test_a_password_protected_package_is_refused():
    data = bytearray(build_demo_letter("en"))
    record = _central_directory_entry(bytes(data), b"word/document.xml")
    flags = struct.unpack_from("<H", data, record + 8)[0]
    struct.pack_into("<H", data, record + 8, flags | 0x1)

    assert "password-protected" in _refusal(bytes(data))


def test_a_file_over_ten_megabytes_is_refused():
    assert "larger than 10 MB" in _refusal(b"PK" + b"\0" * (10 * 1024 * 1024))


def test_a_zip_without_a_word_document_inside_is_refused():
    assert "word/document.xml" in _refusal(_zip({"hello.txt": b"hi"}))


def test_a_truncated_document_is_refused():
    data = build_demo_letter("en")

    assert _refusal(data[: len(data) // 2])


def test_a_document_whose_xml_is_broken_is_refused():
    members = _members(build_demo_letter("en"))
    members["word/document.xml"] = b"<w:document><unclosed>"

    assert "could not be read as a Word document" in _refusal(_zip(members))


@pytest.mark.parametrize(
    "written",
    ["Contact_Name", "Contact Name", "contact name", "CONTACT-NAME", "Contact Name."],
)
def test_field_names_match_whatever_the_case_spaces_and_punctuation(written):
    assert normalise_field_name(written) == "contactname"


def test_field_names_keep_their_non_english_letters():
    assert normalise_field_name("Město") == "město"


def test_values_lose_xml_illegal_characters_but_keep_line_breaks():
    assert clean_value("  Dlouhá 12\r\nbyt\x0b 3\x00 ") == "Dlouhá 12\nbyt 3"
    assert clean_value(None) == ""
    assert clean_value(42) == "42"
    assert clean_value(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)


@pytest.mark.parametrize(
    "name",
    [
        "test_macword2011.docx",
        "test_winword2010.docx",
        "test_spaces.docx",
        "test_footnote_header_footer.docx",
        "test_merge_table_rows.docx",
        "DocWithSplitMergeField.docx",
        "DocWithoutSplitMergeFieldOrWinstrTextDateRun.docx",
        "TestTemplate2.docx",
    ],
)
def test_every_field_of_a_real_template_is_filled_and_values_survive(name):
    template = _sample(name)
    fields = read_merge_fields(template)
    values = {
        normalise_field_name(field): f"{TRICKY} #{index}"
        for index, field in enumerate(fields)
    }

    merged = merge_document(template, values)

    parts = _parts(merged)
    everything = "".join(_unescaped(xml) for xml in parts.values())
    for index in range(len(fields)):
        assert f"{TRICKY} #{index}" in everything
    assert not any("MERGEFIELD" in xml for xml in parts.values())
    docx.Document(io.BytesIO(merged))


def test_headers_and_footers_are_filled():
    merged = merge_document(
        _sample("DocWithFieldInHeader.docx"),
        {"fieldinheader": "In the header", "firstname": "Åsa", "lastname": "Öberg"},
    )
    footer = merge_document(
        _sample("test_footnote_header_footer.docx"), {"footerfield": "In the footer"}
    )

    parts = _parts(merged)
    assert "In the header" in _text(parts["word/header1.xml"])
    assert "Åsa" in _text(parts["word/document.xml"])
    assert any(
        "In the footer" in _text(xml)
        for name, xml in _parts(footer).items()
        if "footer" in name
    )


def test_a_multi_line_value_becomes_line_breaks_and_control_characters_do_no_harm():
    merged = merge_document(
        build_demo_letter("cs"),
        {
            "contactaddressblock": "Dlouhá 12\nbyt 3\n110 00 Praha",
            "comment": "a\x0bb\x00c",
        },
    )

    body = _parts(merged)["word/document.xml"]
    assert re.search(r"Dlouhá 12</w:t>\s*<w:cr/>\s*<w:t[^>]*>byt 3", body)
    assert "abc" in _text(body)
    docx.Document(io.BytesIO(merged))


def test_missing_values_leave_empty_fields_not_field_codes():
    merged = merge_document(build_demo_letter("en"), {})

    parts = _parts(merged)
    assert not any("MERGEFIELD" in xml or "«" in xml for xml in parts.values())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "23 November 2026"),
        ("sv", "23 november 2026"),
        ("fr", "23 novembre 2026"),
        ("cs", "23. listopadu 2026"),
    ],
)
def test_a_date_picture_is_written_in_the_letter_language(language, expected):
    merged = merge_document(
        build_demo_letter(language),
        {"date": datetime.date(2026, 11, 23)},
        language=language,
    )

    assert expected in _text(_parts(merged)["word/document.xml"])


def test_a_date_field_without_a_picture_gets_the_language_date_format():
    merged = merge_document(
        _sample("test_one_simple_field.docx"),
        {"fieldname": datetime.date(2026, 11, 23)},
        language="cs",
    )

    assert "23. listopadu 2026" in _text(_parts(merged)["word/document.xml"])


def test_a_combined_document_has_one_section_per_letter_with_its_own_header():
    rows = [
        {"fieldinheader": f"Header {index}", "firstname": f"Name {index}"}
        for index in range(3)
    ]

    merged = merge_documents(_sample("DocWithFieldInHeader.docx"), rows)

    parts = _parts(merged)
    body = parts["word/document.xml"]
    assert body.count("<w:sectPr") == 3
    relations = dict(
        re.findall(
            r'Id="(\w+)"[^>]*Target="(header\d+\.xml)"',
            parts["word/_rels/document.xml.rels"],
        )
    )
    headers = [
        _text(parts[f"word/{relations[reference]}"])
        for reference in re.findall(r'headerReference [^>]*r:id="(\w+)"', body)
    ]
    assert [
        header.endswith(f"Header {index}") for index, header in enumerate(headers)
    ] == [
        True,
        True,
        True,
    ]
    assert all(f"Name {index}" in _text(body) for index in range(3))


def test_next_record_fields_work_in_a_combined_document():
    merged = merge_documents(
        _sample("test_next_record.docx"), [{"field": "one"}, {"field": "two"}]
    )

    assert "MERGEFIELD" not in _parts(merged)["word/document.xml"]


@pytest.mark.parametrize("language", ["en", "sv", "fr", "cs"])
def test_the_demo_letter_has_real_merge_fields_in_body_table_header_and_footer(
    language,
):
    letter = build_demo_letter(language)

    fields = read_merge_fields(letter, file_name="letter.docx")
    merged = merge_document(
        letter,
        {normalise_field_name(field): f"<{field}>" for field in fields},
        language=language,
    )

    assert fields == sorted(
        [
            "Comment",
            "Company_Email",
            "Company_Name",
            "Company_Phone",
            "Contact_Address_Block",
            "Contact_No",
            "Date",
            "Formal_Salutation",
            "Salesperson_Email",
            "Salesperson_Job_Title",
            "Salesperson_Name",
            "Salesperson_Phone",
            "Subject",
        ],
        key=str.casefold,
    )
    parts = _parts(merged)
    assert "<Company_Name>" in _unescaped(parts["word/header1.xml"])
    assert "<Contact_No>" in _unescaped(parts["word/footer1.xml"])
    assert "<Salesperson_Phone>" in _unescaped(parts["word/document.xml"])
    document = docx.Document(io.BytesIO(merged))
    assert "<Salesperson_Email>" in document.tables[0].cell(1, 1).text
