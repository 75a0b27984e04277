"""A worker asked to stop: a long one-task job stops at a safe point and waits again.

The worker's first SIGTERM (or Ctrl+C) calls `request_stop()`. A job whose one
task may run long (a mailing, say) asks `stop_requested()` between units of
work, saves where it is, and raises `JobInterrupted`: the job is then queued
again for another worker instead of holding up this worker's exit.
"""

import threading

_requested = threading.Event()


class JobInterrupted(Exception):
    """The run stopped because its worker is stopping; the job is queued again."""


def request_stop() -> None:
    _requested.set()


def stop_requested() -> bool:
    return _requested.is_set()
