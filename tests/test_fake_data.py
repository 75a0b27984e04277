"""Factories give the same fake data in every run, whatever ran before."""

import factory.random
import pytest

from tests.factories import FAKE_DATA_SEED, ContactFactory, SalespersonFactory

pytestmark = pytest.mark.django_db


def _names():
    return [ContactFactory().name, SalespersonFactory().email]


def test_every_test_starts_from_the_same_fake_data():
    first = _names()

    factory.random.reseed_random(FAKE_DATA_SEED)

    assert _names() == first
