"""The 837P file passes the independent validator pyx12, with zero errors."""

import io
import json
from datetime import date

import pytest
from pyx12.params import params
from pyx12.x12n_document import x12n_document

from billing.claims import build_837p
from billing.services import generate_bills
from tests.billing.conftest import MARCH
from tests.factories import (
    CaseEpisodeFactory,
    CoverageFactory,
    MeansTestFactory,
    PersonFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db


def validate(text: str) -> list[str]:
    """Every error pyx12 reports, at any level; an empty list means accepted."""
    report = io.StringIO()
    valid = x12n_document(params(), io.StringIO(text), io.StringIO(), None, fd_json=report)
    errors = list(_errors(json.loads(report.getvalue())))
    return errors if errors or valid else ["pyx12 rejected the file"]


def _errors(node):
    if isinstance(node, dict):
        yield from (error["err_str"] for error in node.get("errors", []))
        for value in node.values():
            if isinstance(value, list):
                for item in value:
                    yield from _errors(item)


def test_the_validator_catches_a_broken_file(run):
    broken = build_837p(run).replace("*Y*A*Y*Y~", "*Y*A*Y~", 1)
    assert any("CLM09" in error for error in validate(broken))


@pytest.fixture
def run(person, rate, case_manager):
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    CoverageFactory(
        person=person,
        payer_type="private_insurance",
        payer_name="Acme Health",
        payer_id="ACME",
        member_id="XJ12*34",
        effective_from=date(2024, 3, 16),
    )
    for day, minutes in ((4, 30), (12, 22), (18, 60), (19, 5)):
        TimeEntryFactory(person=person, service_date=date(2024, 3, day), minutes=minutes)
    family = PersonFactory(case_manager=case_manager, last_name="O'Neil")
    CaseEpisodeFactory(person=family)
    MeansTestFactory(person=family)
    TimeEntryFactory(person=family, service_date=date(2024, 3, 4), minutes=30)
    return generate_bills(month=MARCH, regional_program=person.regional_program)


def test_837p_is_accepted_by_pyx12(run):
    text = build_837p(run)
    assert validate(text) == []


def test_837p_has_one_claim_per_payer_bill_and_describes_every_line(run):
    text = build_837p(run)
    assert text.count("CLM*") == 2  # Medicaid and insurance; self-pay is a statement
    assert text.count("SV1*") == 3  # the 5-minute day has no unit and is not claimed
    assert text.count("TARGETED CASE MANAGEMENT") == 3
    assert "*MC~" in text and "*CI~" in text
    assert "XJ12 34" in text  # delimiters never leak from data


def test_a_run_without_claims_has_no_file(region, rate):
    run = generate_bills(month=MARCH, regional_program=region)
    assert build_837p(run) is None
