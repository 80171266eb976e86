"""Render bench/results.json as bench/results.md (`python bench/report.py` redoes it)."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The floor of a job's first run, in bench/floors.sql and the results.
FIRST_RUN_FLOOR = "{job} (first run)"
# Issue 9's targets, set for 100,000 persons on the 2-core machine.
TARGET_PERSONS = 100_000
JOB_SECONDS = 60
JOB_FLOOR_RATIO = 3
PAGE_P95_MS = 150
POST_SHARE_OF_BARE = 0.5
# "Memory flat in N": a job that held its rows in Python would grow with them, by hundreds
# of megabytes already at 10,000 persons (some 900,000 rows); one that streams grows by
# the same few megabytes at any size. The bound says which of the two a run is.
MEMORY_GROWTH_MB = 50


def report(results) -> str:
    generated = results["generate"]
    floors = {floor["floor"]: floor for floor in results["floors"]}
    lines = [
        f"# Benchmark at {results['persons']:,} persons",
        "",
        f"PostgreSQL, {results['cpus']} CPUs shared with other work (load average "
        f"{results['load_average_at_start']:.1f} at the start).",
        (
            f"Generated {generated['rows']:,} rows in {generated['seconds']} s."
            if "rows" in generated
            else "Reused the bench database."
        ),
        "",
        "## Batch jobs",
        "",
        "A rerun's floor reads and decides; a first run's also writes the run's rows "
        "(bench/floors.sql).",
        "",
        "| job | run | seconds | queries | floor s | job / floor | job / floor writing nothing "
        "| rows | memory growth MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for job in results["jobs"]:
        if not job["available"]:
            lines.append(f"| {job['job']} | {job['why']} | | | | | | | |")
            continue
        reading = floors.get(job["job"], {}).get("seconds")
        for run in job["runs"]:
            floor = _floor(job, run, floors, generated)
            lines.append(
                f"| {job['job']} | {run['run']} | {run['seconds']} | {run['queries']} | "
                f"{floor} | {_ratio(run['seconds'], floor)} | {_ratio(run['seconds'], reading)} | "
                f"{job['rows']} | {job['rss_growth_mb']} |"
            )
    lines += _at_once(results["jobs"])
    lines += [
        "",
        f"## Pages under load ({results['connections']} concurrent connections, "
        f"{results['load_seconds']} s each, median of {results.get('load_rounds', 1)} rounds)",
        "",
        "| target | user | p50 ms | p95 ms | requests/s | p95 / bare | rps / bare | errors "
        "| requests/s by round | CPU ms / request: app, database |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    bare = _bare_views(results["load"])
    for row in results["load"]:
        if not row["available"]:
            lines.append(f"| {row['target']} | {row['user']} | {row['why']} | | | | | | | |")
            continue
        base = bare.get(row["method"], {})
        latency, throughput = (
            (f"{row['p95_ms'] / base['p95_ms']:.1f}", f"{row['rps'] / base['rps']:.2f}")
            if base.get("available")
            else ("", "")
        )
        lines.append(
            f"| {row['target']} | {row['user']} | {row['p50_ms']} | {row['p95_ms']} | "
            f"{row['rps']} | {latency} | {throughput} | {row['errors']} | "
            f"{', '.join(map(str, row.get('rps_each', [])))} | {_cpu(row)} |"
        )
    lines += _against_floors(results["load"])
    lines += _targets(results, floors)
    lines += [
        "",
        f"Command: `make bench BENCH_PERSONS={results['persons']}` (also BENCH_DATABASE_URL,",
        "BENCH_LOAD_SECONDS, BENCH_LOAD_ROUNDS, BENCH_REUSE=1). How each number is taken:",
        "docstrings of bench/jobs.py and bench/load.py; the floors are bench/floors.sql;",
        "query plans in bench/EXPLAIN.md. Memory growth is the job process's peak resident",
        "memory (VmHWM) above its size before the job. CPU per request is the server's",
        "processes' and PostgreSQL's, over the measured run (median of the rounds).",
    ]
    return "\n".join(lines) + "\n"


def _floor(job, run, floors, generated):
    """The seconds of the floor `run` of `job` is held to; None when it was not timed.

    A rerun's floor reads and decides; a first run's also writes. On a reused database
    (BENCH_REUSE=1) the "first" run found its month written already: a rerun, held to
    the floor that writes nothing, as are results from before the writing floors.
    """
    reading = floors.get(job["job"], {}).get("seconds")
    if run["run"] == "first" and "rows" in generated:
        return floors.get(FIRST_RUN_FLOOR.format(job=job["job"]), {}).get("seconds", reading)
    return reading


def _targets(results, floors) -> list[str]:
    """Issue 9's targets, each with what this run measured and whether it meets it.

    Worked out from the figures above, so that no one has to; a target whose figures
    are missing (a job or page not available) is not met.
    """
    checks = [
        *_job_checks(results, floors),
        _page_check(results),
        _post_check(results["load"]),
    ]
    return [
        "",
        f"## Issue 9's targets (set for {TARGET_PERSONS:,} persons; this run: "
        f"{results['persons']:,})",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *(
            f"| {target} | {figures} | {'yes' if met else 'no'} |"
            for target, figures, met in checks
        ),
    ]


def _job_checks(results, floors) -> list[tuple[str, str, bool]]:
    """Each job's time, its time against its floor (every run), and its memory growth;
    `floors` by name, as report() reads them."""
    jobs = [job for job in results["jobs"] if job["available"]]
    complete = bool(jobs) and len(jobs) == len(results["jobs"])
    runs = [
        (job, run, _floor(job, run, floors, results["generate"]))
        for job in jobs
        for run in job["runs"]
    ]
    return [
        (
            f"each job under {JOB_SECONDS} s",
            _listed(f"{job['job']} {run['run']} {run['seconds']} s" for job, run, _ in runs),
            complete and all(run["seconds"] < JOB_SECONDS for _, run, _ in runs),
        ),
        (
            f"each job within {JOB_FLOOR_RATIO}x its SQL floor",
            _listed(
                f"{job['job']} {run['run']} "
                + (f"{_ratio(run['seconds'], floor)}x" if floor else "no floor")
                for job, run, floor in runs
            ),
            complete
            and all(floor and run["seconds"] <= JOB_FLOOR_RATIO * floor for _, run, floor in runs),
        ),
        (
            f"memory flat in N: each job under {MEMORY_GROWTH_MB} MB of growth",
            _listed(f"{job['job']} {job['rss_growth_mb']} MB" for job in jobs),
            complete and all(job["rss_growth_mb"] < MEMORY_GROWTH_MB for job in jobs),
        ),
    ]


def _page_check(results) -> tuple[str, str, bool]:
    """Every page's p95: all targets but the yardsticks (the bare views, the floors)."""
    rows = results["load"]
    yardsticks = {row.get("floor") for row in rows} | {row["target"] for row in rows if _bare(row)}
    pages = [row for row in rows if row["target"] not in yardsticks]
    return (
        f"pages under {PAGE_P95_MS} ms p95 at {results['connections']} connections",
        _listed(
            f"{row['target']} {row['p95_ms']} ms"
            if row["available"]
            else f"{row['target']} not measured"
            for row in pages
        ),
        bool(pages) and all(row["available"] and row["p95_ms"] < PAGE_P95_MS for row in pages),
    )


