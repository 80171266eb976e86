"""The coverage in force on a day is read from one index in the order asked for.

Bill generation asks it of every person and day billed, twice (private
insurance, then Medicaid: billing.staging): 36,000 probes a program at 100,000
persons. Read by the person's index alone, each probe sorted the person's
coverages; read backwards from billing_coverage_in_force, the first row whose
period has not ended is the answer (bench/EXPLAIN.md, session 8).
"""

from datetime import date

import pytest
from django.db import connection

from billing.models import Coverage
from tests.factories import CoverageFactory
from tests.indexes import plain_indexes

pytestmark = pytest.mark.django_db


def test_the_coverage_table_has_one_index_leading_with_the_person():
    indexes = list(plain_indexes(Coverage._meta.db_table).values())
    assert indexes == [["person_id", "payer_type", "effective_from", "id"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")
def test_the_coverage_in_force_is_read_backwards_with_no_sort():
    coverage = CoverageFactory(effective_from=date(2024, 1, 1))
    CoverageFactory(person=coverage.person, effective_from=date(2025, 1, 1))
    in_force = (
        Coverage.objects.filter(person=coverage.person, payer_type=Coverage.PayerType.MEDICAID)
        .in_force_on(date(2025, 6, 1))
        .order_by("-effective_from", "-pk")
        .values("pk")[:1]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table of two rows
        sql, params = in_force.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan Backward using billing_coverage_in_force" in plan, plan
    assert "Sort" not in plan, plan
