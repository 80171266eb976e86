"""Reads behind the billing pages: a bounded number of queries whatever the run's size."""

from django.db.models import Count, Q, Sum

from billing.models import Bill, BillingRun


def runs_for(user):
    """Runs the user may see with their live bill count and total due (one query)."""
    return (
        BillingRun.objects.visible_to(user)
        .select_related("regional_program", "finalized_by")
        .annotate(
            bill_count=Count("bills", filter=Q(bills__withdrawn=False)),
            total_due=Sum("bills__amount_due"),
        )
    )


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
