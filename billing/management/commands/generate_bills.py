"""`manage.py generate_bills [--month YYYY-MM] [--region CODE]`: draft a month's bills now."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q, Sum
from django.utils import timezone

from billing.rules import money
from billing.services import generate_bills
from tcm.dates import parse_month, previous_month
from tcm.models import RegionalProgram


class Command(BaseCommand):
    help = "Generate (or regenerate) the draft bill run of a month, for one program or all."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month to bill, YYYY-MM; last month if omitted.")
        parser.add_argument("--region", help="A regional program code; all programs if omitted.")

    def handle(self, *args, month, region, **options):
        try:
            month = parse_month(month) if month else previous_month(timezone.localdate())
        except ValueError as error:
            raise CommandError(f"--month: {error}") from None
        programs = RegionalProgram.objects.order_by("code")
        if region:
            programs = programs.filter(code=region)
            if not programs:
                raise CommandError(f"--region: no regional program with code {region!r}")
        for program in programs:
            try:
                run = generate_bills(month=month, regional_program=program)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            self.stdout.write(self._summary(run))

    def _summary(self, run) -> str:
        totals = run.bills.aggregate(
            bills=Count("pk", filter=Q(withdrawn=False)), due=Sum("amount_due")
        )
        return (
            f"{run}: {run.get_kind_display().lower()} run {run.get_status_display().lower()}, "
            f"{totals['bills']} bills, ${money(totals['due'] or 0)} due, "
            f"{run.excluded_entries.count()} time entries excluded."
        )
