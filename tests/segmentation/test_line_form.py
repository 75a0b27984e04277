"""The line form shows what an empty field stands for, and offers languages by name."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    ContactFactory,
    InteractionTemplateFactory,
    SalespersonFactory,
    SegmentFactory,
    SegmentLineFactory,
    TemplateDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def line():
    template = InteractionTemplateFactory(code="INVIT", default_language="en")
    TemplateDocumentFactory(template=template, language="en")
    TemplateDocumentFactory(template=template, language="cs")
    segment = SegmentFactory(
        description="Spring mail",
        subject="Spring offers",
        template=template,
        salesperson=SalespersonFactory(code="SP1", name="Sara Palm"),
        correspondence_type="hard_copy",
        ignore_contact_correspondence_type=True,
        unit_cost=Decimal("2.50"),
        unit_duration=5,
        date=datetime.date(2026, 12, 3),
    )
    return SegmentLineFactory(segment=segment, contact=ContactFactory(language=""))


def _page(client, line):
    url = reverse("segmentation:segment_line_update", args=[line.segment_id, line.pk])
    return client.get(url).content.decode()


def test_empty_fields_show_the_values_the_line_takes(marketing_client, line):
    page = _page(marketing_client, line)

    assert 'placeholder="Spring mail"' in page
    assert 'placeholder="Spring offers"' in page
    assert 'placeholder="2.50"' in page
    assert 'placeholder="5"' in page
    assert "Empty: 3 Dec 2026, as the segment says." in page
    assert "(as the segment says: INVIT – " in page
    assert "(as the segment says: SP1" in page or "(as the segment says: Sara" in page
    assert "(as the segment says: Hard copy)" in page
    assert "(as the segment says: English (en))" in page


def test_the_summary_is_labelled(marketing_client, line):
    page = _page(marketing_client, line)

    assert re.search(r"<dt[^>]*>Subject</dt><dd[^>]*>Spring offers</dd>", page)
    assert re.search(r"<dt[^>]*>Cost</dt><dd[^>]*>2.50</dd>", page)


def test_languages_are_a_list_with_the_templates_first(marketing_client, line):
    page = _page(marketing_client, line)

    select = re.search(r'<select name="language".*?</select>', page, re.S).group(0)
    template_group = re.search(
        r'<optgroup label="The template has a document in">(.*?)</optgroup>',
        select,
        re.S,
    ).group(1)
    assert re.findall(r'value="([^"]+)"', template_group) == ["cs", "en"]
    assert '<option value="sv">Swedish (sv)</option>' in select


def test_a_chosen_language_is_saved(marketing_client, line):
    url = reverse("segmentation:segment_line_update", args=[line.segment_id, line.pk])

    response = marketing_client.post(
        url, {"language": "cs", "correspondence_type": "inherit", "evaluation": ""}
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert line.language == "cs"


def test_a_line_setting_its_own_template_names_nothing_in_the_empty_choice(
    marketing_client, line
):
    line.template = InteractionTemplateFactory(code="OTHER")
    line.save()

    page = _page(marketing_client, line)

    assert "(as the segment says: OTHER" not in page
