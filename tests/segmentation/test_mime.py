"""The e-mail bytes written without the email package read back as the same message."""

import email
import email.policy
import os

import pytest

from segmentation.delivery.mime import prepare_message

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _parsed(**overrides):
    arguments = {
        "from_email": "Segmenta <news@segmenta.example>",
        "to": ["Åsa Öberg <asa@exämple.se>"],
        "reply_to": ["anna@segmenta.example"],
        "subject": "Jarní nabídka – Žluťoučký kůň",
        "extra_headers": {
            "Message-ID": "<42.abc@segmenta.example>",
            "List-Unsubscribe": "<https://segmenta.example/unsubscribe/"
            + "x" * 90
            + ">",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": "cs",
        },
        "text": "Dobrý den,\npaní Öberg.\n" + "dlouhý řádek " * 20,
        "attachment": ("Dopis Åsa Öberg.docx", os.urandom(40_000), DOCX),
    } | overrides
    raw = prepare_message(**arguments).as_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    return arguments, email.message_from_bytes(raw, policy=email.policy.default)


def _lines(text: str) -> str:
    # On the wire every line ends in CRLF; a mail program shows plain lines.
    return text.replace("\r\n", "\n")


def test_the_headers_read_back_decoded():
    _arguments, message = _parsed()

    assert message["Subject"] == "Jarní nabídka – Žluťoučký kůň"
    assert message["To"].addresses[0].display_name == "Åsa Öberg"
    assert message["To"].addresses[0].addr_spec == "asa@xn--exmple-cua.se"
    assert message["Reply-To"] == "anna@segmenta.example"
    assert message["Message-ID"] == "<42.abc@segmenta.example>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Content-Language"] == "cs"
    assert message["Date"] is not None


def test_the_unsubscribe_link_stays_one_unencoded_line():
    arguments, message = _parsed()

    link = arguments["extra_headers"]["List-Unsubscribe"]
    assert str(message["List-Unsubscribe"]) == link


def test_the_text_and_the_letter_come_back_exactly():
    arguments, message = _parsed()

    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(("plain",))
    assert _lines(body.get_content()) == arguments["text"]
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "Dopis Åsa Öberg.docx"
    assert attachment.get_content_type() == DOCX
    assert attachment.get_content() == arguments["attachment"][1]


def test_html_goes_beside_the_text():
    _arguments, message = _parsed(html="<p>Dobrý den</p>", attachment=None)

    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("html",)).get_content().strip() == "<p>Dobrý den</p>"


def test_a_plain_message_has_one_part():
    arguments, message = _parsed(attachment=None)

    assert message.get_content_type() == "text/plain"
    assert _lines(message.get_content()) == arguments["text"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject": "Hi\r\nBcc: evil@example.com"},
        {"extra_headers": {"Content-Language": "cs\nBcc: evil@example.com"}},
    ],
)
def test_a_line_break_in_a_header_is_refused(overrides):
    with pytest.raises(ValueError, match="line break"):
        _parsed(**overrides)


def test_an_address_whose_local_part_is_not_ascii_is_refused():
    with pytest.raises(ValueError, match="cannot be sent to"):
        _parsed(to=["Åsa <åsa@example.se>"])
