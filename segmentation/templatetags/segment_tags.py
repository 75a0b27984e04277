"""The segment page's line rows, written in Python for the same reason as the log's."""

from django import template
from django.template.defaultfilters import floatformat, truncatechars
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.fast_html import format_row

register = template.Library()

LINE_ROW = (
    "<tr>{select}"
    '<td><a href="{contact_url}">{contact_number}</a> {contact_name}{duplicate}{company}</td>'
    "<td{template_class}>{template}{template_changed}</td>"
    "<td{language_class}>{language}{language_changed}</td>"
    '<td class="text-nowrap{type_class}">{type}{type_changed}</td>'
    "<td{salesperson_class}>{salesperson}{salesperson_changed}</td>"
    '<td class="text-nowrap{date_class}">{date}{date_changed}</td>'
    "<td><span{description_class}>{description}{description_changed}</span>"
    "{subject}{comment}</td>"
    '<td class="text-end{cost_class}">{cost}{cost_changed}</td>'
    '<td class="text-end{duration_class}">{duration}{duration_changed}</td>'
    "<td>{document}</td>"
    '<td class="text-nowrap">{preview}{edit}</td>'
    "</tr>"
)
OVERRIDDEN = mark_safe(' class="overridden"')
OVERRIDDEN_CLASS = mark_safe(" overridden")


@register.simple_tag
def segment_line_rows(lines, editable=False) -> SafeString:
    """The rows of the segment page's line table: effective values, changed ones marked.

    A template loop over fifty lines of a dozen cells, each asking whether its
    field was changed for the contact, cost the page more than its queries.
    """
    if not lines:
        return format_row(
            '<tr><td colspan="12" class="text-secondary">{}</td></tr>',
            _("No lines yet: add contacts by hand or with Add Contacts."),
        )
    shared = _Shared()
    return mark_safe(  # each row is built by format_html
        "".join(_line_row(line, editable, shared) for line in lines)
    )


class _Shared:
    """What the rows share: words, the date format, link patterns."""

    PLACEHOLDER = 987654321

    def __init__(self):
        self.changed = format_row(
            '<span class="visually-hidden"> {}</span>', _("(changed for this contact)")
        )
        self.duplicate = format_row(
            '<span class="badge text-bg-warning" title="{}">{}</span>',
            _("This contact is on the segment more than once."),
            _("duplicate"),
        )
        self.types = {"email": _("Email"), "hard_copy": _("Hard copy")}
        self.no_type = _("(none)")
        self.personalised = format_row(
            '<span class="badge text-bg-info">{}</span>', _("personalised")
        )
        self.shared = _("shared")
        self.preview = _("Preview")
        self.edit = _("Edit")
        self.select_label = _("Select the line of %(contact)s")
        self.date_format = get_format("SHORT_DATE_FORMAT")
        marker = str(self.PLACEHOLDER)
        self.urls = {
            "contact": reverse("contacts:contact_detail", args=[self.PLACEHOLDER]),
            "preview": reverse(
                "segmentation:line_letter_download", args=[marker, marker]
            ),
            "edit": reverse("segmentation:segment_line_update", args=[marker, marker]),
        }

    def url(self, name: str, *pks) -> str:
        url = self.urls[name]
        for pk in pks:
            url = url.replace(str(self.PLACEHOLDER), str(pk), 1)
        return url


def _line_row(line, editable: bool, shared: _Shared) -> SafeString:
    changed = line.overridden
    contact = line.contact

    def marks(name: str, *, inside_class: bool = False) -> dict:
        on = name in changed
        return {
            f"{name}_class": (OVERRIDDEN_CLASS if inside_class else OVERRIDDEN)
            if on
            else "",
            f"{name}_changed": shared.changed if on else "",
        }

    subject = ""
    if line.effective_subject:
        subject = format_row(
            '<div class="text-secondary{}">{}{}</div>',
            OVERRIDDEN_CLASS if "subject" in changed else "",
            line.effective_subject,
            shared.changed if "subject" in changed else "",
        )
    if line.personal_document_id:
        document = shared.personalised
    elif line.effective_document_id:
        document = shared.shared
    else:
        document = "–"
    correspondence_type = marks("correspondence_type", inside_class=True)
    return format_row(
        LINE_ROW,
        select=format_row(
            '<td><input type="checkbox" class="form-check-input" name="lines"'
            ' value="{}" form="line-actions" aria-label="{}"></td>',
            line.pk,
            shared.select_label % {"contact": contact.number},
        )
        if editable
        else "",
        contact_url=shared.url("contact", contact.pk),
        contact_number=contact.number,
        contact_name=contact.name,
        duplicate=format_row(" {}", shared.duplicate) if line.is_duplicate else "",
        company=format_row('<div class="text-secondary">{}</div>', contact.company.name)
        if contact.company_id
        else "",
        template=line.effective_template_code or "–",
        **marks("template"),
        language=line.effective_language or "–",
        **marks("language"),
        type=shared.types.get(line.effective_correspondence_type, shared.no_type),
        type_class=correspondence_type["correspondence_type_class"],
        type_changed=correspondence_type["correspondence_type_changed"],
        salesperson=line.effective_salesperson_code or "–",
        **marks("salesperson"),
        date=dateformat.format(line.effective_date, shared.date_format)
        if line.effective_date
        else "",
        **marks("date", inside_class=True),
        description=line.effective_description or "–",
        **marks("description"),
        subject=subject,
        comment=format_row(
            '<div class="fst-italic">“{}”</div>',
            truncatechars(line.personal_comment, 60),
        )
        if line.personal_comment
        else "",
        cost=floatformat(line.effective_cost, 2),
        **marks("cost", inside_class=True),
        duration=localize(line.effective_duration),
        **marks("duration", inside_class=True),
        document=document,
        preview=format_row(
            '<a class="btn btn-sm btn-link p-0 me-2" href="{}">{}</a>',
            shared.url("preview", line.segment_id, line.pk),
            shared.preview,
        )
        if line.effective_document_id
        else "",
        edit=format_row(
            '<a class="btn btn-sm btn-link p-0" href="{}">{}</a>',
            shared.url("edit", line.segment_id, line.pk),
            shared.edit,
        )
        if editable
        else "",
    )
