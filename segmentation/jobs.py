"""Log, Add / Reduce / Refine, Edit Lines and Cancel / Restore of large segments, as jobs.

Above LOG_LINES_IN_REQUEST, STEP_LINES_IN_REQUEST or CANCEL_ENTRIES_IN_REQUEST
the button starts a job instead of doing the work in the request. The job calls
the same service with the same keyword arguments (kept in its parameters), so
the same guards apply and the work stays one transaction: a guard that fails
fails the job with its message and changes nothing. One unfinished job at a time
works on a segment or a logged segment (the job's key).
"""

from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.jobs import JobError, JobKind, Output, start_job
from core.models import Job
from core.users import User
from interactions.models import LoggedSegment
from interactions.services import cancel_logged_segment, restore_logged_segment
from segmentation.criteria_words import step_message
from segmentation.forms import (
    LineEditForm,
    LineSelectionForm,
    edit_lines_arguments,
)
from segmentation.line_filter import LineFilterForm
from segmentation.models import Segment, StepDefinition
from segmentation.services import AlreadyLogged, edit_lines, log_segment
from segmentation.services.steps import STEP_SERVICES

LOG, STEP, CANCEL = "log_segment", "segment_step", "logged_segment_cancel"
EDIT_LINES = "segment_edit_lines"
CANCEL_ACTION, RESTORE_ACTION = "cancel", "restore"


def segment_key(segment: Segment) -> str:
    return f"segment:{segment.pk}"


def start_log_job(segment: Segment, *, user: User, lines: int, **arguments) -> Job:
    """Log by a job: `arguments` are log_segment's keyword arguments (JSON values)."""
    return start_job(
        kind=LOG,
        owner=user,
        title=_("Log · segment %(number)s") % {"number": segment.number},
        parameters={
            "segment": segment.pk,
            "segment_number": segment.number,
            "arguments": arguments,
        },
        total=lines,
        language=get_language(),
        key=segment_key(segment),
    )


def run_log(job: Job, output, progress) -> Output:
    parameters = job.parameters
    segment = Segment(pk=parameters["segment"], number=parameters["segment_number"])
    progress(0, phase=_("Checking the segment"))
    try:
        logged = log_segment(
            segment,
            user=job.owner,
            on_phase=lambda phase: progress(0, phase=phase),
            **parameters["arguments"],
        )
    except AlreadyLogged as error:
        raise JobError(
            str(error.message),
            links=[_logged_link(error.logged_segment)] if error.logged_segment else [],
        ) from None
    except ValidationError as error:
        raise JobError(
            " ".join(error.messages), links=[_segment_link(segment)]
        ) from None
    links = [_logged_link(logged)]
    if logged.delivery_job:
        links.append((logged.delivery_job.get_absolute_url(), _("Sending the e-mails")))
    if logged.follow_up:
        links.append(
            (
                logged.follow_up.get_absolute_url(),
                _("Follow-up segment %(number)s") % {"number": logged.follow_up.number},
            )
        )
    return Output(
        done=logged.entry_count,
        details={
            "message": _("Segment %(number)s has been logged.")
            % {"number": logged.segment_number},
            "links": [list(link) for link in links],
        },
    )


def start_step_job(
    segment: Segment, *, user: User, action: str, lines: int, **arguments
) -> Job:
    """Add, Reduce or Refine by a job: `arguments` are the service's (criteria, options)."""
    return start_job(
        kind=STEP,
        owner=user,
        title=_("%(action)s · segment %(number)s")
        % {"action": StepDefinition.Action(action).label, "number": segment.number},
        parameters={"segment": segment.pk, "action": action, "arguments": arguments},
        total=lines,
        language=get_language(),
        key=segment_key(segment),
    )


def run_step(job: Job, output, progress) -> Output:
    parameters = job.parameters
    segment = _segment_of(job)
    action = StepDefinition.Action(parameters["action"])
    progress(0, phase=action.label)
    try:
        step = STEP_SERVICES[action](segment, user=job.owner, **parameters["arguments"])
    except ValidationError as error:
        raise JobError(
            " ".join(error.messages), links=[_segment_link(segment)]
        ) from None
    return Output(
        done=step.added_count if action == action.ADD else step.removed_count,
        details={"message": step_message(step), "links": [_segment_link(segment)]},
    )


