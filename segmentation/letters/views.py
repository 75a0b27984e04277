"""Letters: check the documents, download (streamed or in the background), personalise."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from core.office import pdf_available
from interactions.merge_fields import FIELDS
from interactions.models import InteractionLogEntry, LoggedSegment
from interactions.word_merge import DocumentError
from segmentation.forms import PersonalDocumentForm
from segmentation.letters.building import (
    LetterOutcome,
    line_letter,
    logged_letters,
    make_letter,
    safe_file_name,
    segment_letters,
    single_entry_letter,
    write_combined,
    zip_chunks,
)
from segmentation.letters.check import check_letters
from segmentation.letters.jobs import (
    COMBINED,
    FORMAT_LABELS,
    PDF_FORMATS,
    PRINT,
    ZIP,
    logged_entries,
    start_letters_job,
)
from segmentation.letters.stale import stale_letter_count
from segmentation.models import Segment, SegmentLine
from segmentation.services import personalise_line
from segmentation.views.lines import segment_line_or_404

# More letters than this are made by the background worker, not in the request.
LETTERS_IN_REQUEST = 500
LINES_LISTED = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@permission_required("segmentation.view_segment", raise_exception=True)
def segment_letters_check(request, pk):
    """Check the letters before making them: documents, fields, language fallbacks."""
    segment = get_object_or_404(Segment.objects.select_related("template"), pk=pk)
    check = check_letters(segment)
    return render(
        request,
        "segmentation/segment_letters.html",
        {
            "segment": segment,
            "in_use": check.in_use,
            "without_document": check.without_document,
            "fallback_count": check.fallbacks.count(),
            "fallbacks": check.fallbacks[:LINES_LISTED],
            "first_line": SegmentLine.objects.filter(segment=segment)
            .order_by("pk")
            .first(),
            "fields": FIELDS,
            "threshold": LETTERS_IN_REQUEST,
            "pdf_available": pdf_available(),
            "stale_letters": stale_letter_count(segment),
            "combines_into_one": check.combines_into_one,
        },
    )


@permission_required("segmentation.view_segment", raise_exception=True)
def segment_letters_download(request, pk):
    """Download Letters: a zip of .docx files, one combined .docx, or PDF.

    PDF, and over LETTERS_IN_REQUEST lines any format, is made in the
    background: a GET only offers to, the POST starts the batch.
    """
    segment = get_object_or_404(Segment, pk=pk)
    format = _format(request)
    count = segment.lines.count()
    if format in PDF_FORMATS or count > LETTERS_IN_REQUEST:
        return _in_background(request, format=format, count=count, segment=segment)
    return _download(
        segment_letters(segment), segment.number, combined=format == COMBINED
    )


@permission_required("interactions.view_loggedsegment", raise_exception=True)
def logged_segment_letters_download(request, pk):
    """Download Letters of a logged segment, each as it was logged."""
    logged = get_object_or_404(LoggedSegment, pk=pk)
    format = _format(request)
    count = logged.entries.count()
    if format in PDF_FORMATS or count > LETTERS_IN_REQUEST:
        return _in_background(
            request, format=format, count=count, logged_segment=logged
        )
    return _download(
        logged_letters(logged), logged.segment_number, combined=format == COMBINED
    )


@require_POST
@permission_required("interactions.view_loggedsegment", raise_exception=True)
def logged_segment_print_letters(request, pk):
    """Print letters (PDF): one PDF of the hard copies' letters, in line order."""
    logged = get_object_or_404(LoggedSegment, pk=pk)
    if not pdf_available():
        messages.error(request, _pdf_unavailable())
        return redirect(logged)
    if not logged_entries(logged, hard_copy=True).exists():
        messages.warning(request, _("This logged segment has no letters to print."))
        return redirect(logged)
    job = start_letters_job(
        user=request.user, format=PRINT, logged_segment=logged, hard_copy=True
    )
    messages.info(
        request,
        _("%(count)d letters to print are being made in the background.")
        % {"count": job.total},
    )
    return redirect(job)


