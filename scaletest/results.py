"""What the scale test found: the checks' problems and the rows of scale-test-results.json."""

from scaletest.drive import DOWN_AFTER_SECONDS, Traffic
from scaletest.plan import Plan, check_adds, check_letters, check_logs

LOST_OR_DUPLICATED = "scale: lost or duplicated rows"


def judge(
    plan: Plan,
    jobs: list[int],
    traffic: Traffic,
    states: dict[str, dict[str, str]],
    *,
    killed: str,
    alive: str,
) -> tuple[list[str], list[tuple[str, float, str]]]:
    """The problems (none when all is well) and the result rows (name, value, unit).

    `states` is HAProxy's view of the app servers after the load; `killed` and
    `alive` name the server that was killed and the one that was not.
    """
    lost_adds, problems = check_adds(plan)
    lost_logs, log_problems = check_logs(plan)
    lost_letters, letter_problems, job_counts = check_letters(jobs)
    problems += log_problems + letter_problems + traffic.unexpected
    lost = lost_adds + lost_logs + lost_letters
    after = traffic.after_kill()
    settled = traffic.after_kill(DOWN_AFTER_SECONDS)
    failed_settled = [r for r in settled if r.failed]
    killed_state, alive_state = states[killed], states[alive]
    if not killed_state["status"].startswith("DOWN") or alive_state["status"] != "UP":
        problems.append(
            f"HAProxy: {killed} {killed_state['status']}, "
            f"{alive} {alive_state['status']}"
        )
    if failed_settled:
        problems.append(
            f"{len(failed_settled)} requests failed after the proxy saw the kill: "
            + ", ".join(f"{r.kind} {r.outcome}" for r in failed_settled[:10])
        )
    if lost:
        problems.append(f"{lost} rows lost or duplicated")
    if job_counts["done"] != len(plan.letter_segments):
        problems.append(
            f"{job_counts['done']} of {len(plan.letter_segments)} jobs done"
        )
    rows = [
        (LOST_OR_DUPLICATED, lost, "rows"),
        ("scale: segment lines lost or duplicated (Adds)", lost_adds, "rows"),
        ("scale: log entries lost or duplicated (Logs)", lost_logs, "rows"),
        ("scale: letters lost or duplicated (letter jobs)", lost_letters, "letters"),
        ("scale: letter jobs finished", job_counts["done"], "jobs"),
        ("scale: letter jobs started", len(plan.letter_segments), "jobs"),
        ("scale: job chunks", job_counts["chunks"], "chunks"),
        (
            "scale: job chunks run again after the worker kill",
            job_counts["again"],
            "chunks",
        ),
        ("scale: requests", len(traffic.requests), "requests"),
        ("scale: requests sent after the kill", len(after), "requests"),
        (
            "scale: requests failed after the kill",
            sum(r.failed for r in after),
            "requests",
        ),
        (
            f"scale: requests failed more than {DOWN_AFTER_SECONDS:.0f} s after the kill",
            len(failed_settled),
            "requests",
        ),
        (
            "scale: requests interrupted by the kill (retried)",
            len(traffic.interrupted()),
            "requests",
        ),
        ("scale: read p50", round(traffic.read_milliseconds(0.5)), "ms"),
        ("scale: read p95", round(traffic.read_milliseconds(0.95)), "ms"),
        (
            f"scale: requests served by {killed} (killed)",
            int(killed_state["stot"]),
            "requests",
        ),
        (
            f"scale: requests served by {alive}",
            int(alive_state["stot"]),
            "requests",
        ),
        (
            "scale: app servers up after the kill",
            sum(s["status"] == "UP" for s in states.values()),
            "servers",
        ),
        *(
            (f"scale: {mark}", round(at - traffic.marks["load began"], 1), "s")
            for mark, at in traffic.marks.items()
            if mark != "load began"
        ),
        (
            "scale: app server killed",
            round(traffic.killed_at - traffic.marks["load began"], 1),
            "s",
        ),
        ("scale: problems", len(problems), "problems"),
    ]
    return problems, rows
