"""The bytes of one e-mail, written directly: the email package costs ~3 ms a message.

A mailing is thousands of messages of one fixed shape (text, optional HTML, one
attachment), so their MIME is written here from that shape: headers encoded by
the standard library's own encoders (RFC 2047 words, RFC 2231 file names, Django's
address sanitising), bodies by binascii (quoted-printable, base64) in C. Every
value that reaches a header has been made one line by the caller; this module
still refuses a line break in a header, so no value can add a header.
"""

import base64
import binascii
import random
from collections.abc import Sequence
from email.header import Header
from email.utils import encode_rfc2231, formataddr, formatdate, parseaddr

CRLF = b"\r\n"


class PreparedMessage:
    """What a Django mail backend needs of `EmailMessage.message()`: the bytes,
    and the headers by name."""

    def __init__(self, headers: dict[str, str], body: bytes):
        self.headers = headers
        self.body = body

    def __getitem__(self, name: str) -> str | None:
        return self.headers.get(name)

    def as_bytes(self, *args, **kwargs) -> bytes:
        lines = [
            f"{name}: {value}".encode("ascii") for name, value in self.headers.items()
        ]
        return CRLF.join(lines) + CRLF + CRLF + self.body


def prepare_message(
    *,
    from_email: str,
    to: Sequence[str],
    reply_to: Sequence[str],
    subject: str,
    extra_headers: dict[str, str],
    text: str,
    html: str = "",
    attachment: tuple[str, bytes, str] | None = None,
) -> PreparedMessage:
    """One message: multipart/mixed of the body (text, or text and HTML) and the letter."""
    headers = {
        "From": _address(from_email),
        "To": ", ".join(_address(address) for address in to),
    }
    if reply_to:
        headers["Reply-To"] = ", ".join(_address(address) for address in reply_to)
    headers["Subject"] = _encoded_word(subject, "Subject")
    headers["Date"] = formatdate(localtime=True)
    headers["MIME-Version"] = "1.0"
    for name, value in extra_headers.items():
        headers[name] = _encoded_word(value, name)
    part = _text_part(text, "plain")
    if html:
        part = _multipart("alternative", [part, _text_part(html, "html")])
    if attachment is not None:
        part = _multipart("mixed", [part, _attachment(*attachment)])
    part_headers, payload = part
    headers |= part_headers
    for name, value in headers.items():
        if "\r" in value.replace("\r\n ", "") or "\n" in value.replace("\r\n ", ""):
            raise ValueError(f"A line break in the {name} header.")
    return PreparedMessage(headers, payload)


def _address(value: str) -> str:
    """'Åsa Öberg <asa@exämple.se>' as a header takes it: the name as RFC 2047
    words, the domain in IDNA; a local part that is not ASCII cannot be sent."""
    name, address = parseaddr(value)
    local, _at, domain = address.rpartition("@")
    if not local or not local.isascii():
        raise ValueError(f"{value!r} is an address mail cannot be sent to")
    domain = domain.encode("idna").decode("ascii")
    return formataddr((name, f"{local}@{domain}"), charset="utf-8")


# A part: its headers, and its body as bytes with CRLF line ends.
Part = tuple[dict[str, str], bytes]


def _encoded_word(value: str, name: str) -> str:
    # ASCII stays as it is (one line up to RFC 5322's 998 characters: the
    # List-Unsubscribe link must not be encoded); anything else is RFC 2047.
    if value.isascii():
        return value
    return Header(value, "utf-8", header_name=name).encode(linesep="\r\n")


def _text_part(text: str, subtype: str) -> Part:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return (
        {
            "Content-Type": f'text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding": "quoted-printable",
        },
        binascii.b2a_qp(lines, istext=True).replace(b"\n", CRLF),
    )


def _attachment(file_name: str, content: bytes, mimetype: str) -> Part:
    if file_name.isascii():
        quoted = file_name.replace("\\", "\\\\").replace('"', '\\"')
        name, disposition = f'name="{quoted}"', f'filename="{quoted}"'
    else:
        encoded = encode_rfc2231(file_name, "utf-8")
        name, disposition = f"name*={encoded}", f"filename*={encoded}"
    return (
        {
            "Content-Type": f"{mimetype}; {name}",
            "Content-Disposition": f"attachment; {disposition}",
            "Content-Transfer-Encoding": "base64",
        },
        base64.encodebytes(content).replace(b"\n", CRLF),
    )


def _multipart(subtype: str, parts: list[Part]) -> Part:
    # Unique enough, and never in a part: "=_" cannot occur in base64 or
    # quoted-printable text. Not `secrets`: its system call hands the GIL to the
    # sending thread for a whole switch interval, once per message.
    boundary = f"=_segmenta_{random.getrandbits(96):024x}"
    delimiter = b"--" + boundary.encode("ascii") + CRLF
    chunks = []
    for headers, payload in parts:
        chunks.append(delimiter)
        chunks.extend(
            f"{name}: {value}".encode("ascii") + CRLF for name, value in headers.items()
        )
        chunks.extend([CRLF, payload, CRLF])
    chunks.append(b"--" + boundary.encode("ascii") + b"--" + CRLF)
    return {"Content-Type": f'multipart/{subtype}; boundary="{boundary}"'}, b"".join(
        chunks
    )