def _post_check(rows) -> tuple[str, str, bool]:
    """The contact POST's requests/s against the bare POST's; its write alone's beside it,
    the most a contact POST could reach."""
    target = f"contact POST at least {POST_SHARE_OF_BARE}x the bare POST's requests/s"
    by_name = {row["target"]: row for row in rows if row["available"]}
    bare = _bare_views(rows).get("POST", {"available": False})
    post = by_name.get("contact POST")
    if not bare["available"] or post is None:
        return target, "not measured", False
    share = post["rps"] / bare["rps"]
    figures = f"{share:.2f}x"
    if (alone := by_name.get(post.get("floor"))) is not None:
        figures += f"; {alone['target']}, no checks: {alone['rps'] / bare['rps']:.2f}x"
    return target, figures, share >= POST_SHARE_OF_BARE


def _bare(row) -> bool:
    return row["target"].startswith("bare")


def _bare_views(rows) -> dict:
    """{method: the bare view's row}: what each page is compared with."""
    return {row["method"]: row for row in rows if _bare(row)}


def _listed(items) -> str:
    """Figures joined with semicolons: some targets' names have commas."""
    return "; ".join(items) or "not measured"


def _at_once(jobs) -> list[str]:
    """A sentence per job whose tasks ran several at once, as the Celery worker runs them
    (bench/jobs.py); results from before it was measured so say nothing."""
    return [
        f"\n{job['job']}: one task per regional program, {job['tasks_at_once']} at a time, "
        "as the Celery worker runs them (a process per CPU)."
        for job in jobs
        if job.get("tasks_at_once", 1) > 1
    ]


def _against_floors(rows) -> list[str]:
    """A sentence per target measured with its floor (the contact POST with its write
    alone): its share of the floor's requests/s, and the CPU per request of both."""
    by_name = {row["target"]: row for row in rows if row["available"]}
    lines = []
    for row in rows:
        floor = by_name.get(row.get("floor"))
        if not row["available"] or floor is None:
            continue
        cpu = ""
        if "app_cpu_ms" in row and "app_cpu_ms" in floor:
            cpu = (
                f", with {_total_cpu(row):.2f} against {_total_cpu(floor):.2f} ms of CPU "
                "per request (app and database)"
            )
        lines += [
            "",
            f"{row['target']} against {floor['target']}: {row['rps'] / floor['rps']:.2f} "
            f"of its requests/s{cpu}.",
        ]
    return lines


def _ratio(seconds, floor) -> str:
    return f"{seconds / floor:.1f}" if floor else ""


def _total_cpu(row) -> float:
    return row["app_cpu_ms"] + row["database_cpu_ms"]


def _cpu(row) -> str:
    """The app's and the database's CPU per request; blank in results from before they were."""
    if "app_cpu_ms" not in row:
        return ""
    return f"{row['app_cpu_ms']}, {row['database_cpu_ms']}"


if __name__ == "__main__":
    results = json.loads((HERE / "results.json").read_text())
    (HERE / "results.md").write_text(report(results))
