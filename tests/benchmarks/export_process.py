"""One CSV export of the Interaction Log, in a fresh process: its time and peak RSS.

Run by test_export.py as `python -m tests.benchmarks.export_process <logged
segment>` with the test database's DATABASE_URL; prints JSON. A fresh process,
so that its peak RSS is this export's alone.
"""

import json
import os
import resource
import sys
import tempfile
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from core.exports import write_table  # noqa: E402
from interactions.exports import interaction_log_table  # noqa: E402


def main(logged_segment: str) -> None:
    table = interaction_log_table({"query": f"logged_segment={logged_segment}"})
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        write_table(table, output, file_format="csv")
        seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_rss_mib": peak_kib / 1024}))


if __name__ == "__main__":
    main(sys.argv[1])
