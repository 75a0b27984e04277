"""An e-mail backend for development: each message is an .eml file in a folder.

Django's file backend writes all messages of a connection into one .log file;
a newcomer wants to open each message on its own, as a mail program shows it.
"""

import email.policy
import os
import re
import uuid
from pathlib import Path

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9.@_-]+")
EML_FILE_NAME = re.compile(r"[A-Za-z0-9@_-][A-Za-z0-9.@_-]*\.eml")


class EmlFolderBackend(BaseEmailBackend):
    """Writes each message as `<Message-ID>.eml` into `file_path` (or a subfolder).

    A message sent again with the same Message-ID replaces its file, as a
    receiver that de-duplicates would.
    """

    def __init__(self, *, file_path=None, **kwargs):
        super().__init__(**kwargs)
        if file_path is None:
            raise ValueError("EmlFolderBackend needs a file_path option.")
        self.file_path = Path(file_path)

    def use_subfolder(self, name: str) -> Path:
        """Write the messages of this connection into `<file_path>/<name>`."""
        self.file_path = self.subfolder(name)
        return self.file_path

    def subfolder(self, name: str) -> Path:
        return self.file_path / UNSAFE_IN_FILE_NAMES.sub("_", name)

    def send_messages(self, email_messages) -> int:
        self.file_path.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            mime = message.message(policy=email.policy.SMTP)
            identifier = str(mime["Message-ID"] or uuid.uuid4()).strip("<>")
            target = self.file_path / f"{UNSAFE_IN_FILE_NAMES.sub('_', identifier)}.eml"
            partial = target.with_suffix(".partial")
            partial.write_bytes(mime.as_bytes())
            # A reader of the folder never sees half a message.
            os.replace(partial, target)
        return len(email_messages)


def eml_folder(name: str) -> Path | None:
    """The folder the default mailer writes `name`'s messages to, when it writes
    .eml files (development); None when it sends them."""
    connection = mail.mailers.default
    return (
        connection.subfolder(name) if isinstance(connection, EmlFolderBackend) else None
    )
