"""Who did what: one event per business write, written in the write's transaction.

Every service records one `AuditEvent` before it returns, inside its own
`transaction.atomic`, so a rollback leaves no event and a commit always leaves
one (Zulip's `RealmAuditLog`). One row per service call, with the call's
figures ("Logged SM00017: 22,525 entries"): per-row signals or triggers would
miss the set-based writes or double their cost.

The summary is not stored: it is rendered from the action and the figures in
the reader's language when shown.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

HISTORY_SHOWN = 20

_nested: ContextVar[bool] = ContextVar("audit_nested", default=False)


class AuditEvent(models.Model):
    """One business write: who, when, what action, on what, with which figures."""

    class Action(models.TextChoices):
        CREATE_CONTACT = "create_contact", _("Create contact")
        UPDATE_CONTACT = "update_contact", _("Edit contact")
        DELETE_CONTACT = "delete_contact", _("Delete contact")
        UNSUBSCRIBE_CONTACT = "unsubscribe_contact", _("Unsubscribe")
        IMPORT_CONTACTS = "import_contacts", _("Import contacts")
        CREATE_INTERACTION = "create_interaction", _("Log interaction")
        EVALUATE_ENTRIES = "evaluate_entries", _("Evaluate interactions")
        CANCEL_ENTRIES = "cancel_entries", _("Cancel interactions")
        RESTORE_ENTRIES = "restore_entries", _("Restore interactions")
        CANCEL_LOGGED_SEGMENT = "cancel_logged_segment", _("Cancel logged segment")
        RESTORE_LOGGED_SEGMENT = "restore_logged_segment", _("Restore logged segment")
        CREATE_SEGMENT = "create_segment", _("Create segment")
        UPDATE_SEGMENT = "update_segment", _("Edit segment")
        DELETE_SEGMENT = "delete_segment", _("Delete segment")
        CREATE_SEGMENT_FROM_CONTACTS = (
            "create_segment_from_contacts",
            _("New segment from contacts"),
        )
        ADD_CONTACTS = "add_contacts", _("Add Contacts")
        ADD_CONTACTS_BY_HAND = "add_contacts_by_hand", _("Add contacts by hand")
        REUSE_SEGMENT = "reuse_segment", _("Reuse Segment")
        REDUCE_CONTACTS = "reduce_contacts", _("Reduce Contacts")
        REFINE_CONTACTS = "refine_contacts", _("Refine Contacts")
        REMOVE_LINES = "remove_lines", _("Remove lines")
        GO_BACK = "go_back", _("Go Back")
        EDIT_LINES = "edit_lines", _("Edit Lines")
        SAVE_CRITERIA = "save_criteria", _("Save Criteria")
        REUSE_CRITERIA = "reuse_criteria", _("Reuse Criteria")
        CLEAR_CRITERIA = "clear_criteria", _("Clear criteria")
        UPDATE_LINE = "update_line", _("Edit line")
        PERSONALISE_LINE = "personalise_line", _("Personalise letter")
        LOG_SEGMENT = "log_segment", _("Log")
        CREATE_FOLLOW_UP_SEGMENT = "create_follow_up_segment", _("Follow-up segment")
        MARK_PRINTED = "mark_printed", _("Mark as Printed")
        RESEND_FAILED = "resend_failed", _("Resend")
        APPLY_MAILING_GROUP = "apply_mailing_group", _("Apply Mailing Group")
        DELETE_CANCELLED_SEGMENTS = (
            "delete_cancelled_segments",
            _("Delete Cancelled Segments"),
        )
        CREATE_CAMPAIGN = "create_campaign", _("Create campaign")
        UPDATE_CAMPAIGN = "update_campaign", _("Edit campaign")
        RENAME_SAVED_CRITERIA = "rename_saved_criteria", _("Rename saved criteria")
        DELETE_SAVED_CRITERIA = "delete_saved_criteria", _("Delete saved criteria")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        help_text=_("Empty for a script or a contact's own link (unsubscribe)."),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    object_type = models.CharField(
        _("object type"), max_length=100, help_text=_("e.g. “segmentation.segment”")
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    object_label = models.CharField(
        _("object"),
        max_length=200,
        help_text=_("The object's number or name then, e.g. “SM00017”."),
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        indexes = [
            models.Index(
                fields=["object_type", "object_id", "at"], name="audit_object_at"
            )
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.object_label}: {self.summary}"

    @property
    def summary(self) -> str:
        """What happened, in the active language, from the action and the figures."""
        return summarise(self.action, self.object_label, self.figures)


def record_event(
    *,
    actor,
    action: str,
    obj: models.Model | type[models.Model],
    label: str = "",
    figures: dict | None = None,
) -> AuditEvent | None:
    """Record one event; call it inside the service's transaction, before it returns.

    `obj` is the instance the write was about, or its model when the write was
    about a set of rows (e.g. selected interactions). `label` defaults to the
    object's number or its text. Returns None inside `nested_services()`, where
    the outer service records the one event of the call.
    """
    if _nested.get():
        return None
    model = obj if isinstance(obj, type) else type(obj)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=model._meta.label_lower,
        object_id=None if isinstance(obj, type) else obj.pk,
        object_label=(label or _label(obj))[:200],
        figures=figures or {},
    )


@contextmanager
def nested_services() -> Iterator[None]:
    """Services called by another service record no event of their own."""
    token = _nested.set(True)
    try:
        yield
    finally:
        _nested.reset(token)


def history(obj: models.Model, *, limit: int = HISTORY_SHOWN) -> list[AuditEvent]:
    """The latest events about `obj`, newest first, with their actors: one query."""
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=obj.pk
        ).select_related("actor")[:limit]
    )


def _label(obj) -> str:
    if isinstance(obj, type):
        return str(obj._meta.verbose_name_plural)
    number = getattr(obj, "number", None) or getattr(obj, "segment_number", None)
    return str(number or obj)


def _number(value) -> str:
    return number_format(value or 0, force_grouping=True)


def summarise(action: str, label: str, figures: dict) -> str:
    """The sentence for an event, e.g. "Logged SM00017: 22,525 entries"."""
    Action = AuditEvent.Action
    count = figures.get("count", 0)
    values = {
        "object": label,
        "count": _number(count),
        **{
            name: _number(value) if isinstance(value, int) else value
            for name, value in figures.items()
            if name != "count"
        },
    }
    sentences = {
        Action.CREATE_CONTACT: lambda: gettext("Created contact %(object)s"),
        Action.UPDATE_CONTACT: lambda: gettext("Edited contact %(object)s"),
        Action.DELETE_CONTACT: lambda: gettext("Deleted contact %(object)s"),
        Action.UNSUBSCRIBE_CONTACT: lambda: gettext(
            "%(object)s unsubscribed by the e-mail link"
        ),
        Action.IMPORT_CONTACTS: lambda: ngettext(
            "Imported %(object)s: %(count)s contact",
            "Imported %(object)s: %(count)s contacts",
            count,
        ),
        Action.CREATE_INTERACTION: lambda: gettext(
            "Logged interaction %(entry)s (%(template)s) with %(object)s"
        ),
        Action.EVALUATE_ENTRIES: lambda: ngettext(
            "Set the evaluation of %(count)s interaction",
            "Set the evaluation of %(count)s interactions",
            count,
        ),
        Action.CANCEL_ENTRIES: lambda: ngettext(
            "Cancelled %(count)s interaction",
            "Cancelled %(count)s interactions",
            count,
        ),
        Action.RESTORE_ENTRIES: lambda: ngettext(
            "Restored %(count)s interaction",
            "Restored %(count)s interactions",
            count,
        ),
        Action.CANCEL_LOGGED_SEGMENT: lambda: ngettext(
            "Cancelled %(object)s: %(count)s entry",
            "Cancelled %(object)s: %(count)s entries",
            count,
        ),
        Action.RESTORE_LOGGED_SEGMENT: lambda: ngettext(
            "Restored %(object)s: %(count)s entry",
            "Restored %(object)s: %(count)s entries",
            count,
        ),
        Action.CREATE_SEGMENT: lambda: gettext("Created segment %(object)s"),
        Action.UPDATE_SEGMENT: lambda: gettext("Edited segment %(object)s"),
        Action.DELETE_SEGMENT: lambda: ngettext(
            "Deleted segment %(object)s with %(count)s line",
            "Deleted segment %(object)s with %(count)s lines",
            count,
        ),
        Action.CREATE_SEGMENT_FROM_CONTACTS: lambda: ngettext(
            "Created %(object)s from the contact list: %(count)s line",
            "Created %(object)s from the contact list: %(count)s lines",
            count,
        ),
        Action.ADD_CONTACTS: lambda: ngettext(
            "Step %(step)s, Add Contacts: %(count)s line added",
            "Step %(step)s, Add Contacts: %(count)s lines added",
            count,
        ),
        Action.ADD_CONTACTS_BY_HAND: lambda: ngettext(
            "Step %(step)s, contacts added by hand: %(count)s line added",
            "Step %(step)s, contacts added by hand: %(count)s lines added",
            count,
        ),
        Action.REUSE_SEGMENT: lambda: ngettext(
            "Step %(step)s, Reuse Segment: %(count)s line added",
            "Step %(step)s, Reuse Segment: %(count)s lines added",
            count,
        ),
        Action.REDUCE_CONTACTS: lambda: ngettext(
            "Step %(step)s, Reduce Contacts: %(count)s line removed",
            "Step %(step)s, Reduce Contacts: %(count)s lines removed",
            count,
        ),
        Action.REFINE_CONTACTS: lambda: ngettext(
            "Step %(step)s, Refine Contacts: %(count)s line removed",
            "Step %(step)s, Refine Contacts: %(count)s lines removed",
            count,
        ),
        Action.REMOVE_LINES: lambda: ngettext(
            "Step %(step)s, lines removed by hand: %(count)s line",
            "Step %(step)s, lines removed by hand: %(count)s lines",
            count,
        ),
        Action.EDIT_LINES: lambda: ngettext(
            "Step %(step)s, Edit Lines: %(count)s line changed",
            "Step %(step)s, Edit Lines: %(count)s lines changed",
            count,
        ),
        Action.GO_BACK: lambda: gettext(
            "Go Back undid step %(step)s: %(count)s lines taken off, "
            "%(restored)s put back"
        ),
        Action.SAVE_CRITERIA: lambda: ngettext(
            "Saved criteria %(code)s: %(count)s step",
            "Saved criteria %(code)s: %(count)s steps",
            count,
        ),
        Action.REUSE_CRITERIA: lambda: ngettext(
            "Reused criteria %(code)s: %(count)s step, %(added)s lines added, "
            "%(removed)s removed",
            "Reused criteria %(code)s: %(count)s steps, %(added)s lines added, "
            "%(removed)s removed",
            count,
        ),
        Action.CLEAR_CRITERIA: lambda: ngettext(
            "Cleared %(count)s criteria step",
            "Cleared %(count)s criteria steps",
            count,
        ),
        Action.UPDATE_LINE: lambda: gettext("Edited the line of %(contact)s"),
        Action.PERSONALISE_LINE: lambda: gettext(
            "Personalised the letter of %(contact)s"
        ),
        Action.LOG_SEGMENT: lambda: ngettext(
            "Logged %(object)s: %(count)s entry",
            "Logged %(object)s: %(count)s entries",
            count,
        ),
        Action.CREATE_FOLLOW_UP_SEGMENT: lambda: ngettext(
            "Created %(object)s to follow up %(logged_segment)s: %(count)s line",
            "Created %(object)s to follow up %(logged_segment)s: %(count)s lines",
            count,
        ),
        Action.MARK_PRINTED: lambda: ngettext(
            "Marked %(object)s as printed: %(count)s letter",
            "Marked %(object)s as printed: %(count)s letters",
            count,
        ),
        Action.RESEND_FAILED: lambda: ngettext(
            "Resend of %(object)s: %(count)s e-mail",
            "Resend of %(object)s: %(count)s e-mails",
            count,
        ),
        Action.APPLY_MAILING_GROUP: lambda: ngettext(
            "Applied mailing group %(code)s to %(object)s: %(count)s contact added, "
            "%(already)s in it already",
            "Applied mailing group %(code)s to %(object)s: %(count)s contacts added, "
            "%(already)s in it already",
            count,
        ),
        Action.DELETE_CANCELLED_SEGMENTS: lambda: ngettext(
            "Deleted %(count)s cancelled logged segment (%(numbers)s); "
            "%(entries)s interactions kept",
            "Deleted %(count)s cancelled logged segments (%(numbers)s); "
            "%(entries)s interactions kept",
            count,
        ),
        Action.CREATE_CAMPAIGN: lambda: gettext("Created campaign %(object)s"),
        Action.UPDATE_CAMPAIGN: lambda: gettext("Edited campaign %(object)s"),
        Action.RENAME_SAVED_CRITERIA: lambda: gettext(
            "Renamed saved criteria %(old_code)s to %(code)s"
        ),
        Action.DELETE_SAVED_CRITERIA: lambda: ngettext(
            "Deleted saved criteria %(code)s with %(count)s step",
            "Deleted saved criteria %(code)s with %(count)s steps",
            count,
        ),
    }
    sentence = sentences.get(action)
    if sentence is None:
        return f"{action} {label}"
    try:
        return sentence() % values
    except KeyError:
        # Figures recorded before a sentence gained a value: the action says enough.
        return f"{AuditEvent.Action(action).label} {label}"
