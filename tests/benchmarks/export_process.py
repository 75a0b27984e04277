"""One CSV export of the Interaction Log, in a fresh process: its time and peak RSS.

Run by test_export.py as `python -m tests.benchmarks.export_process <logged
segment>` with the test database's DATABASE_URL; prints JSON. A fresh process,
so that its peak RSS is this export's alone.
"""

import json
import os
import sys
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from core.export_jobs import write_export  # noqa: E402
from interactions.exports import interaction_log_table  # noqa: E402


def main(logged_segment: str) -> None:
    table = interaction_log_table({"query": f"logged_segment={logged_segment}"})
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        write_export(table, output, file_format="csv")
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_rss_mib": _peak_rss_kib() / 1024}))


def _peak_rss_kib() -> int:
    """This process's peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux keeps that
    across exec, so it would report the peak of the pytest process that started us."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("No VmHWM in /proc/self/status")


if __name__ == "__main__":
    main(sys.argv[1])
