"""The pure billing rules of SPEC.md section 5, table-driven over their edges."""

from datetime import date
from decimal import Decimal

import pytest

from billing.rules import EIGHT_MINUTE, FLOOR, new_units, payer_for, self_pay_due, units_for


@pytest.mark.parametrize(
    ("minutes", "eight_minute", "floor"),
    [(7, 0, 0), (8, 1, 0), (15, 1, 1), (22, 1, 1), (23, 2, 1), (30, 2, 2), (0, 0, 0)],
)
def test_units_at_the_rounding_edges(minutes, eight_minute, floor):
    assert units_for(minutes, EIGHT_MINUTE) == eight_minute
    assert units_for(minutes, FLOOR) == floor


def test_late_minutes_on_a_billed_day_add_only_the_units_they_complete():
    # 10 minutes billed (1 unit) + 10 late minutes = 20 minutes = 1 unit: nothing more.
    assert new_units(minutes=10, previously_billed_minutes=10, rule=EIGHT_MINUTE) == 0
    assert new_units(minutes=13, previously_billed_minutes=10, rule=EIGHT_MINUTE) == 1
    assert new_units(minutes=10, previously_billed_minutes=0, rule=EIGHT_MINUTE) == 1


@pytest.mark.parametrize(
    ("private", "medicaid", "payer"),
    [
        (True, True, "private_insurance"),
        (True, False, "private_insurance"),
        (False, True, "medicaid"),
        (False, False, "self_pay"),
    ],
)
def test_private_insurance_pays_before_medicaid_before_the_family(private, medicaid, payer):
    assert payer_for(private_insurance=private, medicaid=medicaid) == payer


MARCH = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("charge", "ability", "natural_home", "due"),
    [
        ("200.00", "120.00", False, "120.00"),
        ("80.00", "120.00", False, "80.00"),
        ("200.00", "120.00", True, "30.00"),
        ("20.00", "120.00", True, "20.00"),
        ("200.00", "0.00", False, "0.00"),
        ("200.00", "10.01", True, "2.50"),
    ],
)
def test_self_pay_is_capped_by_the_means_test(charge, ability, natural_home, due):
    result = self_pay_due(
        charge=Decimal(charge),
        month_start=MARCH,
        ability_to_pay=Decimal(ability),
        natural_home=natural_home,
    )
    assert result.amount_due == Decimal(due)
    assert f"Amount due ${due}" in result.explanation or "Nothing is due" in result.explanation


def test_no_means_test_means_nothing_due_and_says_why():
    result = self_pay_due(
        charge=Decimal("80.00"), month_start=MARCH, ability_to_pay=None, natural_home=False
    )
    assert result.amount_due == 0
    assert result.explanation == (
        "Nothing is due because no Standard Means Test is in force on March 1, 2024."
    )


def test_ability_zero_means_nothing_due_and_says_why():
    result = self_pay_due(
        charge=Decimal("80.00"), month_start=MARCH, ability_to_pay=Decimal(0), natural_home=True
    )
    assert result.amount_due == 0
    assert "ability to pay at $0" in result.explanation


def test_supplemental_self_pay_never_exceeds_the_monthly_cap():
    result = self_pay_due(
        charge=Decimal("80.00"),
        month_start=MARCH,
        ability_to_pay=Decimal("100.00"),
        natural_home=False,
        already_due=Decimal("60.00"),
    )
    assert result.amount_due == Decimal("40.00")
    assert "already asked for $60.00" in result.explanation
