"""The Word merge wrapper on real Word-made templates: checks, field matching, values."""

import base64
import datetime
import functools
import io
import re
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from interactions.demo_letters import build_demo_letter
from interactions.word_merge import (
    DocumentError,
    clean_value,
    merge_document,
    merge_documents,
    normalise_field_name,
    read_merge_fields,
    unmergeable_fields,
)
from interactions.word_package import MAX_UNCOMPRESSED_BYTES, MAX_ZIP_MEMBERS
from tests.word_files import field, letter_with, letter_with_header, simple_field

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
TRICKY = "Tom & Jerry <b>\"quoted\" 'single'</b> 😀 Žluťoučký kůň – Åsa Öberg"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RELATIONSHIP_ID = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
)
DEMO_FIELDS = [
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
]
# `zip -P secret` of a [Content_Types].xml and a word/document.xml: a real
# password-protected zip, which Python's zipfile cannot write.
ENCRYPTED_ZIP = base64.b64decode(
    "UEsDBAoACQAAAAAAIVzHHBc8FAAAAAgAAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbD+vrX8pQ6Hm"
    "y+GxawXawkcxEb6wUEsHCMccFzwUAAAACAAAAFBLAwQKAAkAAAAAACFc3VqGDRkAAAANAAAAEQAA"
    "AHdvcmQvZG9jdW1lbnQueG1sGRLTP+NaxgpJscL583gTPHhDnsp9HTIvelBLBwjdWoYNGQAAAA0A"
    "AABQSwECHgMKAAkAAAAAACFcxxwXPBQAAAAIAAAAEwAAAAAAAAABAAAApIEAAAAAW0NvbnRlbnRf"
    "VHlwZXNdLnhtbFBLAQIeAwoACQAAAAAAIVzdWoYNGQAAAA0AAAARAAAAAAAAAAEAAACkgVUAAAB3"
    "b3JkL2RvY3VtZW50LnhtbFBLBQYAAAAAAgACAIAAAACtAAAAAAA="
)


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


def _text(xml: str | bytes) -> str:
    """The text Word shows for one XML part, entities resolved."""
    if isinstance(xml, str):
        xml = xml.encode()
    return "".join(node.text or "" for node in etree.fromstring(xml).iter(f"{W}t"))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_document_xml(data: bytes, change) -> bytes:
    members = _members(data)
    members["word/document.xml"] = change(members["word/document.xml"])
    return _zip(members)


def _central_directory_entry(data: bytes, name: bytes) -> int:
    """Offset of the central directory record of member `name`."""
    offset = data.find(b"PK\x01\x02")
    while offset != -1:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46 : offset + 46 + name_length] == name:
            return offset
        offset = data.find(b"PK\x01\x02", offset + 4)
    raise AssertionError(f"{name!r} not in the zip")


@functools.cache
def _zip_bomb() -> bytes:
    """Under 1 MB on disk, 110 MB of zeros once unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(110):
                member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def _refusal(data: bytes, file_name: str = "letter.docx") -> str:
    with pytest.raises(DocumentError) as error:
        read_merge_fields(data, file_name=file_name)
    return str(error.value)


def _section_texts(data: bytes, kind: str) -> list[str]:
    """For each section in order, the text of its `kind` ("header"/"footer") parts."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        relations = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {relation.get("Id"): relation.get("Target") for relation in relations}
        return [
            " ".join(
                _text(archive.read(f"word/{targets[reference.get(RELATIONSHIP_ID)]}"))
                for reference in section.iter(f"{W}{kind}Reference")
            )
            for section in body.iter(f"{W}sectPr")
        ]


