"""Confirming Log as a user does: the Log page's form, with what it shows."""

import re

from django.urls import reverse


def log_url(segment) -> str:
    return reverse("segmentation:segment_log", args=[segment.pk])


def confirmation(client, segment) -> dict[str, str]:
    """The hidden fields of the Log page's form: the figures the user confirms."""
    page = client.get(log_url(segment)).content.decode()
    return dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page))
