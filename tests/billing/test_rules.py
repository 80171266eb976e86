"""The billing rules of SPEC.md section 5 that live in Python, table-driven over their edges.

The arithmetic itself runs in SQL; tests/billing/test_generation.py drives it
through the real service over the same edges.
"""

from datetime import date
from decimal import Decimal

import pytest

from billing.rules import EIGHT_MINUTE, FLOOR, explain_self_pay, explain_units, units_for


@pytest.mark.parametrize(
    ("minutes", "eight_minute", "floor"),
    [(7, 0, 0), (8, 1, 0), (15, 1, 1), (22, 1, 1), (23, 2, 1), (30, 2, 2), (0, 0, 0)],
)
def test_units_at_the_rounding_edges(minutes, eight_minute, floor):
    assert units_for(minutes, EIGHT_MINUTE) == eight_minute
    assert units_for(minutes, FLOOR) == floor


def test_unit_math_of_a_day_with_minutes_billed_before():
    # 10 minutes billed (1 unit) + 10 late minutes = 20 minutes = 1 unit: nothing more.
    assert explain_units(minutes=10, previously_billed_minutes=10, rule=EIGHT_MINUTE) == (
        "20 min = 1 x 15 + 5: 1 units (under 8 dropped); 1 already billed for 10 min, so 0 new"
    )
    assert explain_units(minutes=29, previously_billed_minutes=0, rule=FLOOR) == (
        "29 min = 1 x 15 + 14: 1 units (whole units only)"
    )


MARCH = date(2024, 3, 1)


def explain(**facts):
    values = {
        "charge": Decimal("200.00"),
        "month_start": MARCH,
        "ability_to_pay": Decimal("120.00"),
        "natural_home": False,
        "cap": Decimal("120.00"),
        "already_due": Decimal("0.00"),
        "amount_due": Decimal("120.00"),
    }
    return explain_self_pay(**{**values, **facts})


def test_self_pay_explanation_names_the_charge_the_cap_and_what_is_due():
    assert explain() == (
        "Charge $200.00; the family pays at most $120.00, the monthly ability to pay. "
        "Amount due $120.00."
    )


def test_natural_home_explanation_says_why_the_cap_is_a_fourth():
    text = explain(natural_home=True, cap=Decimal("30.00"), amount_due=Decimal("30.00"))
    assert "at most $30.00, one fourth of the monthly ability to pay of $120.00" in text
    assert "lives in the natural home" in text


def test_no_means_test_means_nothing_due_and_says_why():
    assert explain(ability_to_pay=None, cap=None, amount_due=Decimal(0)) == (
        "Nothing is due because no Standard Means Test is in force on March 1, 2024."
    )


def test_ability_zero_means_nothing_due_and_says_why():
    text = explain(ability_to_pay=Decimal(0), cap=Decimal(0), amount_due=Decimal(0))
    assert "ability to pay at $0" in text


def test_supplemental_explanation_counts_what_the_month_already_asked():
    text = explain(
        charge=Decimal("80.00"),
        cap=Decimal("100.00"),
        already_due=Decimal("60.00"),
        amount_due=Decimal("40.00"),
    )
    assert "already asked for $60.00" in text and text.endswith("Amount due $40.00.")
    reached = explain(cap=Decimal("50.00"), already_due=Decimal("50.00"), amount_due=Decimal(0))
    assert "the monthly cap is reached" in reached
