"""The SQL floors ask the jobs' question: on generated data they count what the jobs produce."""

from datetime import date

import pytest
from django.db import connection

from bench import jobs
from bench.generate import generate
from billing.models import Bill
from compliance.models import Finding

TODAY = date(2026, 11, 15)
FLOOR_RULES = ["monthly_contact", "quarterly_face_to_face", "annual_plan_review"]


@pytest.fixture
def generated(db):
    if connection.vendor != "postgresql":
        pytest.skip("the bench generator streams with PostgreSQL COPY")
    generate(60, today=TODAY)


def test_floors_file_has_one_statement_per_job():
    assert set(jobs.floors()) == set(jobs.JOBS)


def test_compliance_floor_counts_the_findings_of_its_rules(generated):
    run, _count = jobs.JOBS["evaluate_compliance"](TODAY)
    run()
    floor = jobs.time_floor("evaluate_compliance", jobs.floors()["evaluate_compliance"], TODAY)
    findings = Finding.objects.filter(rule__in=[*FLOOR_RULES, "annual_reassessment"])
    assert floor["result"] == findings.count() > 0


def test_billing_floor_counts_the_bills(generated):
    run, _count = jobs.JOBS["generate_bills"](TODAY)
    run()
    floor = jobs.time_floor("generate_bills", jobs.floors()["generate_bills"], TODAY)
    assert floor["result"] == Bill.objects.filter(withdrawn=False).count() > 0


def test_a_floor_keeps_the_fastest_of_three_runs(generated):
    floor = jobs.time_floor("generate_bills", "SELECT 1", TODAY)
    assert len(floor["each"]) == 3
    assert floor["seconds"] == min(floor["each"])
    assert floor["result"] == 1