def _with_date_picture(letter: bytes, picture: str) -> bytes:
    return _with_document_xml(
        letter,
        lambda xml: re.sub(rb'\\@ "[^"]*"', f'\\\\@ "{picture}"'.encode(), xml),
    )


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("test_one_simple_field.docx", ["fieldname"]),
        ("test_footer.docx", ["footer"]),
        ("test_spaces.docx", ["Hello world", "More than one space", "Singleword"]),
        ("DocWithSplitMergeField.docx", ["CurrentUser:LastName"]),
        ("DocWithFieldInHeader.docx", ["FieldInHeader", "FirstName", "LastName"]),
        ("test_next_record.docx", ["field"]),
        (
            "test_winword2010.docx",
            [
                "Achternaam",
                "Adresregel_1",
                "Land_of_regio",
                "Plaats",
                "Postcode",
                "Provincie",
                "Titel",
                "Voornaam",
            ],
        ),
    ],
)
def test_it_lists_the_merge_fields_of_real_word_documents(name, fields):
    assert read_merge_fields(_sample(name), file_name=name) == fields


def test_a_renamed_text_file_is_refused():
    assert "not a Word document" in _refusal(b"Dear customer, ...", "letter.docx")


@pytest.mark.parametrize(
    "name", ["letter.doc", "letter.dotx", "letter.odt", "letter.rtf", "notes.txt"]
)
def test_other_file_types_are_refused_by_name(name):
    assert "Only Word documents (.docx)" in _refusal(build_demo_letter("en"), name)


@pytest.mark.parametrize("name", ["letter.docm", "template.dotm"])
def test_macro_enabled_file_types_are_refused_by_name(name):
    assert "Macro-enabled" in _refusal(build_demo_letter("en"), name)


