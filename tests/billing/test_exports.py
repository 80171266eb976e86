"""The run CSV and the family statement PDF."""

import csv
import io
from datetime import date

import pytest

from billing.exports import run_csv, safe_cell
from billing.services import generate_bills
from billing.statements import statement_pdf
from tests.billing.conftest import MARCH
from tests.factories import CoverageFactory, MeansTestFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(person, rate):
    person.first_name = "=HYPERLINK(evil)"
    person.save()
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    MeansTestFactory(person=person)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 20), minutes=45)
    return generate_bills(month=MARCH, regional_program=person.regional_program)


def test_csv_has_one_row_per_bill_with_amounts(run):
    rows = list(csv.DictReader(io.StringIO(run_csv(run))))
    assert [(row["payer_type"], row["units"], row["amount_due"]) for row in rows] == [
        ("medicaid", "2", "40.00"),
        ("self_pay", "3", "60.00"),
    ]
    assert rows[0]["month"] == "2024-03"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_csv_cells_that_look_like_formulas_are_neutralised(value):
    assert safe_cell(value) == f"'{value}"


def test_csv_neutralises_names_from_the_record(run):
    assert "'=HYPERLINK(evil)" in run_csv(run)


def test_statement_is_a_pdf_titled_for_the_month(run):
    pdf = statement_pdf(run.bills.get(payer_type="self_pay"))
    assert pdf.startswith(b"%PDF-")
    assert b"Statement March 2024" in pdf
