"""Contact import: upload, preview, run; a large file is checked and imported by jobs."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts.forms import ContactImportForm
from contacts.import_jobs import (
    is_large,
    job_key,
    start_check_job,
    start_import_job,
)
from contacts.import_rows import COLUMNS
from contacts.imports import import_contacts, preview_import, preview_rows
from contacts.models import ContactImport
from core.files import serve_file
from core.jobs import JobAlreadyRunning, unfinished_job
from core.views import job_already_running


@permission_required(
    ["contacts.add_contactimport", "contacts.add_contact"], raise_exception=True
)
def contact_import_upload(request):
    form = ContactImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            if is_large(file):
                return redirect(start_check_job(file, user=request.user))
            contact_import = preview_import(file, user=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(contact_import)
    return render(
        request,
        "contacts/contactimport_form.html",
        {"form": form, "columns": COLUMNS[1:]},
    )


def _own_import(request, pk) -> ContactImport:
    imports = ContactImport.objects.all()
    if not request.user.is_superuser:
        imports = imports.filter(uploaded_by=request.user)
    return get_object_or_404(imports, pk=pk)


@permission_required("contacts.view_contactimport", raise_exception=True)
def contact_import_detail(request, pk):
    contact_import = _own_import(request, pk)
    try:
        headers, rows = preview_rows(contact_import)
    except ValidationError as error:
        # Read at upload, the file can be refused now by a limit lowered since.
        messages.error(request, " ".join(error.messages))
        headers, rows = [], []
    return render(
        request,
        "contacts/contactimport_detail.html",
        {
            "contact_import": contact_import,
            "headers": headers,
            "rows": rows,
            "job": unfinished_job(job_key(contact_import)),
        },
    )


@permission_required("contacts.view_contactimport", raise_exception=True)
def contact_import_file(request, pk):
    """The uploaded file, for its owner and admins only."""
    contact_import = get_object_or_404(
        ContactImport.objects.visible_to(request.user), pk=pk
    )
    return serve_file(contact_import.file, download_name=contact_import.original_name)


@require_POST
@permission_required(
    ["contacts.add_contactimport", "contacts.add_contact"], raise_exception=True
)
def contact_import_run(request, pk):
    contact_import = _own_import(request, pk)
    try:
        if contact_import.row_count > settings.IMPORT_ROWS_IN_REQUEST:
            return redirect(start_import_job(contact_import, user=request.user))
        count = import_contacts(contact_import, user=request.user)
    except JobAlreadyRunning as running:
        return job_already_running(request, running, fallback=contact_import)
    except ValidationError as error:
        messages.error(request, error.message)
        return redirect(contact_import)
    messages.success(request, _("Imported %(count)d contacts.") % {"count": count})
    return redirect("contacts:contact_list")