def test_a_macro_enabled_document_is_refused_even_when_renamed_to_docx():
    members = _members(build_demo_letter("en"))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    members["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macros"
    docm = _zip(members)

    assert "Macro-enabled" in _refusal(docm, "letter.docm")
    assert "Macro-enabled" in _refusal(docm, "renamed.docx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked_in_full():
    bomb = _zip_bomb()
    assert len(bomb) < 1024 * 1024

    assert "too large when unpacked" in _refusal(bomb)


def test_a_zip_bomb_whose_directory_understates_its_size_is_still_refused():
    bomb = bytearray(_zip_bomb())
    record = _central_directory_entry(bytes(bomb), b"word/document.xml")
    struct.pack_into("<I", bomb, record + 24, 1000)  # "1,000 bytes unpacked"
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        declared = sum(member.file_size for member in archive.infolist())
    assert declared < MAX_UNCOMPRESSED_BYTES

    assert "damaged" in _refusal(bytes(bomb))


def test_a_zip_with_too_many_members_is_refused():
    members = {f"word/media/{index}.txt": b"" for index in range(MAX_ZIP_MEMBERS)}

    many = _zip({"word/document.xml": b"<w:document/>", **members})

    assert "too many parts" in _refusal(many)


def test_a_password_protected_zip_is_refused():
    assert "password-protected" in _refusal(ENCRYPTED_ZIP)


def test_a_file_over_ten_megabytes_is_refused():
    assert "larger than 10 MB" in _refusal(b"PK" + b"\0" * (10 * 1024 * 1024))


def test_a_zip_without_a_word_document_inside_is_refused():
    assert "word/document.xml" in _refusal(_zip({"hello.txt": b"hi"}))


def test_a_truncated_document_is_refused():
    data = build_demo_letter("en")

    assert "not a Word document" in _refusal(data[: len(data) // 2])


def test_a_document_with_a_bad_checksum_is_refused():
    data = bytearray(build_demo_letter("en"))
    record = _central_directory_entry(bytes(data), b"word/document.xml")
    struct.pack_into("<I", data, record + 16, 0xDEADBEEF)

    assert "damaged" in _refusal(bytes(data))


def test_a_document_whose_xml_is_broken_is_refused():
    broken = _with_document_xml(
        build_demo_letter("en"), lambda xml: b"<w:document><unclosed>"
    )

    assert "could not be read as a Word document" in _refusal(broken)


def test_a_document_with_an_entity_expansion_bomb_is_refused():
    entities = b"".join(
        b'<!ENTITY a%d "%s">' % (level, b"&a%d;" % (level - 1) * 10)
        for level in range(1, 10)
    )
    document_xml = (
        b'<!DOCTYPE d [<!ENTITY a0 "lol">' + entities + b"]>"
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
        b'2006/main"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body>'
        b"</w:document>"
    )
    laughs = _with_document_xml(build_demo_letter("en"), lambda xml: document_xml)

    assert "document type declaration (DTD)" in _refusal(laughs)


@pytest.mark.parametrize(
    "written",
    ["Contact_Name", "Contact Name", "contact name", "CONTACT-NAME", "Contact Name."],
)
def test_field_names_match_whatever_the_case_spaces_and_punctuation(written):
    assert normalise_field_name(written) == "contactname"


def test_field_names_keep_their_non_english_letters():
    assert normalise_field_name("Město") == "město"


def test_control_characters_in_values_become_what_word_means_by_them():
    assert clean_value("Ctrl\x0bName") == "Ctrl\nName"  # Word's manual line break
    assert clean_value("Page\x0cbreak") == "Page\nbreak"
    assert clean_value("a\r\nb\rc") == "a\nb\nc"
    assert clean_value("  Dlouhá\x00byt\x1b3\tA\ufffe ") == "Dlouhá byt 3\tA"
    assert clean_value("lone\ud800surrogate") == "lone surrogate"
    assert clean_value(None) == ""
    assert clean_value(42) == "42"
    assert clean_value(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)


@pytest.mark.parametrize(
    "name",
    [
        "test_macword2011.docx",
        "test_winword2010.docx",
        "test_spaces.docx",
        "test_footer.docx",
        "test_footnote_header_footer.docx",
        "test_merge_table_rows.docx",
        "DocWithSplitMergeField.docx",
        "DocWithFieldInHeader.docx",
        "DocWithoutSplitMergeFieldOrWinstrTextDateRun.docx",
        "Example_for_Multiline.docx",
        "TestTemplate2.docx",
    ],
)
def test_every_field_of_a_real_template_is_filled_and_values_survive(name):
    template = _sample(name)
    fields = read_merge_fields(template)
    values = {
        normalise_field_name(field): f"{TRICKY} #{index}\x0bDlouhá 12\nbyt 3\x00"
        for index, field in enumerate(fields)
    }

    merged = merge_document(template, values)

    parts = _parts(merged)
    # Example_for_Multiline has \* Upper fields, so compare case-insensitively.
    shown = "".join(_text(xml) for name, xml in parts.items() if name.endswith(".xml"))
    raw = "".join(parts.values()).casefold()
    for index in range(len(fields)):
        assert f"{TRICKY} #{index}Dlouhá 12byt 3".casefold() in shown.casefold()
        line_breaks = rf"#{index}</w:t><w:cr/><w:t>dlouhá 12</w:t><w:cr/><w:t>byt 3<"
        assert line_breaks in raw
    assert not any(re.search("MERGEFIELD|«|»", xml) for xml in parts.values())
    docx.Document(io.BytesIO(merged))


def test_a_field_written_with_spaces_is_filled_from_an_underscored_name():
    merged = merge_document(
        _sample("test_spaces.docx"),
        {normalise_field_name("HELLO_WORLD"): "Hej världen"},
    )

    assert "Hej världen" in _text(_parts(merged)["word/document.xml"])


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
    paragraphs = [
        paragraph.text for paragraph in docx.Document(io.BytesIO(merged)).paragraphs
    ]
    assert "a\nb c" in paragraphs


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


@pytest.mark.parametrize(
    ("language", "picture", "expected"),
    [
        ("en", "dddd d MMM yyyy", "Monday 23 Nov 2026"),
        ("sv", "ddd d MMM yyyy", "mån 23 nov 2026"),
        ("fr", "dddd d MMMM yyyy", "lundi 23 novembre 2026"),
        ("cs", "dddd d. MMM yyyy", "pondělí 23. lis 2026"),
    ],
)
def test_weekday_and_short_month_names_are_in_the_letter_language(
    language, picture, expected
):
    letter = _with_date_picture(build_demo_letter(language), picture)

    merged = merge_document(
        letter, {"date": datetime.date(2026, 11, 23)}, language=language
    )

    assert expected in _text(_parts(merged)["word/document.xml"])


def test_a_date_and_time_gets_the_picture_in_the_letter_language():
    letter = _with_date_picture(build_demo_letter("sv"), "d MMMM yyyy HH:mm")
    when = datetime.datetime(2026, 11, 23, 14, 5, tzinfo=datetime.UTC)

    merged = merge_document(letter, {"date": when}, language="sv")

    assert "23 november 2026 14:05" in _text(_parts(merged)["word/document.xml"])


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "23 November 2026"), ("cs", "23. listopadu 2026"), ("xx", "Nov. 23, 2026")],
)
def test_a_date_field_without_a_picture_gets_the_language_date_format(
    language, expected
):
    merged = merge_document(
        _sample("test_one_simple_field.docx"),
        {"fieldname": datetime.date(2026, 11, 23)},
        language=language,
    )

    assert expected in _text(_parts(merged)["word/document.xml"])


def test_a_combined_document_has_one_section_per_letter_with_its_own_header():
    rows = [
        {"fieldinheader": f"Header {index}", "firstname": f"Name {index}"}
        for index in range(3)
    ]

    merged = merge_documents(_sample("DocWithFieldInHeader.docx"), rows)

    headers = _section_texts(merged, "header")
    assert len(headers) == 3
    assert all(f"Header {index}" in headers[index] for index in range(3))
    body = _text(_parts(merged)["word/document.xml"])
    assert all(f"Name {index}" in body for index in range(3))


def test_each_combined_demo_letter_has_its_own_header_footer_and_date():
    rows = [
        {
            "companyname": f"Firma {index}",
            "contactno": f"K-{index}",
            "date": datetime.date(2026, 11, 23 + index),
        }
        for index in range(3)
    ]

    merged = merge_documents(build_demo_letter("cs"), rows, language="cs")

    headers = _section_texts(merged, "header")
    footers = _section_texts(merged, "footer")
    assert [f"Firma {index}" in headers[index] for index in range(3)] == [True] * 3
    assert [f"K-{index}" in footers[index] for index in range(3)] == [True] * 3
    assert len(headers) == len(footers) == 3
    body = _text(_parts(merged)["word/document.xml"])
    for day in (23, 24, 25):
        assert f"{day}. listopadu 2026" in body
    assert not any("MERGEFIELD" in xml for xml in _parts(merged).values())
    docx.Document(io.BytesIO(merged))


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

    assert fields == DEMO_FIELDS
    parts = _parts(merged)
    assert "<Company_Name>" in _text(parts["word/header1.xml"])
    assert "<Contact_No>" in _text(parts["word/footer1.xml"])
    assert "<Salesperson_Phone>" in _text(parts["word/document.xml"])
    assert not any(re.search("MERGEFIELD|«|»", xml) for xml in parts.values())
    document = docx.Document(io.BytesIO(merged))
    assert "<Salesperson_Email>" in document.tables[0].cell(1, 1).text


def test_the_demo_letter_uses_simple_complex_and_split_fields_as_word_does():
    body = _parts(build_demo_letter("fr"))["word/document.xml"]
    footer = _parts(build_demo_letter("fr"))["word/footer1.xml"]

    assert body.count('w:fldCharType="begin"') == 10
    assert '<w:fldSimple w:instr=" MERGEFIELD Contact_No' in footer
    assert "MERGEFIELD Salesper</w:instrText>" in body
    assert '\\@ "d MMMM yyyy"' in body


def _merged_lines(values: dict[str, str], *, combined: bool = False) -> list[str]:
    """The paragraphs python-docx reads from a letter with one Comment field."""
    letter = letter_with(field(" MERGEFIELD Comment ", result="«Comment»"))
    merged = (
        merge_documents(letter, [values])
        if combined
        else merge_document(letter, values)
    )
    return [
        paragraph.text for paragraph in docx.Document(io.BytesIO(merged)).paragraphs
    ]


@pytest.mark.parametrize("combined", [False, True])
def test_a_line_break_pasted_from_word_shows_as_two_lines(combined):
    lines = _merged_lines({"comment": "Ctrl\x0bName"}, combined=combined)

    assert "Ctrl\nName" in lines
    assert not any("CtrlName" in line for line in lines)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Page\x0cbreak", "Page\nbreak"),
        ("Windows\r\nline", "Windows\nline"),
        ("Old Mac\rline", "Old Mac\nline"),
        ("Escape\x1bcharacter", "Escape character"),
        ("Nul\x00byte", "Nul byte"),
    ],
)
def test_other_control_characters_never_glue_words_together(value, shown):
    assert shown in _merged_lines({"comment": value})


