"""Two generations of the same month started at once make one set of bills (rule 6).

Needs PostgreSQL: SQLite serializes whole-database writes, so there is no race to test.
"""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from billing.models import Bill, BillingRun, BillLine
from billing.services import generate_bills
from tests.billing.conftest import MARCH
from tests.factories import CoverageFactory, MeansTestFactory, TimeEntryFactory


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent generation needs PostgreSQL row locks")


def test_concurrent_generations_make_one_set_of_bills(
    postgres_only, transactional_db, person, rate
):
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    MeansTestFactory(person=person)
    for day in (4, 12, 18, 27):
        TimeEntryFactory(person=person, service_date=date(2024, 3, day), minutes=30)
    start = threading.Barrier(3)
    runs, errors = [], []

    def generate():
        try:
            start.wait()
            runs.append(generate_bills(month=MARCH, regional_program=person.regional_program))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=generate) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert {run.pk for run in runs} == {BillingRun.objects.get().pk}
    assert sorted(Bill.objects.values_list("payer_type", flat=True)) == ["medicaid", "self_pay"]
    assert BillLine.objects.count() == 4
