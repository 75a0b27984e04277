"""Job pages: one job (progress, error, download, Retry) and the user's recent jobs."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import serve_file
from core.jobs import JobAlreadyRunning, job_kind, retry_job
from core.mail import EML_FILE_NAME, eml_folder
from core.models import Job

RECENT_JOBS = 50
# A job's page links this many of the .eml files it wrote, and counts the rest.
MAIL_FILES_LISTED = 100


def job_list(request):
    """My jobs: the user's recent jobs, newest first."""
    jobs = Job.objects.filter(owner=request.user).defer("parameters", "details")
    return render(request, "core/job_list.html", {"jobs": jobs[:RECENT_JOBS]})


def job_detail(request, pk):
    """One job: its state and progress, then its file, or its error and Retry."""
    job = _own_job(request, pk)
    kind = job_kind(job.kind)
    return render(
        request,
        "core/job_detail.html",
        {
            "job": job,
            "one_transaction": kind.one_transaction,
            "failures_heading": kind.failures_heading,
            "failures": job.details.get("failures", []),
            "links": job.details.get("links", []),
            **_mail_files(job),
        },
    )


def job_status(request, pk):
    """The job's progress, for its page to follow (JSON)."""
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "phase": job.phase,
            "done": job.done,
            "total": job.total,
            "finished": job.is_finished,
        }
    )


def job_download(request, pk):
    """The job's file, for its owner (and a superuser) only."""
    job = _own_job(request, pk)
    if job.state == Job.State.FAILED:
        messages.error(request, _("This job failed; it made no file."))
        return redirect(job)
    if job.state != Job.State.DONE:
        messages.info(
            request,
            _(
                "The file is not ready yet; the Download button appears here when it is."
            ),
        )
        return redirect(job)
    if not job.result:
        raise Http404(_("This job has no file."))
    return serve_file(job.result, download_name=job.result_name)


@require_POST
def job_retry(request, pk):
    """Retry: run a failed job again, from its last finished chunk."""
    job = _own_job(request, pk)
    try:
        retry_job(job, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The job is being tried again."))
    return redirect(job)


def job_mail_file(request, pk, name):
    """One message a job wrote as an .eml file (development), for the job's owner."""
    job = _own_job(request, pk)
    folder = _job_mail_folder(job)
    path = folder / name if folder and EML_FILE_NAME.fullmatch(name) else None
    if path is None or not path.is_file():
        raise Http404(_("No such message."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="message/rfc822",
    )


def job_already_running(request, error: JobAlreadyRunning, *, fallback):
    """Where a button whose job is running already leads: that job's page, when it
    is the user's to see; else back to `fallback`, with a warning either way."""
    messages.warning(request, str(error))
    if error.job.owner_id == request.user.pk or request.user.is_superuser:
        return redirect(error.job)
    return redirect(fallback)


def _own_job(request, pk) -> Job:
    """Jobs are their owner's (and a superuser's); others are told none exists."""
    jobs = Job.objects.all()
    if not request.user.is_superuser:
        jobs = jobs.filter(owner=request.user)
    return get_object_or_404(jobs, pk=pk)


def _job_mail_folder(job: Job) -> Path | None:
    """Where the job's messages went, when its kind names a mail folder (details)."""
    name = job.details.get("mail_folder")
    return eml_folder(name) if isinstance(name, str) and name else None


def _mail_files(job: Job) -> dict:
    folder = _job_mail_folder(job)
    if folder is None or not folder.is_dir():
        return {}
    names = sorted(
        entry.name for entry in folder.iterdir() if EML_FILE_NAME.fullmatch(entry.name)
    )
    return {
        "mail_files": names[:MAIL_FILES_LISTED],
        "mail_files_more": len(names) - len(names[:MAIL_FILES_LISTED]),
        "mail_folder": folder,
    }
