"""One open connection to the mail server, many messages, and what a refusal means.

A reply in the 5xx range is permanent: that message fails and the others go on.
A 4xx reply, a timeout, a refused or dropped connection is temporary: the
message is tried again after each of EMAIL_RETRY_DELAYS, on a new connection.
"""

import contextlib
import smtplib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import EmlFolderBackend
from core.ratelimit import wait_for_turn

if TYPE_CHECKING:
    from django.core.mail import EmailMessage

    from interactions.models import InteractionLogEntry

RATE_LIMIT_KEY = "email-sending"


class PermanentFailure(Exception):
    """The server refused this message for good (5xx), or kept refusing it (4xx)."""


class MailServerUnavailable(Exception):
    """The mail server could not be reached, after every retry."""


class Sender:
    """Sends messages over one connection, reopened after a temporary fault."""

    def __init__(self, *, mail_folder: str):
        self.connection = mail.mailers.default
        self.mail_folder: Path | None = None
        # Whether the last message got to the server before a fault: it may
        # have been delivered even though no reply confirmed it.
        self.may_have_delivered = False
        if isinstance(self.connection, EmlFolderBackend):
            self.mail_folder = self.connection.use_subfolder(mail_folder)

    def send(self, message) -> None:
        """Send one message or raise PermanentFailure / MailServerUnavailable."""
        delays = list(settings.EMAIL_RETRY_DELAYS)
        self.may_have_delivered = False
        while True:
            wait_for_turn(RATE_LIMIT_KEY, per_minute=settings.EMAIL_RATE_PER_MINUTE)
            reached = False
            try:
                self.connection.open()
                reached = self.may_have_delivered = True
                self.connection.send_messages([message])
                return
            except smtplib.SMTPRecipientsRefused as error:
                code, reply = next(iter(error.recipients.values()))
                detail = _reply(code, reply)
            except smtplib.SMTPResponseException as error:
                code, detail = (
                    error.smtp_code,
                    _reply(error.smtp_code, error.smtp_error),
                )
            except (smtplib.SMTPException, OSError) as error:
                code, detail = None, f"{type(error).__name__}: {error}"
            if code is not None and 500 <= code < 600:
                raise PermanentFailure(detail)
            self.close()
            if not delays:
                if code is None and not reached:
                    raise MailServerUnavailable(detail)
                raise PermanentFailure(
                    _("Still refused after %(count)d tries: %(reply)s")
                    % {"count": len(settings.EMAIL_RETRY_DELAYS) + 1, "reply": detail}
                )
            time.sleep(delays.pop(0))

    def close(self) -> None:
        # A connection that is gone already cannot be closed politely; the next
        # message opens a new one.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self.connection.close()


class Outgoing(NamedTuple):
    """A built message, its entry, and whether an earlier run was cut off sending it."""

    entry: "InteractionLogEntry"
    message: "EmailMessage"
    interrupted: bool


@dataclass
class SentBatch:
    """What the sending thread did with a batch.

    `results` pairs each message handed over with its failure (None: sent);
    `unsent` are the messages it never handed to the server (stopped, or the
    server went away: `error`).
    """

    results: list[tuple[Outgoing, str | None]] = field(default_factory=list)
    unsent: list[Outgoing] = field(default_factory=list)
    error: MailServerUnavailable | None = None


def send_batch(
    sender: Sender, outgoing: list[Outgoing], *, stop: threading.Event, language: str
) -> SentBatch:
    """Send the messages in order until done, stopped, or the server is gone.

    Runs on the delivery's sending thread, which reads and writes no entry: only
    the rate limit's cache may open a database connection there, closed at the end.
    """
    sent = SentBatch()
    try:
        with translation.override(language):
            for index, item in enumerate(outgoing):
                if stop.is_set():
                    sent.unsent = outgoing[index:]
                    break
                try:
                    sender.send(item.message)
                except PermanentFailure as error:
                    sent.results.append((item, str(error)))
                except MailServerUnavailable as error:
                    # A message that may have reached the server stays "sending".
                    sent.unsent = outgoing[index + sender.may_have_delivered :]
                    sent.error = error
                    break
                else:
                    sent.results.append((item, None))
    finally:
        connections.close_all()
    return sent


def _reply(code: int, reply) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}".strip()
