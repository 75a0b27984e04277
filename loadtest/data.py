"""The load test's database: generated set-based, and checked after the load.

Runs in the load test's own process with Django set up on that database.
"""

import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count

from contacts.models import Contact
from interactions.demo_data import generate_log_entries
from interactions.models import InteractionLogEntry, InteractionTemplate, LoggedSegment
from segmentation.models import Segment, SegmentLine
from segmentation.services import add_contacts, save_segment

USERNAME, PASSWORD = "loadtest", "loadtest-password"
ADDS, ADD_SIZE = 10, 1000
RACE_LINES, RACE_ADD = 1000, 50


@dataclass
class Plan:
    """The segments and the contacts each scenario works with."""

    big: Segment
    race: Segment
    add_numbers: list[list[str]]
    race_add_numbers: list[str]
    some_contact: int


def generate(*, contacts: int, entries: int, seed: int) -> dict[str, float]:
    """Contacts and interaction history (once per database), and the load test's user."""
    timings = {}
    if not Contact.objects.exists():
        started = time.perf_counter()
        call_command("load_demo_data", contacts=contacts, seed=seed, verbosity=0)
        timings["generate contacts"] = time.perf_counter() - started
        started = time.perf_counter()
        generate_log_entries(
            entries,
            templates=list(InteractionTemplate.objects.all()),
            randomness=random.Random(seed),
        )
        timings["generate log entries"] = time.perf_counter() - started
    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Marketing admin"))
    return timings


def plan(*, segment_lines: int) -> Plan:
    """Fresh segments for this run: a big one, and a small one for the Log/Add race."""
    persons = list(
        Contact.objects.filter(
            type=Contact.Type.PERSON,
            privacy_blocked=False,
            exclude_from_segments=False,
        )
        .order_by("pk")
        .values_list("number", flat=True)[
            : segment_lines + RACE_LINES + RACE_ADD + ADDS * ADD_SIZE
        ]
    )
    big = make_segment("Load test: big segment", persons[:segment_lines])
    rest = persons[segment_lines:]
    race = make_segment("Load test: Log while adding", rest[:RACE_LINES])
    rest = rest[RACE_LINES:]
    race_add, rest = rest[:RACE_ADD], rest[RACE_ADD:]
    # Each Add overlaps the next by half: concurrent Adds of the same contacts.
    half = ADD_SIZE // 2
    adds = [rest[i * half : i * half + ADD_SIZE] for i in range(ADDS)]
    return Plan(
        big=big,
        race=race,
        add_numbers=adds,
        race_add_numbers=race_add,
        some_contact=Contact.objects.filter(number=persons[0]).values_list(
            "pk", flat=True
        )[0],
    )


def make_segment(description: str, numbers: list[str]) -> Segment:
    """A segment of the business-letter template holding these contact numbers."""
    template = InteractionTemplate.objects.get(code="BUS")
    segment = save_segment(
        Segment(),
        fields={
            **template.interaction_defaults(),
            "description": description,
            "template": template,
        },
        upload=None,
        user=None,
    )
    if numbers:
        add_contacts(segment, criteria={"number": [" ".join(numbers)]}, user=None)
    return segment


def line_count(segment: Segment) -> int:
    return SegmentLine.objects.filter(segment=segment).count()


def duplicated_lines(segment: Segment) -> int:
    """Lines of a contact that is on the segment more than once."""
    return (
        SegmentLine.objects.filter(segment=segment)
        .values("contact")
        .annotate(times=Count("pk"))
        .filter(times__gt=1)
        .count()
    )


def logged_problems(segment: Segment, *, expected: set[int]) -> list[str]:
    """Logged once, with one entry per line: entry counts that are not that are errors."""
    logged = list(LoggedSegment.objects.filter(segment_number=segment.number))
    if len(logged) != 1:
        return [f"segment {segment.number} logged {len(logged)} times"]
    entries = InteractionLogEntry.objects.filter(logged_segment=logged[0])
    counted = entries.count()
    contacts = entries.values("contact").distinct().count()
    problems = []
    if counted != logged[0].entry_count or counted not in expected:
        problems.append(
            f"segment {segment.number}: {counted} entries, {logged[0].entry_count} "
            f"recorded, expected one of {sorted(expected)}"
        )
    if contacts != counted:
        problems.append(f"segment {segment.number}: {counted - contacts} duplicated")
    if Segment.objects.filter(pk=segment.pk).exists():
        problems.append(f"segment {segment.number} still exists after Log")
    return problems
