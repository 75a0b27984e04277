"""Reuse Criteria shows each saved step and what it would do today before applying."""

import re

import pytest
from django.urls import reverse

from segmentation.models import CriteriaStep, SegmentLine
from segmentation.services import add_contacts_by_hand, reduce_contacts, save_criteria
from tests.factories import ContactFactory, SegmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved():
    """Add three contacts, then Reduce one of them away: the second step needs the first."""
    contacts = [ContactFactory(name=name) for name in ("Ann", "Bo", "Cid")]
    source = SegmentFactory()
    add_contacts_by_hand(source, contacts=contacts, user=None)
    reduce_contacts(source, criteria={"number": [contacts[0].number]}, user=None)
    return save_criteria(source, code="TWO", description="", user=None)


def _url(segment):
    return reverse("segmentation:segment_reuse_criteria", args=[segment.pk])


def test_the_preview_lists_each_step_with_its_count_and_changes_nothing(
    marketing_client, saved
):
    segment = SegmentFactory()
    steps_before = CriteriaStep.objects.count()

    page = marketing_client.get(
        _url(segment), {"saved_criteria": saved.pk}
    ).content.decode()

    preview = re.search(r'<ol class="mb-2" id="reuse-preview">(.*?)</ol>', page, re.S)
    items = [
        " ".join(item.split())
        for item in re.findall(r"<li>(.*?)</li>", preview.group(1), re.S)
    ]
    assert len(items) == 2
    assert items[0].startswith("<strong>Add Contacts:</strong>")
    assert items[0].endswith("— adds 3 contacts")
    assert items[1].startswith("<strong>Reduce Contacts:</strong>")
    assert items[1].endswith("— removes 1 line")
    assert not SegmentLine.objects.filter(segment=segment).exists()
    assert CriteriaStep.objects.count() == steps_before


def test_applying_from_the_preview_replays_the_steps(marketing_client, saved):
    segment = SegmentFactory()
    page = marketing_client.get(
        _url(segment), {"saved_criteria": saved.pk}
    ).content.decode()
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page))

    response = marketing_client.post(_url(segment), hidden)

    assert response.status_code == 302
    assert segment.lines.count() == 2
    assert segment.steps.count() == 2


def test_the_page_without_a_choice_shows_no_preview(marketing_client, saved):
    page = marketing_client.get(_url(SegmentFactory())).content.decode()

    assert 'id="reuse-preview"' not in page
    assert "Show the steps and counts" in page