@pytest.mark.parametrize("combined", [False, True])
def test_a_tab_in_a_value_becomes_a_word_tab_not_a_space(combined):
    letter = letter_with(field(" MERGEFIELD Comment ", result="«Comment»"))
    row = {"comment": "Item\tPrice\t12 €"}
    merged = (
        merge_documents(letter, [row, row]) if combined else merge_document(letter, row)
    )

    body = _parts(merged)["word/document.xml"]
    # Word and LibreOffice show a tab character inside <w:t> as a space.
    assert not re.search(r"<w:t[^>]*>[^<]*\t", body)
    assert body.count("<w:tab/>") == (4 if combined else 2)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(merged)).paragraphs]
    assert "Item\tPrice\t12 €" in paragraphs


def test_next_fields_cannot_be_filled():
    letter = letter_with(
        field(" MERGEFIELD Contact_Name ", result="«Contact_Name»"),
        field(" NEXT "),
        simple_field(" NEXT "),
    )

    problems = unmergeable_fields(letter)

    assert [problem.field for problem in problems] == ["NEXT"]
    assert "next record" in problems[0].reason


def test_a_merge_field_nested_in_an_if_field_cannot_be_filled():
    letter = letter_with(
        field(
            " IF ",
            field(" MERGEFIELD Contact_Country ", result="«Contact_Country»"),
            ' = "CZ" "Vážený pane" "Dear Sir" ',
            result="Dear Sir",
        ),
        field(" MERGEFIELD Contact_Name ", result="«Contact_Name»"),
        field(' IF 1 < 2 "yes" "no" ', result="yes"),
    )

    problems = unmergeable_fields(letter)

    assert [problem.field for problem in problems] == ["MERGEFIELD Contact_Country"]
    assert "inside another field" in problems[0].reason