def _format(request) -> str:
    format = (request.POST if request.method == "POST" else request.GET).get("format")
    return format if format in FORMAT_LABELS else ZIP


def _pdf_unavailable() -> str:
    return _(
        "PDF needs LibreOffice, which is not installed on this server. "
        "Download the letters as Word documents instead."
    )


def _download(letters, segment_number: str, *, combined: bool):
    base = safe_file_name(
        f"{segment_number} " + pgettext("file name", "letters")
    ).removesuffix(".docx")
    if combined:
        output = io.BytesIO()
        outcome = write_combined(letters, output)
        kind, extension = (
            ("application/zip", "zip") if outcome.zipped else (DOCX, "docx")
        )
        response = HttpResponse(output.getvalue(), content_type=kind)
    else:
        response = StreamingHttpResponse(
            zip_chunks(letters, LetterOutcome()), content_type="application/zip"
        )
        extension = "zip"
    response["Content-Disposition"] = content_disposition_header(
        True, f"{base}.{extension}"
    )
    return response


def _in_background(
    request,
    *,
    format: str,
    count: int,
    segment: Segment | None = None,
    logged_segment: LoggedSegment | None = None,
):
    back = (
        reverse("segmentation:segment_letters", args=[segment.pk])
        if segment
        else logged_segment.get_absolute_url()
    )
    if format in PDF_FORMATS and not pdf_available():
        messages.error(request, _pdf_unavailable())
        return redirect(back)
    if not count:
        messages.warning(request, _("There are no letters to make."))
        return redirect(back)
    # A GET (a reload, a prefetched link) must not queue work: it only asks.
    if request.method != "POST":
        return render(
            request,
            "segmentation/letterbatch_confirm_start.html",
            {
                "format": format,
                "format_label": FORMAT_LABELS[format],
                "back": back,
                "count": count,
                "segment_number": (
                    segment.number if segment else logged_segment.segment_number
                ),
            },
        )
    job = start_letters_job(
        user=request.user,
        format=format,
        segment=segment,
        logged_segment=logged_segment,
    )
    messages.info(
        request,
        _("%(count)d letters are being made in the background.") % {"count": job.total},
    )
    return redirect(job)


@permission_required("segmentation.view_segment", raise_exception=True)
def line_letter_download(request, pk, line_pk):
    """One contact's letter: a preview, or the start of personalising it in Word."""
    line = segment_line_or_404(pk, line_pk)
    letter = line_letter(line)
    try:
        content = make_letter(letter)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect(line.segment)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, letter.file_name)
    return response


@permission_required("interactions.view_interactionlogentry", raise_exception=True)
def entry_letter_download(request, pk):
    """One log entry's letter, merged with what the entry was logged with.

    It lives here, not in interactions, because letters are made in segmentation.
    """
    entry = get_object_or_404(
        InteractionLogEntry.objects.select_related(
            "contact", "contact__company", "logged_segment"
        ),
        pk=pk,
    )
    letter = single_entry_letter(entry)
    try:
        content = make_letter(letter)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect(entry)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, letter.file_name)
    return response


@require_POST
@permission_required("segmentation.change_segment", raise_exception=True)
def line_personalise(request, pk, line_pk):
    """Upload this contact's edited letter, or (reset) go back to the shared document."""
    line = segment_line_or_404(pk, line_pk)
    if "reset" in request.POST:
        personalise_line(line, data=None, user=request.user)
        messages.success(
            request,
            _("%(contact)s gets the shared letter again.") % {"contact": line.contact},
        )
        return redirect(line.segment)
    form = PersonalDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors["document"]:
            messages.error(request, error)
        return redirect("segmentation:segment_line_update", pk=pk, line_pk=line_pk)
    upload = form.cleaned_data["document"]
    personalise_line(
        line, data=upload["data"], file_name=upload["name"], user=request.user
    )
    messages.success(
        request,
        _("%(contact)s now gets the personalised letter, used as it is.")
        % {"contact": line.contact},
    )
    return redirect(line.segment)
