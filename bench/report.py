"""Render bench/results.json as bench/results.md (`python bench/report.py` redoes it)."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The floor of a job's first run, in bench/floors.sql and the results.
FIRST_RUN_FLOOR = "{job} (first run)"


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
            floor = reading
            # On a reused database (BENCH_REUSE=1) the "first" run found its month
            # written already: a rerun, held to the floor that writes nothing.
            if run["run"] == "first" and "rows" in generated:
                floor = floors.get(FIRST_RUN_FLOOR.format(job=job["job"]), {}).get(
                    "seconds", reading
                )
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
    bare = {r["method"]: r for r in results["load"] if r["target"].startswith("bare")}
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
