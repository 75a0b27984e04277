"""One interaction's e-mail: recipient, subject, text, headers and the merged letter.

Every value that comes from contact or user data and goes into a header is
folded onto one line first, so a name or subject can never add a header.
"""

import re
import secrets
from collections.abc import Callable, Iterable
from email.headerregistry import Address
from email.utils import formataddr, parseaddr
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from contacts.unsubscribe import unsubscribe_url
from core.office import PdfError, convert_to_pdf, converter_port
from interactions.email_body import default_body, email_for_language, fill_placeholders
from interactions.models import (
    AttachmentFormat,
    InteractionLogEntry,
    InteractionTemplate,
    TemplateEmail,
)
from segmentation.delivery.mime import PreparedMessage, prepare_message
from segmentation.letters.building import Letter, LetterMerger

PDF_MIMETYPE = "application/pdf"
DOCX_MIMETYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
# Line breaks and every other control character: nothing a header may carry.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")
SUBJECT_LENGTH = 200


class Attachment(NamedTuple):
    name: str
    content: bytes
    mimetype: str


class MessageError(ValueError):
    """An e-mail that cannot be made (no letter, attachment too large); a permanent failure."""


AttachmentMaker = Callable[
    [InteractionLogEntry, Letter, LetterMerger], "Attachment | None"
]


def attachment_for(
    entry: InteractionLogEntry, letter: Letter, merger: LetterMerger
) -> Attachment | None:
    """The entry's merged letter as an attachment, or None when it has no letter.

    The entry's template says PDF or .docx. A PDF is made by the unoserver this
    process uses (core.office.converter_port); without one the letter goes as
    .docx, and the delivery job's page says so.
    """
    if entry.document_id is None:
        return None
    docx = merger.merge(letter)
    port = converter_port()
    if entry.template.attachment_format != AttachmentFormat.PDF or port is None:
        return Attachment(letter.file_name, docx, DOCX_MIMETYPE)
    try:
        pdf = convert_to_pdf(docx, port=port)
    except PdfError as error:
        raise MessageError(str(error)) from error
    return Attachment(
        str(PurePath(letter.file_name).with_suffix(".pdf")), pdf, PDF_MIMETYPE
    )


def one_line(text: str) -> str:
    """`text` folded onto one line: control characters become single spaces."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def new_message_id_token() -> str:
    """A random part for the Message-IDs of one batch."""
    return secrets.token_hex(8)


def message_id_for(entry_id: int, token: str) -> str:
    """`<entry.token@our domain>`: unique, and written in SQL by message_id_expression."""
    return f"<{entry_id}.{token}@{_sender_domain()}>"


def message_id_expression(token: str):
    """message_id_for(pk, token) as a database expression, for one UPDATE of a batch."""
    return Concat(
        Value("<"),
        Cast("pk", output_field=CharField()),
        Value(f".{token}@{_sender_domain()}>"),
        output_field=CharField(),
    )


def _ascii_address(address: str) -> str:
    """The address as SMTP without SMTPUTF8 carries it: the domain in IDNA (punycode).

    A local part outside ASCII cannot be carried; that e-mail fails (MessageError).
    """
    local, _at, domain = one_line(address).rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        domain = ""
    if not (local.isascii() and domain):
        raise MessageError(
            _(
                "The e-mail address “%(address)s” cannot be used: only addresses "
                "whose part before the @ is plain ASCII can be sent to."
            )
            % {"address": one_line(address)}
        )
    return f"{local}@{domain}"


def _sender_domain() -> str:
    return Address(addr_spec=parseaddr(settings.DEFAULT_FROM_EMAIL)[1]).domain or (
        "localhost"
    )


class _PreparedEmail(EmailMessage):
    """A Django message whose MIME is already written (`mime.prepare_message`)."""

    def __init__(self, prepared: PreparedMessage, *, from_email: str, to: list[str]):
        super().__init__(from_email=from_email, to=to)
        self.prepared = prepared

    def message(self, *, policy=None) -> PreparedMessage:
        return self.prepared


class MessageBuilder:
    """Builds the e-mails of one logged segment, reading templates and texts once."""

    def __init__(
        self,
        *,
        templates: dict[int, InteractionTemplate],
        emails: Iterable[TemplateEmail],
        attachment: AttachmentMaker = attachment_for,
    ):
        self.templates = templates
        self.emails_by_template: dict[int, list[TemplateEmail]] = {}
        for text in emails:
            self.emails_by_template.setdefault(text.template_id, []).append(text)
        self.attachment = attachment
        self.merger = LetterMerger()

    def build(self, entry: InteractionLogEntry, letter: Letter) -> EmailMessage:
        """The entry's message, with the Message-ID stored on the entry."""
        template = self.templates[entry.template_id]
        language = entry.language or template.default_language
        text = email_for_language(
            self.emails_by_template.get(template.pk, ()),
            language,
            default_language=template.default_language,
        )
        body = fill_placeholders(
            text.body_text if text else default_body(language),
            letter.values,
            language=language,
        )
        contact = entry.contact
        headers = {
            "Message-ID": entry.message_id,
            "List-Unsubscribe": f"<{unsubscribe_url(contact.pk)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if language:
            headers["Content-Language"] = one_line(language)
        salesperson_email = entry.salesperson.email if entry.salesperson else ""
        entry.template = template  # read once for the segment, not per entry
        attachment = self.attachment(entry, letter, self.merger)
        if attachment and len(attachment.content) > settings.EMAIL_MAX_ATTACHMENT_BYTES:
            raise MessageError(
                _("The letter (%(size)d KB) is larger than the limit (%(limit)d KB).")
                % {
                    "size": len(attachment.content) // 1024,
                    "limit": settings.EMAIL_MAX_ATTACHMENT_BYTES // 1024,
                }
            )
        to = [formataddr((one_line(contact.name), _ascii_address(contact.email)))]
        html = (
            fill_placeholders(
                text.body_html, letter.values, language=language, html=True
            )
            if text and text.body_html
            else ""
        )
        try:
            prepared = prepare_message(
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=to,
                reply_to=[one_line(salesperson_email)] if salesperson_email else [],
                subject=one_line(entry.subject or template.description)[
                    :SUBJECT_LENGTH
                ],
                extra_headers=headers,
                text=body,
                html=html,
                attachment=tuple(attachment) if attachment else None,
            )
        except ValueError as error:  # an address no header can carry
            raise MessageError(
                _("The e-mail cannot be written: %(problem)s") % {"problem": error}
            ) from error
        return _PreparedEmail(prepared, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
