"""Time, query count and peak memory of the batch jobs, and of their SQL floors.

`measure(name)` runs one job in a fresh Python process (`python bench/jobs.py
NAME`) so its peak resident memory (VmHWM) is its own and comparable
across data sizes. The child runs the job twice, the first run and an
idempotent rerun on the same data, counting queries with
`connection.execute_wrapper` (cheaper than keeping every SQL string) and
reporting how far resident memory grew above the process's size before the
job. Jobs whose code has not landed yet are reported as not available.

A job runs as production runs it. The evaluation is one task. Bills are one task per
regional program (the beat's `billing.tasks.draft_last_month`), which the Celery worker
runs as many at once as it has processes, by default one per CPU: here a pool of
WORKERS threads, each on its own database connection (`_in_workers`).

The floors (bench/floors.sql) are the core SQL of each job as one statement,
timed on the same data, so "job / floor" says how much the Python around the
SQL costs. A job's floor reads and decides, and writes nothing, as an unchanged
rerun writes nothing; its first run's floor also writes the rows a first run
writes, into empty copies of their tables (`time_floor`).
"""

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import NamedTuple

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcm.settings")
    import django

    django.setup()

from django.db import connection, transaction
from django.utils import timezone

from tcm.dates import previous_month

FLOORS = Path(__file__).resolve().parent / "floors.sql"
# Where a writing floor's empty copies of the tables live, for its transaction only.
COPIES = "bench_floor"
# The Celery worker's processes, Celery's default concurrency: one per CPU.
WORKERS = os.cpu_count() or 1


def _evaluate_compliance(today):
    from compliance.models import Finding
    from compliance.services import evaluate_compliance

    return (lambda: evaluate_compliance(as_of=today)), Finding.objects.count


def _generate_bills(today):
    from billing.models import Bill
    from billing.services import generate_bills
    from tcm.models import RegionalProgram

    month = previous_month(today)
    regions = list(RegionalProgram.objects.order_by("code"))

    def run():
        _in_workers(lambda region: generate_bills(month=month, regional_program=region), regions)

    return run, Bill.objects.count


def _in_workers(task, items) -> list:
    """`task(item)` for every item, WORKERS at a time, as the Celery worker runs its tasks.

    Each thread has its own database connection, as each worker process has, closed
    when its task ends, and the calling thread's execute wrappers (the query counter)
    wrap its queries too. The tasks' work is in PostgreSQL, so Python's one interpreter
    lock does not hold them back: the bills' runs spend their time waiting on their
    statements.
    """
    wrappers = list(connection.execute_wrappers)

    def in_worker(item):
        try:
            with ExitStack() as stack:
                for wrapper in wrappers:
                    stack.enter_context(connection.execute_wrapper(wrapper))
                return task(item)
        finally:
            connection.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(in_worker, items))


# name -> builder(today) returning (run the job, count the rows it produced)
JOBS = {"evaluate_compliance": _evaluate_compliance, "generate_bills": _generate_bills}
# How many of a job's tasks run at once (the results say it).
TASKS_AT_ONCE = {"evaluate_compliance": 1, "generate_bills": WORKERS}


def floor_parameters(today) -> dict:
    last_month = previous_month(today)
    return {"as_of": today, "month": last_month}


class Floor(NamedTuple):
    sql: str
    writes: tuple[str, ...] = ()  # the tables it inserts into, empty copies of them


def floors() -> dict[str, Floor]:
    """The statements of bench/floors.sql by name.

    Each starts with `-- name: NAME`; a writing one says `-- writes: TABLE ...` under
    it, and one that `-- extends: OTHER` is OTHER's CTEs followed by its own (OTHER's
    answer, its last line-leading SELECT, left out)."""
    texts, writes, extends, name = {}, {}, {}, None
    for line in FLOORS.read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "-- name":
            name = value.strip()
            texts[name], writes[name] = "", ()
        elif key == "-- writes" and name:
            writes[name] = tuple(value.split())
        elif key == "-- extends" and name:
            extends[name] = value.strip()
        elif name:
            texts[name] += line + "\n"
    statements = {name: text.strip().rstrip(";") for name, text in texts.items()}
    for name, base in extends.items():
        ctes = statements[base].rpartition("\nSELECT ")[0]
        statements[name] = f"{ctes},\n{statements[name]}"
    return {name: Floor(sql, writes[name]) for name, sql in statements.items()}


