"""Log a segment, and make a follow-up segment from a logged one."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.jobs import JobAlreadyRunning
from core.views import job_already_running
from interactions.models import LoggedSegment
from segmentation.forms import (
    FollowUpForm,
    LogForm,
)
from segmentation.header_notes import carried_over_note
from segmentation.jobs import start_log_job
from segmentation.letters.stale import stale_letter_count
from segmentation.log_check import LogCheck, check_log
from segmentation.models import Segment
from segmentation.services import (
    AlreadyLogged,
    StaleConfirmation,
    create_follow_up_segment,
    log_segment,
)


@permission_required(
    ["segmentation.change_segment", "interactions.add_interactionlogentry"],
    raise_exception=True,
)
def segment_log(request, pk):
    """Log: show what logging will write and what blocks it; log on confirmation."""
    segment = Segment.objects.select_related("template").filter(pk=pk).first()
    if segment is None:
        return _already_logged(request, request.POST.get("segment_number", ""))
    check = check_log(segment)
    form = _log_form(request.POST or None, segment, check)
    if request.method == "POST" and form.is_valid():
        arguments = {
            "create_follow_up": form.cleaned_data["create_follow_up"],
            "deliver": form.cleaned_data["deliver"],
            "expected_lines": form.cleaned_data["expected_lines"],
            "expected_step": form.cleaned_data["expected_step"],
        }
        try:
            if not check.is_what_was_confirmed(
                lines=arguments["expected_lines"], last_step=arguments["expected_step"]
            ):
                raise StaleConfirmation(segment.number, check)
            if check.lines > settings.LOG_LINES_IN_REQUEST and not check.blocking(
                deliver=arguments["deliver"]
            ):
                return _log_by_job(request, segment, lines=check.lines, **arguments)
            logged = log_segment(segment, user=request.user, **arguments)
        except AlreadyLogged as error:
            return _already_logged(request, error.segment_number)
        except StaleConfirmation as stale:
            # Shown again with the figures it has now, to be confirmed again.
            messages.warning(request, stale.message)
            check = stale.check
            form = _log_form(_with_figures(request.POST, check), segment, check)
        except ValidationError:
            # The guards, checked again under the lock; the page lists them.
            check = check_log(segment)
        else:
            messages.success(
                request,
                _("Segment %(number)s has been logged.")
                % {"number": logged.segment_number},
            )
            if logged.follow_up:
                messages.info(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Follow-up segment created:"),
                        logged.follow_up.get_absolute_url(),
                        logged.follow_up,
                    ),
                )
                _say_carried_over(request, logged)
            return redirect(logged)
    deliver = (
        form.cleaned_data.get("deliver")
        if form.is_bound and form.is_valid()
        else check.can_deliver
    )
    return render(
        request,
        "segmentation/segment_confirm_log.html",
        {
            "segment": segment,
            "check": check,
            "problems": check.blocking(deliver=deliver),
            "form": form,
            "stale_letters": stale_letter_count(segment),
        },
    )


def _say_carried_over(request, logged: LoggedSegment) -> None:
    """Tell what the follow-up segment's header took from the logged segment."""
    note = carried_over_note(logged)
    if note:
        messages.info(request, note)


def _log_form(data, segment: Segment, check: LogCheck) -> LogForm:
    return LogForm(
        data,
        can_deliver=check.can_deliver,
        initial={
            "segment_number": segment.number,
            "deliver": check.can_deliver,
            "expected_lines": check.lines,
            "expected_step": check.last_step,
        },
    )


def _with_figures(data, check: LogCheck):
    """The options the user posted, with the figures the segment has now."""
    data = data.copy()
    data["expected_lines"] = check.lines
    data["expected_step"] = check.last_step
    return data


def _log_by_job(request, segment, *, lines: int, **arguments):
    """A large segment is logged by a job; its page follows it and links to the result."""
    try:
        job = start_log_job(segment, user=request.user, lines=lines, **arguments)
    except JobAlreadyRunning as running:
        return job_already_running(request, running, fallback=segment)
    return redirect(job)


def _already_logged(request, number: str):
    logged = (
        LoggedSegment.objects.filter(segment_number=number).first() if number else None
    )
    if logged is None:
        raise Http404(_("No such segment."))
    messages.warning(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Segment %(number)s has already been logged:") % {"number": number},
            logged.get_absolute_url(),
            _("logged segment %(number)s") % {"number": logged.segment_number},
        ),
    )
    return redirect(logged)


@permission_required("segmentation.add_segment", raise_exception=True)
def segment_follow_up(request, logged_pk):
    """Create Follow-up Segment from a logged segment, for all or some of its contacts."""
    logged = get_object_or_404(LoggedSegment, pk=logged_pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = create_follow_up_segment(
                logged,
                user=request.user,
                correspondence_types=form.cleaned_data["correspondence_types"],
                languages=form.cleaned_data["languages"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Follow-up segment %(number)s created.")
                % {"number": follow_up.number},
            )
            _say_carried_over(request, logged)
            return redirect(follow_up)
    return render(
        request,
        "segmentation/segment_follow_up.html",
        {"logged_segment": logged, "form": form},
    )
