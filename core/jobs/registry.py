"""The kinds of job the apps register (in their AppConfig.ready), found by name."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from core.jobs.progress import Progress
    from core.models import Job, JobChunk


class JobError(Exception):
    """A job cannot be done; its message (translated) is what the user reads,
    with links (url, label) to where it can be seen or put right."""

    def __init__(self, message: str, *, links: list[tuple[str, str]] = ()):
        super().__init__(message)
        self.links = [list(link) for link in links]


@dataclass
class Output:
    """What a run, a chunk or the last step made: the file it wrote to `output`
    (its download name, or "" for no file), how many items it did, and details
    for the page: {"failures": [[item, reason], …]} lists what could not be
    done, {"message": …} says what was done and {"links": [[url, label], …]}
    leads to what it made."""

    file_name: str = ""
    done: int = 0
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class JobKind:
    """How to do one kind of job.

    One task: `run(job, output, progress)`; it may be one transaction and report
    its phases through `progress`. A job that splits: `run_chunk(job, chunk,
    output, progress)` per chunk, each its own task on any worker, then
    `assemble(job, chunks, output, progress)` once the last chunk is done.
    Each writes its file to the binary `output` and returns an `Output`.
    """

    name: str
    run: Callable[["Job", IO[bytes], "Progress"], Output] | None = None
    run_chunk: Callable[["Job", "JobChunk", IO[bytes], "Progress"], Output] | None = (
        None
    )
    assemble: (
        Callable[["Job", list["JobChunk"], IO[bytes], "Progress"], Output] | None
    ) = None
    # The heading above the items the job could not do, on its page.
    failures_heading: str = ""
    # Its work is one transaction: nothing shows until all of it is saved.
    one_transaction: bool = False

    @property
    def splits(self) -> bool:
        return self.run_chunk is not None


_kinds: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> JobKind:
    if kind.splits == (kind.run is not None) or kind.splits != (
        kind.assemble is not None
    ):
        raise ValueError(f"Job kind {kind.name!r}: give run, or run_chunk + assemble.")
    _kinds[kind.name] = kind
    return kind


def job_kind(name: str) -> JobKind:
    return _kinds[name]
