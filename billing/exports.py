"""The CSV of a bill run: one row per bill, for the finance system and for audit."""

import csv
import io

from billing.models import BillingRun

HEADER = [
    "run",
    "month",
    "kind",
    "status",
    "person",
    "medicaid_id",
    "payer_type",
    "payer_name",
    "member_id",
    "minutes",
    "units",
    "charge",
    "amount_due",
    "withdrawn",
    "explanation",
]
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a leading quote keeps the text as text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def run_csv(run: BillingRun) -> str:
    bills = run.bills.select_related("person", "coverage").order_by(
        "person__last_name", "person__first_name", "payer_type"
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for bill in bills:
        coverage = bill.coverage
        row = [
            run.pk,
            f"{run.month:%Y-%m}",
            run.kind,
            run.status,
            bill.person.full_name,
            bill.person.medicaid_id,
            bill.payer_type,
            coverage.payer_name if coverage else "",
            coverage.member_id if coverage else "",
            bill.minutes,
            bill.units,
            bill.charge,
            bill.amount_due,
            "yes" if bill.withdrawn else "no",
            bill.explanation,
        ]
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
