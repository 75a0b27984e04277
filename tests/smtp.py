"""A real SMTP server for the e-mail tests (aiosmtpd), scripted per message.

Each DATA gets the next reply of `replies` ("250 OK" when none is left): a
"4xx …" or "5xx …" reply, or DROP to close the connection without a reply.
`hold_at = k` makes message k wait until `release` is set, so a test can kill
the sender while the server holds that message (no timing involved).
"""

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller

DROP = "drop"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage
    raw: bytes


class ScriptedHandler:
    def __init__(self):
        self.received: list[Received] = []
        self.replies: list[str] = []
        self.data_count = 0
        self.hold_at: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.data_count += 1
        if self.data_count == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            return "451 The sender is gone"
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply == DROP:
            server.transport.close()
            return "421 Closing"
        if reply.startswith("250"):
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(
                        envelope.content, policy=email.policy.default
                    ),
                    envelope.content,
                )
            )
        return reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """aiosmtpd on a free port of 127.0.0.1, in a thread of the test process."""

    def __init__(self):
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()

    def stop(self):
        self.handler.release.set()
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def mailer(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            }
        }
