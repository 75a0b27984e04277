"""Delivery of logged interactions: e-mails sent by the engine, hard copies marked printed.

`engine.deliver_logged_segment` is what a background job runs; `messages` makes
each e-mail; `sender` talks to the mail server (on a thread of its own);
`results` writes what became of each entry; `status` counts the entries by
delivery status for the logged segment's page.
"""

from segmentation.delivery.engine import deliver_logged_segment, pending_emails
from segmentation.delivery.messages import Attachment, attachment_for
from segmentation.delivery.results import DeliveryOutcome
from segmentation.delivery.sender import MailServerUnavailable
from segmentation.delivery.status import delivery_counts

__all__ = [
    "Attachment",
    "DeliveryOutcome",
    "MailServerUnavailable",
    "attachment_for",
    "deliver_logged_segment",
    "delivery_counts",
    "pending_emails",
]
