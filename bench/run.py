"""`make bench`: seed demo data, then time the landing pages of each role.

A first, small benchmark (issue 9 grows it to state scale): it measures the
seed's throughput and, per role, p50/p95 latency and the query count of the
landing page through Django's test client, and writes bench/results.md and
bench/results.json. Runs on whatever DATABASE_URL points at (SQLite if unset).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcm.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from people.models import Person  # noqa: E402
from tcm.models import User  # noqa: E402

PERSONS = int(os.environ.get("BENCH_PERSONS", "500"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))
USERS = ["cm1.hrc", "sup.hrc", "ro.hrc", "reviewer"]


def seed():
    call_command("migrate", verbosity=0)
    before = Person.objects.count()
    started = time.perf_counter()
    call_command("seed_demo", persons=PERSONS, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds = time.perf_counter() - started
    added = Person.objects.count() - before
    return {"persons": PERSONS, "added": added, "seconds": round(seconds, 2)}


def landing(username):
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    client.get("/")  # warm up
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get("/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (username, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    timings.sort()
    return {
        "user": username,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "queries": len(queries),
    }


def main():
    results = {
        "database": connection.vendor,
        "seed": seed(),
        "landing": [landing(u) for u in USERS],
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        "# Benchmark results",
        "",
        f"Database: {results['database']}; seed of {PERSONS} persons "
        f"({results['seed']['added']} added) in {results['seed']['seconds']} s.",
        "",
        "| landing page of | p50 ms | p95 ms | queries |",
        "|---|---|---|---|",
        *(
            f"| {r['user']} | {r['p50_ms']} | {r['p95_ms']} | {r['queries']} |"
            for r in results["landing"]
        ),
        "",
        "Reproduce: `make bench` (DATABASE_URL picks the database; BENCH_PERSONS, BENCH_REQUESTS).",
    ]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
