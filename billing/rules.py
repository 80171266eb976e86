"""The billing rules of SPEC.md section 5 that are words and constants: no I/O, table-tested.

The arithmetic runs in the database (billing/engine.py), on every bill of a
run at once, from the constants defined here. What stays in Python is what a
person reads: the unit math of a day and the explanation of a bill, rendered
on display from the facts the engine stored on the rows.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

UNIT_MINUTES = 15
EIGHT_MINUTE = "eight_minute"
FLOOR = "floor"
# Minutes added before dividing into whole units: under the eight-minute rule a
# remainder of 8 or more makes a unit, which is the same as adding 7 first.
ROUNDING_ALLOWANCE = {EIGHT_MINUTE: 7, FLOOR: 0}
CLAIM_DESCRIPTION = "Targeted Case Management"
CLAIM_PAYERS = {"private_insurance": "private insurance", "medicaid": "Medicaid"}
CENT = Decimal("0.01")
NO_RATE = "No T1017 rate in force on the service date"
WITHDRAWN = (
    "Withdrawn when the draft was regenerated: "
    "no billable time for this payer remains in the month."
)


def units_for(minutes: int, rule: str) -> int:
    """T1017 units for one day's minutes (SPEC.md section 5, rule 2).

    eight_minute: whole 15-minute units, plus one when the remainder is 8 or
    more (7 minutes -> 0, 8 -> 1, 22 -> 1, 23 -> 2). floor: whole units only.
    """
    return (minutes + ROUNDING_ALLOWANCE[rule]) // UNIT_MINUTES


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


def money(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def explain_claim(*, units: int, payer_type: str, charge: Decimal) -> str:
    """Why an insurance or Medicaid bill asks for its whole charge (rule 4)."""
    return (
        f"{units} units of {CLAIM_DESCRIPTION} claimed in full from {CLAIM_PAYERS[payer_type]}, "
        f"the first payer active on these service dates. Amount due ${money(charge)}."
    )


def explain_self_pay(
    *,
    charge: Decimal,
    month_start: date,
    ability_to_pay: Decimal | None,
    natural_home: bool,
    cap: Decimal | None,
    already_due: Decimal,
    amount_due: Decimal,
) -> str:
    """Why the family owes `amount_due` under the Standard Means Test cap (rule 5).

    The facts are those the engine decided on: the monthly ability to pay from
    the means test in force on the first day of the month, whether the person
    lived in the natural home (the cap is then a fourth of it), and what
    finalized runs of the same month already asked for.
    """
    if ability_to_pay is None:
        return (
            "Nothing is due because no Standard Means Test is in force on "
            f"{month_start:%B} 1, {month_start.year}."
        )
    if ability_to_pay == 0:
        return (
            "Nothing is due because the Standard Means Test sets the monthly ability to pay at $0."
        )
    why_cap = (
        f"one fourth of the monthly ability to pay of ${money(ability_to_pay)} because the person "
        "lives in the natural home"
        if natural_home
        else "the monthly ability to pay"
    )
    explanation = f"Charge ${money(charge)}; the family pays at most ${money(cap)}, {why_cap}."
    if already_due:
        explanation += f" Earlier runs of this month already asked for ${money(already_due)}."
    if amount_due == 0:
        explanation += " Nothing more is due because the monthly cap is reached."
    return explanation + f" Amount due ${money(amount_due)}."
