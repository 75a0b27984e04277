"""Stored files: names nobody can guess, sent only by views that checked who asks.

Nothing serves MEDIA_ROOT directly (not even with DEBUG on). Every FileField
stores under a random folder (`PrivateUploadTo`), and every download goes
through a view that checks the permission (and the owner) and then calls
`serve_file`. With SENDFILE_HEADER set, the web server in front sends the
bytes (nginx X-Accel-Redirect, Apache X-Sendfile) and Django only says which.
"""

import mimetypes
import posixpath
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

X_ACCEL_REDIRECT = "X-Accel-Redirect"
X_SENDFILE = "X-Sendfile"


def private_file_name(folder: str, file_name: str) -> str:
    """`folder/<random token>/file_name`: a name that cannot be guessed from another."""
    return f"{folder}/{secrets.token_urlsafe(16)}/{file_name}"


@deconstructible(path="core.files.PrivateUploadTo")
class PrivateUploadTo:
    """A FileField's upload_to: each file in its own random folder under `folder`."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, file_name: str) -> str:
        return private_file_name(self.folder, file_name)

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder


def delete_private_file(name: str) -> None:
    """Delete a stored file and the random folder it was alone in."""
    default_storage.delete(name)
    folder = posixpath.dirname(name)
    # Only FileSystemStorage has folders; it deletes one only when it is empty.
    if (
        folder
        and default_storage.exists(folder)
        and default_storage.listdir(folder) == ([], [])
    ):
        default_storage.delete(folder)


def serve_file(field_file: FieldFile, *, download_name: str) -> HttpResponse:
    """A stored file as a download, for a view that has checked who may have it.

    With SENDFILE_HEADER the response is empty and names the file for the web
    server to send; otherwise Django streams it.
    """
    header = settings.SENDFILE_HEADER
    if not header:
        try:
            file = field_file.open("rb")
        except FileNotFoundError:
            raise Http404(_("This file is no longer stored.")) from None
        return FileResponse(file, as_attachment=True, filename=download_name)
    content_type, _encoding = mimetypes.guess_type(download_name)
    response = HttpResponse(content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, download_name)
    if header == X_ACCEL_REDIRECT:
        response[header] = settings.SENDFILE_URL_PREFIX + quote(field_file.name)
    else:
        response[header] = field_file.path
    return response
