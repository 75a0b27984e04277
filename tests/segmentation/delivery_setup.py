"""A logged segment whose e-mails are to be sent, for the delivery tests."""

from interactions.models import LoggedSegment, TemplateEmail
from segmentation.models import Segment
from segmentation.services import add_contacts_by_hand, log_segment
from tests.factories import (
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    TemplateDocumentFactory,
)


def email_template(code: str = "NEWS", correspondence_type: str = "email"):
    """A template that sends its letter as e-mail, with texts in English and Swedish."""
    template = InteractionTemplateFactory(
        code=code,
        description="Segmenta newsletter",
        correspondence_type=correspondence_type,
        ignore_contact_correspondence_type=True,
        default_language="en",
        attachment_format="docx",
    )
    TemplateDocumentFactory(template=template, language="en")
    TemplateDocumentFactory(template=template, language="sv")
    TemplateEmail.objects.create(
        template=template,
        language="en",
        body_text="{Formal_Salutation}\n\nNews for {Contact_Name}. {Not_A_Field} stays.",
    )
    TemplateEmail.objects.create(
        template=template, language="sv", body_text="Hej {Contact_Name}!"
    )
    return template


def segment_for_sending(
    contacts, *, user, subject: str = "Spring news", template=None
) -> Segment:
    """A segment of `contacts`, ready to log with Send attachments."""
    segment = SegmentFactory(
        description="Spring mail",
        subject=subject,
        template=template or email_template(),
        salesperson=SalespersonFactory(email="erik@segmenta.example"),
    )
    add_contacts_by_hand(segment, contacts=contacts, user=user)
    return segment


def logged_for_sending(contacts, *, user, **segment) -> LoggedSegment:
    """Log a segment of `contacts` with Send attachments."""
    return log_segment(
        segment_for_sending(contacts, user=user, **segment), user=user, deliver=True
    )
