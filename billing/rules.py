"""The billing rules of SPEC.md section 5 as pure functions: no I/O, table-tested.

The engine (billing/engine.py) gathers the facts in a bounded number of SQL
queries and applies these rules to each aggregated row.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

UNIT_MINUTES = 15
EIGHT_MINUTE = "eight_minute"
FLOOR = "floor"
CLAIM_DESCRIPTION = "Targeted Case Management"
CENT = Decimal("0.01")


def units_for(minutes: int, rule: str) -> int:
    """T1017 units for one day's minutes (SPEC.md section 5, rule 2).

    eight_minute: whole 15-minute units, plus one when the remainder is 8 or
    more (7 minutes -> 0, 8 -> 1, 22 -> 1, 23 -> 2). floor: whole units only.
    """
    whole, remainder = divmod(minutes, UNIT_MINUTES)
    if rule == EIGHT_MINUTE and remainder >= 8:
        return whole + 1
    return whole


def new_units(*, minutes: int, previously_billed_minutes: int, rule: str) -> int:
    """Units a supplemental run adds for a day whose earlier minutes were already billed.

    The day's units are computed on all its minutes, so 10 minutes billed and
    10 late minutes make one unit in total, not two.
    """
    before = units_for(previously_billed_minutes, rule)
    return max(units_for(previously_billed_minutes + minutes, rule) - before, 0)


def explain_units(*, minutes: int, previously_billed_minutes: int, rule: str) -> str:
    """The unit math of one day in words, as the bill detail and statements show it."""
    total = minutes + previously_billed_minutes
    whole, remainder = divmod(total, UNIT_MINUTES)
    units = units_for(total, rule)
    if rule == EIGHT_MINUTE:
        why = "a remainder of 8 minutes or more counts" if remainder >= 8 else "under 8 dropped"
    else:
        why = "whole units only"
    text = f"{total} min = {whole} x 15 + {remainder}: {units} units ({why})"
    if previously_billed_minutes:
        before = units_for(previously_billed_minutes, rule)
        text += (
            f"; {before} already billed for {previously_billed_minutes} min, "
            f"so {units - before} new"
        )
    return text


def payer_for(*, private_insurance: bool, medicaid: bool) -> str:
    """Private insurance pays first, then Medicaid, else the family (rule 4)."""
    if private_insurance:
        return "private_insurance"
    if medicaid:
        return "medicaid"
    return "self_pay"


def money(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SelfPay:
    amount_due: Decimal
    explanation: str


def self_pay_due(
    *,
    charge: Decimal,
    month_start: date,
    ability_to_pay: Decimal | None,
    natural_home: bool,
    already_due: Decimal = Decimal(0),
) -> SelfPay:
    """Standard Means Test cap on what the family owes for the month (rule 5).

    The monthly ability to pay comes from the means test in force on the
    first day of the month; a person living in the natural home pays at most
    one fourth of it. `already_due` is what finalized runs of the same month
    already asked for, so a supplemental run never exceeds the monthly cap.
    """
    if ability_to_pay is None:
        return SelfPay(
            Decimal("0.00"),
            "Nothing is due because no Standard Means Test is in force on "
            f"{month_start:%B} 1, {month_start.year}.",
        )
    if ability_to_pay == 0:
        return SelfPay(
            Decimal("0.00"),
            "Nothing is due because the Standard Means Test sets the monthly ability to pay at $0.",
        )
    cap = money(ability_to_pay / 4) if natural_home else money(ability_to_pay)
    why_cap = (
        f"one fourth of the monthly ability to pay of ${ability_to_pay} because the person "
        "lives in the natural home"
        if natural_home
        else "the monthly ability to pay"
    )
    remaining = max(cap - already_due, Decimal(0))
    amount_due = min(money(charge), remaining)
    explanation = f"Charge ${money(charge)}; the family pays at most ${cap}, {why_cap}."
    if already_due:
        explanation += f" Earlier runs of this month already asked for ${money(already_due)}."
    if amount_due == 0:
        explanation += " Nothing more is due because the monthly cap is reached."
    return SelfPay(amount_due, explanation + f" Amount due ${amount_due}.")
