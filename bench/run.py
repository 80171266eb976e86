"""`make bench`: TCM at state scale on PostgreSQL, written to bench/results.md and .json.

Steps: a fresh database (BENCH_DATABASE_URL), migrations, BENCH_PERSONS persons
from bench/generate.py, then each batch job against its SQL floor
(bench/jobs.py, bench/floors.sql) and the busiest pages under load
(bench/load.py). BENCH_REUSE=1 keeps a database that already holds exactly
BENCH_PERSONS persons (the jobs' "first" run is then not a first run).
BENCH_STEPS=jobs or BENCH_STEPS=load runs one half only; a pages-only run on a reused
database keeps the jobs of the last run at that size in its results.

The machine is shared, so the results carry the load average seen at the start.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERSONS = int(os.environ.get("BENCH_PERSONS", "10000"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tcm_bench")
REUSE = os.environ.get("BENCH_REUSE") == "1"
STEPS = os.environ.get("BENCH_STEPS", "jobs,load").split(",")


def _prepare_database() -> bool:
    """Create the bench database afresh unless reusing it; True when it must be filled."""
    import psycopg

    url, _, name = DATABASE_URL.rpartition("/")
    with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and REUSE:
            return False
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return True


fresh = _prepare_database()
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcm.settings")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import jobs, load  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.report import report  # noqa: E402
from people.models import Person  # noqa: E402


def _generate() -> dict:
    call_command("migrate", verbosity=0)
    if not fresh and Person.objects.count() == PERSONS:
        return {"persons": PERSONS, "reused": True}
    started = time.perf_counter()
    counts = generate(PERSONS)
    _settle()
    seconds = time.perf_counter() - started
    rows = sum(counts.values())
    return {"persons": PERSONS, "rows": rows, "seconds": round(seconds, 1), "tables": counts}


def _settle():
    """Leave the generated database as the nightly jobs meet a live one.

    Autovacuum (off on the bench machine, on in production) has been through the day's
    rows, leaving the visibility map and hint bits, so the first job does not pay for
    the generator's 8.9 million rows; and no checkpoint of the generator's gigabytes is
    pending. Right after the generation, the 100,000-person jobs' first runs took 7.6 and
    8.0 s; on a settled copy of the same data 6.3-6.7 and 6.6-7.0 s (bench/EXPLAIN.md,
    "The database the jobs meet"). Outside generate(), whose tests run in a transaction
    that VACUUM refuses.
    """
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def main():
    results = {
        "persons": PERSONS,
        "load_average_at_start": os.getloadavg()[0],
        "cpus": os.cpu_count(),
        "connections": load.CONNECTIONS,
        "load_seconds": load.SECONDS,
        "load_rounds": load.ROUNDS,
        "generate": _generate(),
        "jobs": [],
        "floors": [],
        "load": [],
    }
    if "jobs" not in STEPS and REUSE:
        results |= _jobs_of_last_run()
    today = timezone.localdate()
    # Results are written after every step: a long run cut short still reports what it measured.
    if "jobs" in STEPS:
        for name in jobs.JOBS:
            results["jobs"].append(jobs.measure(name))
            _write(results)
        # The jobs' writes flushed before the floors are timed, as before the pages (below):
        # the evaluation's floor took 2.8, 3.2 and 3.6 s in three runs of one evening.
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        for name, floor in jobs.floors().items():
            results["floors"].append(jobs.time_floor(name, floor, today))
            _write(results)
    if "load" in STEPS:
        # What autovacuum does after a nightly job (it is off on the bench machine): fresh
        # statistics for the findings, rates and bills the jobs just wrote. Then the
        # checkpoint that follows a night's writes within minutes: the pages run in the
        # day, and without it the ones that commit (the person record's access log, the
        # contact POST) seemed to wait on a checkpoint still writing out the jobs' gigabytes
        # (person record 83-89 requests/s right after the jobs, 151-173 minutes later).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("CHECKPOINT")
        results["load"] = load.run_all(on_result=lambda rows: _write({**results, "load": rows}))
        _write(results)
    print(report(results))


def _jobs_of_last_run() -> dict:
    """The jobs and floors of the last run at this size, for a pages-only run on its
    database (BENCH_REUSE=1 BENCH_STEPS=load): a first run is only a first run on a
    freshly generated database, so the results keep the one it measured."""
    last = ROOT / "bench" / f"results-{PERSONS}.json"
    if not last.exists():
        return {}
    kept = json.loads(last.read_text())
    return {"jobs": kept["jobs"], "floors": kept["floors"], "generate": kept["generate"]}


def _write(results):
    """bench/results.* is the latest run; results-N.* keeps each size, to see how costs grow."""
    for name in ("results", f"results-{PERSONS}"):
        (ROOT / "bench" / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
        (ROOT / "bench" / f"{name}.md").write_text(report(results))


if __name__ == "__main__":
    main()
