"""`manage.py evaluate_compliance [--as-of DATE]`: run the compliance engine once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from compliance.services import evaluate_compliance


def _date(value: str):
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(f"--as-of {value!r} is not a date in the form YYYY-MM-DD")
    return day


class Command(BaseCommand):
    help = "Evaluate the compliance rules for every person (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="Evaluate as of this date (YYYY-MM-DD); default today.")

    def handle(self, *args, as_of=None, **options):
        run = evaluate_compliance(as_of=_date(as_of) if as_of else None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Compliance as of {run.as_of}: {run.opened_count} opened, "
                f"{run.reopened_count} reopened, {run.resolved_count} resolved, "
                f"{run.open_total} open in all."
            )
        )
