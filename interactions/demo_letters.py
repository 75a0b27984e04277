"""A demo business letter with real Word MERGEFIELDs, in English, Swedish, French or Czech.

Built with python-docx plus the field XML Word itself writes, so the demo
templates and the tests merge the same kind of document users upload.
"""

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

TEXTS = {
    "en": {
        "date_picture": "d MMMM yyyy",
        "body": [
            "We are delighted to invite you to our spring product event, where we will "
            "present this year’s new range and the services that come with it.",
            "Please let us know whether you can attend by replying to this letter or by "
            "contacting your account manager.",
        ],
        "closing": "Kind regards",
        "contact": "Your contact",
        "email": "E-mail",
        "phone": "Phone",
        "reference": "Our reference",
    },
    "sv": {
        "date_picture": "d MMMM yyyy",
        "body": [
            "Vi har nöjet att bjuda in dig till vårt vårevenemang, där vi presenterar "
            "årets nyheter och de tjänster som hör till dem.",
            "Meddela oss gärna om du kan komma genom att svara på detta brev eller "
            "kontakta din kundansvarige.",
        ],
        "closing": "Med vänliga hälsningar",
        "contact": "Din kontaktperson",
        "email": "E-post",
        "phone": "Telefon",
        "reference": "Vår referens",
    },
    "fr": {
        "date_picture": "d MMMM yyyy",
        "body": [
            "Nous avons le plaisir de vous inviter à notre événement de printemps, où "
            "nous présenterons les nouveautés de l’année et les services qui les "
            "accompagnent.",
            "Nous vous remercions de bien vouloir nous confirmer votre venue en "
            "répondant à ce courrier ou en contactant votre interlocuteur commercial.",
        ],
        "closing": "Nous vous prions d’agréer l’expression de nos salutations "
        "distinguées.",
        "contact": "Votre contact",
        "email": "E-mail",
        "phone": "Téléphone",
        "reference": "Notre référence",
    },
    "cs": {
        "date_picture": "d. MMMM yyyy",
        "body": [
            "S potěšením vás zveme na naši jarní produktovou akci, kde představíme "
            "letošní novinky a služby, které k nim nabízíme.",
            "Dejte nám prosím vědět, zda se budete moci zúčastnit – stačí odpovědět "
            "na tento dopis nebo kontaktovat svého obchodního zástupce.",
        ],
        "closing": "S pozdravem",
        "contact": "Váš kontakt",
        "email": "E-mail",
        "phone": "Telefon",
        "reference": "Naše značka",
    },
}


def build_demo_letter(language: str) -> bytes:
    """The demo letter in `language` (en, sv, fr or cs) as .docx bytes."""
    texts = TEXTS[language]
    document = docx.Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    section = document.sections[0]

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _complex_field(header, "Company_Name", bold=True)

    _complex_field(document.add_paragraph(), "Contact_Address_Block")
    dated = document.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _complex_field(dated, "Date", switches=f'\\@ "{texts["date_picture"]}"')
    _complex_field(document.add_paragraph(), "Subject", bold=True)
    salutation = document.add_paragraph()
    _complex_field(salutation, "Formal_Salutation")
    for text in texts["body"]:
        document.add_paragraph(text)
    _complex_field(document.add_paragraph(), "Comment")

    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for row, (label, fields) in zip(
        table.rows,
        [
            (texts["contact"], ["Salesperson_Name", "Salesperson_Job_Title"]),
            (texts["email"], ["Salesperson_Email"]),
            (texts["phone"], ["Salesperson_Phone"]),
        ],
        strict=True,
    ):
        row.cells[0].text = label
        paragraph = row.cells[1].paragraphs[0]
        for index, name in enumerate(fields):
            if index:
                paragraph.add_run(", ")
            _complex_field(paragraph, name)

    document.add_paragraph()
    document.add_paragraph(texts["closing"])
    signature = document.add_paragraph()
    # Word often splits a field's instruction over runs; the merge must cope.
    _complex_field(signature, "Salesperson_Name", split=True)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for index, name in enumerate(["Company_Name", "Company_Phone", "Company_Email"]):
        if index:
            footer.add_run(" · ")
        _complex_field(footer, name)
    footer.add_run(f" · {texts['reference']}: ")
    _simple_field(footer, "Contact_No")

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _complex_field(
    paragraph,
    name: str,
    *,
    switches: str = "\\* MERGEFORMAT",
    bold: bool = False,
    split: bool = False,
) -> None:
    """Append { MERGEFIELD name switches } the way Word writes it, showing «name»."""
    instruction = f" MERGEFIELD {name} {switches} "
    parts = [instruction]
    if split:
        middle = len(" MERGEFIELD ") + len(name) // 2
        parts = [instruction[:middle], instruction[middle:]]
    _append_run(paragraph, bold, _field_char("begin"))
    for part in parts:
        _append_run(paragraph, bold, _text_element("w:instrText", part))
    _append_run(paragraph, bold, _field_char("separate"))
    _append_run(paragraph, bold, _text_element("w:t", f"«{name}»"))
    _append_run(paragraph, bold, _field_char("end"))


def _simple_field(paragraph, name: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" MERGEFIELD {name} \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    run.append(_text_element("w:t", f"«{name}»"))
    field.append(run)
    paragraph._p.append(field)


def _append_run(paragraph, bold: bool, child) -> None:
    run = paragraph.add_run()
    run.bold = bold or None
    run._r.append(child)


def _field_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _text_element(tag: str, text: str):
    element = OxmlElement(tag)
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element
