"""The scale test's segments, made before the load, and the checks made after it.

Every write the load makes has one right outcome, whichever server or worker
did it and whichever was killed on the way: the checks count the rows that are
missing or there twice (segment lines, log entries, logged segments, letters).
"""

import io
import zipfile
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from contacts.models import Contact
from core.models import Job, JobChunk
from interactions.models import InteractionLogEntry, LoggedSegment
from loadtest.data import make_segment
from segmentation.models import Segment, SegmentLine

LETTER_SUFFIX = ".docx"


@dataclass
class Sizes:
    add_segments: int = 4
    adds_per_segment: int = 6
    add_size: int = 200
    log_segments: int = 6
    log_lines: int = 400
    loggers: int = 3
    letter_segments: int = 4
    # Over LETTERS_IN_REQUEST (500), so the letters are made by the workers.
    letter_lines: int = 600


@dataclass
class Plan:
    """What the load writes: Adds (segment id, contact numbers), Logs, letter jobs."""

    adds: list[tuple[int, list[str]]]
    add_segments: dict[int, set[str]]  # segment id: the numbers it must end with
    log_segments: dict[int, tuple[str, int]]  # segment id: (number, lines)
    letter_segments: list[int]


def make_plan(sizes: Sizes) -> Plan:
    """Fresh segments of distinct persons, and the Adds to make (each half the next's)."""
    half = sizes.add_size // 2
    adds_per_segment = sizes.adds_per_segment
    per_add_segment = half + half * (adds_per_segment + 1)
    wanted = (
        sizes.add_segments * per_add_segment
        + sizes.log_segments * sizes.log_lines
        + sizes.letter_segments * sizes.letter_lines
    )
    persons = list(
        Contact.objects.filter(
            type=Contact.Type.PERSON, privacy_blocked=False, exclude_from_segments=False
        )
        .order_by("pk")
        .values_list("number", flat=True)[:wanted]
    )
    if len(persons) < wanted:
        raise SystemExit(
            f"The scale test needs {wanted} persons who may be in segments; "
            f"the database has {len(persons)}: use more --contacts."
        )
    pool = iter(persons)

    def take(count: int) -> list[str]:
        return [next(pool) for _ in range(count)]

    per_segment, add_segments = [], {}
    for index in range(sizes.add_segments):
        start = take(half)
        segment = make_segment(f"Scale test: Adds {index + 1}", start)
        numbers = take(half * (adds_per_segment + 1))
        add_segments[segment.pk] = set(start) | set(numbers)
        per_segment.append(
            [
                (segment.pk, numbers[k * half : k * half + sizes.add_size])
                for k in range(adds_per_segment)
            ]
        )
    # Round robin over the segments: concurrent Adds hit each segment in turn.
    adds = [add for turn in zip(*per_segment, strict=True) for add in turn]
    log_segments = {}
    for index in range(sizes.log_segments):
        segment = make_segment(f"Scale test: Log {index + 1}", take(sizes.log_lines))
        log_segments[segment.pk] = (segment.number, sizes.log_lines)
    letters = [
        make_segment(f"Scale test: letters {index + 1}", take(sizes.letter_lines)).pk
        for index in range(sizes.letter_segments)
    ]
    return Plan(adds, add_segments, log_segments, letters)


def check_adds(plan: Plan) -> tuple[int, list[str]]:
    """Lines missing or there twice on the Adds' segments."""
    wrong, problems = 0, []
    for segment_id, expected in plan.add_segments.items():
        numbers = Counter(
            SegmentLine.objects.filter(segment_id=segment_id).values_list(
                "contact__number", flat=True
            )
        )
        missing = len(expected - set(numbers))
        extra = len(set(numbers) - expected)
        twice = sum(times - 1 for times in numbers.values() if times > 1)
        if missing or extra or twice:
            problems.append(
                f"Adds, segment {segment_id}: {missing} lines lost, {twice} "
                f"duplicated, {extra} not added by anyone"
            )
        wrong += missing + extra + twice
    return wrong, problems


def check_logs(plan: Plan) -> tuple[int, list[str]]:
    """Each segment logged exactly once, one entry per line and contact."""
    wrong, problems = 0, []
    for segment_id, (number, lines) in plan.log_segments.items():
        logged = list(LoggedSegment.objects.filter(segment_number=number))
        if len(logged) != 1:
            problems.append(f"segment {number} logged {len(logged)} times")
            wrong += abs(len(logged) - 1) * lines or lines
            continue
        entries = InteractionLogEntry.objects.filter(logged_segment=logged[0])
        per_contact = entries.values("contact").annotate(times=Count("pk"))
        count = sum(row["times"] for row in per_contact)
        twice = sum(row["times"] - 1 for row in per_contact if row["times"] > 1)
        missing = max(lines - (count - twice), 0)
        if missing or twice or count != logged[0].entry_count:
            problems.append(
                f"Log of {number}: {count} entries ({logged[0].entry_count} "
                f"recorded) for {lines} lines, {twice} duplicated"
            )
        if Segment.objects.filter(pk=segment_id).exists():
            problems.append(f"segment {number} still exists after Log")
        wrong += missing + twice
    return wrong, problems


def check_letters(job_ids: list[int]) -> tuple[int, list[str], dict]:
    """Every job done; each zip holds one letter per line, none twice, none missing."""
    wrong, problems = 0, []
    jobs = list(Job.objects.filter(pk__in=job_ids))
    for job in jobs:
        if job.state != Job.State.DONE:
            problems.append(f"job {job.pk}: {job.state} {job.error}")
            wrong += job.total
            continue
        with job.result.open("rb") as file:
            archive = zipfile.ZipFile(io.BytesIO(file.read()))
        letters = [name for name in archive.namelist() if name.endswith(LETTER_SUFFIX)]
        expected = set(
            SegmentLine.objects.filter(
                segment_id=job.parameters["segment"]
            ).values_list("contact__number", flat=True)
        )
        made = Counter(name.split(" ")[1] for name in letters)
        missing = len(expected - set(made))
        twice = sum(times - 1 for times in made.values() if times > 1)
        if missing or twice or len(letters) != job.total or job.done != job.total:
            problems.append(
                f"job {job.pk}: {len(letters)} letters for {job.total} lines, "
                f"{missing} missing, {twice} twice (done {job.done})"
            )
        wrong += missing + twice
    if len(jobs) != len(job_ids):
        problems.append(f"{len(job_ids) - len(jobs)} letter jobs not found")
    chunks = JobChunk.objects.filter(job_id__in=job_ids)
    counts = {
        "jobs": len(jobs),
        "done": sum(job.state == Job.State.DONE for job in jobs),
        "chunks": chunks.count(),
        "again": chunks.filter(attempts__gt=1).count(),
    }
    return wrong, problems, counts