def test_a_simple_merge_field_nested_in_an_if_field_cannot_be_filled():
    letter = letter_with(
        field(" IF ", simple_field(" MERGEFIELD Comment "), ' <> "" "x" ""')
    )

    assert [p.field for p in unmergeable_fields(letter)] == ["MERGEFIELD Comment"]


@pytest.mark.parametrize(
    "instruction",
    [
        'NEXTIF { MERGEFIELD City } = "Praha"',
        'SKIPIF Contact_City = "Praha"',
        'ASK Salutation "How shall we greet them?"',
        'FILLIN "Your name?"',
        "MERGEREC",
        "MERGESEQ",
        'SET Greeting "Hello"',
    ],
)
def test_word_only_mail_merge_fields_cannot_be_filled(instruction):
    letter = letter_with(field(f" {instruction} "))

    problems = unmergeable_fields(letter)

    assert [problem.field.split()[0] for problem in problems] == [
        instruction.split()[0]
    ]


def test_fields_in_headers_are_checked_too():
    letter = letter_with_header(field(" NEXT "))

    assert [problem.field for problem in unmergeable_fields(letter)] == ["NEXT"]


def test_the_next_field_of_a_real_word_template_is_found():
    problems = unmergeable_fields(_sample("test_next_record.docx"))

    assert [problem.field for problem in problems] == ["NEXT"]


@pytest.mark.parametrize(
    "path",
    [
        path
        for path in sorted(SAMPLES.rglob("*.docx"))
        if path.name != "test_next_record.docx"
    ],
    ids=lambda path: path.name,
)
def test_real_templates_have_no_unfillable_fields(path):
    assert unmergeable_fields(path.read_bytes()) == []


@pytest.mark.parametrize("language", ["en", "sv", "fr", "cs"])
def test_the_demo_letters_have_no_unfillable_fields(language):
    assert unmergeable_fields(build_demo_letter(language)) == []
