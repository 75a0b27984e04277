"""The contact list page on a large contact table: server time and query count."""

import pytest
from django.urls import reverse

from contacts.models import MailingGroup
from tests.benchmarks.conftest import measure_page
from tests.factories import UserFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

LIST_URL = reverse("contacts:contact_list")


@pytest.mark.parametrize(
    ("label", "params"),
    [
        ("first page", {}),
        ("sorted by name, page 100", {"sort": "name", "page": "{page}"}),
        ("search 'berg'", {"q": "berg"}),
        ("mailing group + country", {"mailing_group": "{group}", "country": "SE"}),
    ],
)
def test_contact_list_page(client, generated_contacts, bench_results, label, params):
    client.force_login(UserFactory(username="bench", is_superuser=True))
    group = MailingGroup.objects.order_by("pk").first()
    page = min(100, generated_contacts // 50)
    params = {
        key: value.format(group=group.code, page=page) for key, value in params.items()
    }

    # The unfiltered list caches its filter panel on the first request: measure
    # (and take the floor's SQL from) the requests after it, which every user gets.
    client.get(LIST_URL, params)
    measure_page(
        client,
        LIST_URL,
        params,
        name=f"contact list: {label}",
        rows=generated_contacts,
        bench_results=bench_results,
    )