def measure(name: str) -> dict:
    """Run job `name` in its own process and return its measurements."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), name],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return {"job": name, "available": False, "why": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_floor(name: str, floor: Floor, today) -> dict:
    """Run a floor statement three times (the later ones with a warm cache) and keep the
    fastest, with each kept; each run rolled back, so a writing floor leaves nothing.

    In the connection's default settings, not the job's: the evaluation sorts in 64 MB
    of work_mem (compliance.services), and its floor, asked the same way at 100,000
    persons, hashed in memory but ran 0.5 s slower than spilling 32 batches to disk
    under the default (bench/EXPLAIN.md); the faster is the floor."""
    timings = []
    for _ in range(3):
        with floor_cursor(floor) as cursor:
            started = time.perf_counter()
            cursor.execute(floor.sql, floor_parameters(today))
            rows = cursor.fetchall()
            timings.append(round(time.perf_counter() - started, 3))
    result = rows[0][0] if rows else None
    return {"floor": name, "seconds": min(timings), "each": timings, "result": result}


@contextmanager
def floor_cursor(floor: Floor):
    """A cursor to run `floor` with, in a transaction rolled back when it closes; a
    writing floor's tables are empty copies by then (`_into_empty_copies`)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if floor.writes:
            _into_empty_copies(cursor, floor.writes)
        yield cursor
        transaction.set_rollback(True)


def _into_empty_copies(cursor, tables) -> None:
    """Send this transaction's writes to `tables` into empty copies of them.

    A first run inserts into tables with nothing of its month in them, so the floor's
    inserts pay what the job's do: the copies have the same columns, defaults, checks,
    indexes and foreign keys (LIKE ... INCLUDING ALL, then each foreign key re-created,
    referring to the copies where the referenced table is copied too), and the foreign
    keys are checked when the statement ends instead of at COMMIT, which a rolled-back
    floor never reaches. Copies, not the tables themselves: after the job's own run the
    month's bills and findings are on file, and the unique keys would refuse them again.
    """
    cursor.execute(f"CREATE SCHEMA {COPIES}")
    for table in tables:
        cursor.execute(f"CREATE TABLE {COPIES}.{table} (LIKE public.{table} INCLUDING ALL)")
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
        [list(tables)],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(f"SET LOCAL search_path = {COPIES}, public")
    for table, name, definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {COPIES}.{table} ADD CONSTRAINT {name} {definition}")
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class QueryCounter:
    """Counts the queries it wraps, from every thread of a job (`_in_workers`)."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, execute, sql, params, many, context):
        with self._lock:
            self.count += 1
        return execute(sql, params, many, context)


def _rss_mb() -> float:
    """Peak resident memory of this process image (VmHWM).

    Not ru_maxrss: Linux carries that over from the parent through fork and
    exec, so a child of a big process would report its parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status: the memory figure needs Linux")


def _run_in_this_process(name: str) -> dict:
    today = timezone.localdate()
    try:
        run, count_rows = JOBS[name](today)
    except ImportError as error:
        return {"job": name, "available": False, "why": f"not available: {error}"}
    before = _rss_mb()
    runs = []
    for label in ("first", "rerun"):
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            run()
        runs.append(
            {
                "run": label,
                "seconds": round(time.perf_counter() - started, 2),
                "queries": counter.count,
            }
        )
    return {
        "job": name,
        "available": True,
        "runs": runs,
        "rows": count_rows(),
        "tasks_at_once": TASKS_AT_ONCE[name],
        "rss_before_mb": round(before, 1),
        "rss_growth_mb": round(_rss_mb() - before, 1),
    }


if __name__ == "__main__":
    print(json.dumps(_run_in_this_process(sys.argv[1]), default=str))