def start_edit_lines_job(
    segment: Segment, *, user: User, lines: int, data: dict[str, list[str]]
) -> Job:
    """Edit Lines by a job: `data` is the form's posted values, read again by the job."""
    return start_job(
        kind=EDIT_LINES,
        owner=user,
        title=_("Edit Lines · segment %(number)s") % {"number": segment.number},
        parameters={"segment": segment.pk, "data": data},
        total=lines,
        language=get_language(),
        key=segment_key(segment),
    )


def run_edit_lines(job: Job, output, progress) -> Output:
    parameters = job.parameters
    segment = _segment_of(job)
    progress(0, phase=StepDefinition.Action.EDIT.label)
    data = MultiValueDict(parameters["data"])
    forms = (
        LineSelectionForm(data),
        LineFilterForm(data),
        LineEditForm(data, prefix="set"),
    )
    try:
        for form in forms:
            if not form.is_valid():
                raise ValidationError(
                    [error for errors in form.errors.values() for error in errors]
                )
        step = edit_lines(segment, user=job.owner, **edit_lines_arguments(*forms))
    except ValidationError as error:
        raise JobError(
            " ".join(error.messages), links=[_segment_link(segment)]
        ) from None
    return Output(
        done=step.edited_count,
        details={"message": step_message(step), "links": [_segment_link(segment)]},
    )


def start_cancel_job(logged_segment: LoggedSegment, *, user: User, action: str) -> Job:
    """Cancel or Restore a logged segment by a job."""
    title = (
        _("Cancel · logged segment %(number)s")
        if action == CANCEL_ACTION
        else _("Restore · logged segment %(number)s")
    )
    return start_job(
        kind=CANCEL,
        owner=user,
        title=title % {"number": logged_segment.segment_number},
        parameters={"logged_segment": logged_segment.pk, "action": action},
        total=logged_segment.entry_count,
        language=get_language(),
        key=f"logged_segment:{logged_segment.pk}",
    )


def run_cancel(job: Job, output, progress) -> Output:
    parameters = job.parameters
    logged = LoggedSegment.objects.filter(pk=parameters["logged_segment"]).first()
    if logged is None:
        raise JobError(_("The logged segment no longer exists."))
    action = parameters["action"]
    progress(
        0,
        phase=_("Cancelling interactions")
        if action == CANCEL_ACTION
        else _("Restoring interactions"),
    )
    service = (
        cancel_logged_segment if action == CANCEL_ACTION else restore_logged_segment
    )
    try:
        count = service(logged, user=job.owner)
    except ValidationError as error:
        raise JobError(" ".join(error.messages), links=[_logged_link(logged)]) from None
    return Output(
        done=count,
        details={
            "message": cancel_message(
                action, number=logged.segment_number, count=count
            ),
            "links": [list(_logged_link(logged))],
        },
    )


def cancel_message(action: str, *, number: str, count: int) -> str:
    if action == CANCEL_ACTION:
        message = ngettext(
            "Logged segment %(number)s cancelled with its %(count)d interaction.",
            "Logged segment %(number)s cancelled with its %(count)d interactions.",
            count,
        )
    else:
        message = ngettext(
            "Logged segment %(number)s restored with its %(count)d interaction.",
            "Logged segment %(number)s restored with its %(count)d interactions.",
            count,
        )
    return message % {"number": number, "count": count}


def _segment_link(segment: Segment) -> list[str]:
    return [
        segment.get_absolute_url(),
        _("Segment %(number)s") % {"number": segment.number},
    ]


def _logged_link(logged: LoggedSegment) -> list[str]:
    return [
        logged.get_absolute_url(),
        _("Logged segment %(number)s") % {"number": logged.segment_number},
    ]


LOG_KIND = JobKind(name=LOG, run=run_log, one_transaction=True)
STEP_KIND = JobKind(name=STEP, run=run_step, one_transaction=True)
CANCEL_KIND = JobKind(name=CANCEL, run=run_cancel, one_transaction=True)
EDIT_LINES_KIND = JobKind(name=EDIT_LINES, run=run_edit_lines, one_transaction=True)


def _segment_of(job: Job) -> Segment:
    """The job's segment, or the job fails: it is gone, logged perhaps."""
    segment = Segment.objects.filter(pk=job.parameters["segment"]).first()
    if segment is None:
        raise JobError(_("The segment no longer exists; it may have been logged."))
    return segment
