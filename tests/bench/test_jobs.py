"""The SQL floors ask the jobs' question: on generated data they count what the jobs produce,
and a first run's floor writes what a first run writes, leaving nothing behind."""

import threading
from datetime import date

import pytest
from django.db import IntegrityError, connection
from django.db.models import Sum

from bench import jobs
from bench.generate import generate
from bench.report import FIRST_RUN_FLOOR
from billing.models import Bill, BillLine, BillLineEntry
from billing.services import generate_bills
from compliance.models import Finding
from tcm.dates import previous_month
from tcm.models import RegionalProgram

TODAY = date(2026, 11, 15)
FLOOR_RULES = ["monthly_contact", "quarterly_face_to_face", "annual_plan_review"]


def _generate():
    if connection.vendor != "postgresql":
        pytest.skip("the bench generator streams with PostgreSQL COPY")
    generate(60, today=TODAY)


@pytest.fixture
def generated(db):
    _generate()


@pytest.fixture
def generated_and_committed(transactional_db):
    """Generated data the bills job's worker threads see: each has its own connection."""
    _generate()


def test_floors_file_has_a_reading_and_a_first_run_statement_per_job():
    floors = jobs.floors()
    first_runs = {FIRST_RUN_FLOOR.format(job=job) for job in jobs.JOBS}
    assert set(floors) == set(jobs.JOBS) | first_runs
    assert all(floors[name].writes for name in first_runs)
    assert not any(floors[name].writes for name in jobs.JOBS)


def test_compliance_floor_counts_the_findings_of_its_rules(generated):
    run, _count = jobs.JOBS["evaluate_compliance"](TODAY)
    run()
    floor = jobs.time_floor("evaluate_compliance", jobs.floors()["evaluate_compliance"], TODAY)
    findings = Finding.objects.filter(rule__in=[*FLOOR_RULES, "annual_reassessment"])
    assert floor["result"] == findings.count() > 0


def test_billing_floor_counts_the_bills(generated_and_committed):
    run, _count = jobs.JOBS["generate_bills"](TODAY)
    run()
    floor = jobs.time_floor("generate_bills", jobs.floors()["generate_bills"], TODAY)
    assert floor["result"] == Bill.objects.filter(withdrawn=False).count() > 0


def test_bills_run_a_task_per_program_workers_at_once_and_every_query_counts(
    generated_and_committed,
):
    programs = list(RegionalProgram.objects.all())
    run, _count = jobs.JOBS["generate_bills"](TODAY)
    run()
    threads = set()

    def in_thread(execute, sql, params, many, context):
        threads.add(threading.get_ident())
        return execute(sql, params, many, context)

    pooled = jobs.QueryCounter()
    with connection.execute_wrapper(pooled), connection.execute_wrapper(in_thread):
        run()
    one_by_one = jobs.QueryCounter()
    with connection.execute_wrapper(one_by_one):
        for program in programs:
            generate_bills(month=previous_month(TODAY), regional_program=program)
    assert pooled.count == one_by_one.count > 0
    assert len(threads) == min(jobs.WORKERS, len(programs)) > 0
    assert threading.get_ident() not in threads


def _first_run_floor(job):
    """The whole answer of a first run's floor, its writes rolled back."""
    floor = jobs.floors()[FIRST_RUN_FLOOR.format(job=job)]
    with jobs.floor_cursor(floor) as cursor:
        cursor.execute(floor.sql, jobs.floor_parameters(TODAY))
        return cursor.fetchone()


def _leaves_no_copies():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [jobs.COPIES])
        return cursor.fetchone() is None


def test_compliance_first_run_floor_writes_the_findings_of_its_rules(generated):
    (written,) = _first_run_floor("evaluate_compliance")
    assert not Finding.objects.exists()
    run, _count = jobs.JOBS["evaluate_compliance"](TODAY)
    run()
    assert written == Finding.objects.filter(rule__in=[*FLOOR_RULES, "annual_reassessment"]).count()
    assert written > 0
    assert _leaves_no_copies()


def test_billing_first_run_floor_writes_the_bills_lines_and_links(generated_and_committed):
    bills, amount_due, lines, links = _first_run_floor("generate_bills")
    assert not Bill.objects.exists()
    run, _count = jobs.JOBS["generate_bills"](TODAY)
    run()
    assert (bills, amount_due, lines, links) == (
        Bill.objects.count(),
        Bill.objects.aggregate(due=Sum("amount_due"))["due"],
        BillLine.objects.count(),
        BillLineEntry.objects.count(),
    )
    assert bills > 0
    assert _leaves_no_copies()


def test_a_writing_floor_is_held_to_the_foreign_keys(generated):
    line = jobs.Floor(
        "INSERT INTO billing_billline_time_entries (billline_id, timeentry_id) VALUES (-1, -1)",
        writes=("billing_billline_time_entries",),
    )
    with pytest.raises(IntegrityError):
        jobs.time_floor("a line that is not there", line, TODAY)


def test_a_floor_keeps_the_fastest_of_three_runs(generated):
    floor = jobs.time_floor("generate_bills", jobs.Floor("SELECT 1"), TODAY)
    assert len(floor["each"]) == 3
    assert floor["seconds"] == min(floor["each"])
    assert floor["result"] == 1
