"""Reads behind the billing pages: a bounded number of queries whatever the run's size."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from billing.models import Bill, BillingRun


def runs_for(user):
    """Runs the user may see, with the totals stored at generation (one query)."""
    return BillingRun.objects.visible_to(user).select_related("regional_program", "finalized_by")


def totals_of(run: BillingRun) -> tuple[int, Decimal]:
    """Bills due (withdrawn ones are not) and their total amount due, in one query."""
    totals = run.bills.filter(withdrawn=False).aggregate(
        count=Count("pk"), due=Coalesce(Sum("amount_due"), Decimal("0.00"))
    )
    return totals["count"], totals["due"]


def totals_by_payer(run: BillingRun) -> list[dict]:
    return list(
        run.bills.filter(withdrawn=False)
        .values("payer_type")
        .annotate(
            count=Count("pk"),
            units=Sum("units"),
            charge=Sum("charge"),
            amount_due=Sum("amount_due"),
        )
        .order_by("payer_type")
    )


def run_bills(run: BillingRun):
    return run.bills.select_related("person", "coverage").order_by(
        "withdrawn", "person__last_name", "person__first_name", "payer_type"
    )


def run_excluded(run: BillingRun):
    return run.excluded_entries.select_related("time_entry__person", "time_entry__author")


def bills_with_lines(user):
    return (
        Bill.objects.visible_to(user)
        .select_related("run__regional_program", "person", "coverage", "means_test")
        .prefetch_related("lines__time_entries__author")
    )
