"""`manage.py seed_demo [--persons N]`: idempotent demo data for a working site."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tcm.demo.organisation import DEMO_PASSWORD, seed_organisation
from tcm.demo.persons import seed_persons


class Command(BaseCommand):
    help = "Create demo regions, staff and persons with two years of history (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--persons", type=int, default=150, help="How many demo persons (default 150)."
        )

    def handle(self, *args, persons, **options):
        if persons < 0:
            raise CommandError("--persons must be zero or more")
        today = timezone.localdate()
        with transaction.atomic():
            organisation = seed_organisation(today)
            added = seed_persons(organisation, persons, today)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {added} persons added ({persons} requested).")
        )
        self.stdout.write(
            f"Demo logins (password {DEMO_PASSWORD}): cm1.hrc, sup.hrc, ro.hrc, reviewer"
        )
