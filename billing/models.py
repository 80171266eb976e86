"""Payer coverage, Standard Means Tests, T1017 rates, and the monthly bill runs
built from them (SPEC.md section 5).

A bill run is a draft until a reimbursement officer finalizes it; its bills are
never deleted: regenerating a draft updates bills in place and withdraws the
ones no longer due (see billing/services.py). Bill lines and excluded entries
are the derived working of a run: a draft replaces them wholesale, a
finalized run keeps them for ever.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from billing import rules
from contacts.models import TimeEntry
from contacts.rules import VOIDED, gate_reasons
from people.models import Person
from people.querysets import NOTHING, ScopedQuerySet, person_scope
from tcm.integrity import Undeletable
from tcm.models import RegionalProgram
from tcm.querysets import in_force_q
from tcm.roles import Role

T1017 = "T1017"


class EffectiveDatedQuerySet(ScopedQuerySet):
    def in_force_on(self, day):
        return self.filter(in_force_q(day, start="effective_from", end="effective_to"))


def period_is_ordered(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
        name=f"{prefix}_to_after_from",
    )


class Coverage(models.Model):
    """A person's Medicaid or private insurance coverage for a period."""

    class PayerType(models.TextChoices):
        MEDICAID = "medicaid", "Medicaid"
        PRIVATE_INSURANCE = "private_insurance", "Private insurance"

    # Indexed by billing_coverage_in_force, which starts with the person.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="coverages", db_index=False
    )
    payer_type = models.CharField(max_length=20, choices=PayerType)
    payer_name = models.CharField(max_length=120)
    payer_id = models.CharField("payer ID", max_length=20, blank=True)
    member_id = models.CharField("member ID", max_length=30)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = EffectiveDatedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "effective_from"]
        constraints = [period_is_ordered("billing_coverage")]
        indexes = [
            # The coverage of a payer type in force on a day, latest first
            # (billing.staging): read backwards, the first row whose period has not
            # ended is the answer, with no sort per person and day.
            models.Index(
                fields=["person", "payer_type", "effective_from", "id"],
                name="billing_coverage_in_force",
            )
        ]

    def __str__(self):
        return f"{self.get_payer_type_display()} {self.payer_name} for {self.person}"


class MeansTest(models.Model):
    """Missouri Standard Means Test result: what the family can pay each month."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="means_tests")
    effective_from = models.DateField()
    family_size = models.PositiveSmallIntegerField()
    adjusted_gross_monthly_income = models.DecimalField(max_digits=10, decimal_places=2)
    monthly_ability_to_pay = models.DecimalField(max_digits=10, decimal_places=2)
    child_waiver = models.BooleanField(default=False)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "effective_from"], name="billing_meanstest_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(monthly_ability_to_pay__gte=0),
                name="billing_meanstest_ability_not_negative",
            ),
        ]

    def __str__(self):
        return f"Means test for {self.person} from {self.effective_from}"


class RateQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(in_force_q(day, start="effective_from", end="effective_to"))


class Rate(models.Model):
    """The amount per unit for a procedure code, effective-dated."""

    procedure_code = models.CharField(max_length=5, default=T1017)
    amount_per_unit = models.DecimalField(max_digits=8, decimal_places=2)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = RateQuerySet.as_manager()

    class Meta:
        ordering = ["procedure_code", "-effective_from"]
        constraints = [
            period_is_ordered("billing_rate"),
            models.CheckConstraint(
                condition=Q(amount_per_unit__gt=0), name="billing_rate_positive"
            ),
        ]

    def __str__(self):
        return f"{self.procedure_code} ${self.amount_per_unit} from {self.effective_from}"


class BillingRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Runs of the user's own program; every program for reviewers."""
        return self.filter(billing_scope(user, via=""))

    def open_for(self, *, month, regional_program_id):
        return self.filter(month=month, regional_program_id=regional_program_id).exclude(
            status=BillingRun.Status.FINALIZED
        )


def billing_scope(user, *, via: str) -> Q:
    """Billing is for reimbursement officers, supervisors and reviewers, never case managers."""
    if user is None or not user.is_authenticated or user.role == Role.CASE_MANAGER:
        return NOTHING
    return person_scope(user, via=via)


class BillingRun(Undeletable):
    """One month of bills for one regional program (SPEC.md section 5, rule 6).

    At most one regular run per program and month, and at most one run still
    open (draft or generating): late entries after finalization go to a
    supplemental run of the same month, never into a second copy of a bill.
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular"
        SUPPLEMENTAL = "supplemental", "Supplemental"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        GENERATING = "generating", "Generating"
        FINALIZED = "finalized", "Finalized"

    regional_program = models.ForeignKey(
        RegionalProgram, on_delete=models.PROTECT, related_name="billing_runs"
    )
    month = models.DateField(help_text="First day of the month billed.")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.REGULAR)
    status = models.CharField(max_length=10, choices=Status, default=Status.GENERATING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent generated.")
    generated_at = models.DateTimeField(null=True, blank=True)
    # Totals kept on the run at generation, so the run list reads one row per run
    # instead of summing every bill of every month ever billed.
    bill_count = models.PositiveIntegerField(default=0, help_text="Bills due, not withdrawn.")
    total_due = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="Sum of the bills' amounts due."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = BillingRunQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "regional_program", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["regional_program", "month"],
                condition=Q(kind="regular"),
                name="billing_billingrun_one_regular",
            ),
            models.UniqueConstraint(
                fields=["regional_program", "month"],
                condition=~Q(status="finalized"),
                name="billing_billingrun_one_open",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="billing_billingrun_first_day"),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="billing_billingrun_progress_percent"
            ),
        ]

    def __str__(self):
        kind = "" if self.kind == self.Kind.REGULAR else " (supplemental)"
        return f"{self.regional_program.code} {self.month:%B %Y}{kind}"

    @property
    def is_finalized(self) -> bool:
        return self.status == self.Status.FINALIZED


class BillQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(billing_scope(user, via="person__"))


class Bill(Undeletable):
    """What one payer owes for one person's month (SPEC.md section 5, rules 4 and 5)."""

    class PayerType(models.TextChoices):
        PRIVATE_INSURANCE = "private_insurance", "Private insurance"
        MEDICAID = "medicaid", "Medicaid"
        SELF_PAY = "self_pay", "Self-pay"

    # No index of its own: billing_bill_one_per_payer starts with the run.
    run = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, related_name="bills", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bills")
    month = models.DateField()
    payer_type = models.CharField(max_length=20, choices=PayerType)
    coverage = models.ForeignKey(
        Coverage, on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    means_test = models.ForeignKey(
        MeansTest, on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    minutes = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    charge = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    amount_due = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    # The facts the explanation is made of (self-pay bills), as the run decided them.
    monthly_ability_to_pay = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="From the means test in force on the first day of the month; "
        "empty when none was.",
    )
    natural_home = models.BooleanField(
        default=False, help_text="Lived in the natural home during the month: the cap is a fourth."
    )
    cap = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The most the family pays for the month under the Standard Means Test.",
    )
    already_due = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text="What finalized runs of the same month already asked the family for.",
    )
    withdrawn = models.BooleanField(
        default=False, help_text="No longer due after the draft was regenerated; kept, not deleted."
    )
    generated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a generation last changed this bill; its history rows are copied "
        "from the bills it marks.",
    )

    # The history is read by bill (`id`) and date; a bill run writes a history row per
    # bill it opens or changes (90,000 a month at state scale), so the references
    # nothing looks history up by go unindexed: each index was a write per row.
    history = HistoricalRecords(no_db_index=["run", "person", "coverage", "means_test"])
    objects = BillQuerySet.as_manager()

    class Meta:
        ordering = ["run", "person", "payer_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "person", "payer_type"], name="billing_bill_one_per_payer"
            ),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0) & Q(amount_due__lte=F("charge")),
                name="billing_bill_due_within_charge",
            ),
        ]

    def __str__(self):
        return f"{self.get_payer_type_display()} bill for {self.person}, {self.month:%B %Y}"

    @property
    def explanation(self) -> str:
        """The bill in one paragraph, rendered from its stored facts (SPEC.md section 5)."""
        if self.withdrawn:
            return rules.WITHDRAWN
        if self.payer_type != self.PayerType.SELF_PAY:
            return rules.explain_claim(
                units=self.units, payer_type=self.payer_type, charge=self.charge
            )
        return rules.explain_self_pay(
            charge=self.charge,
            month_start=self.month,
            ability_to_pay=self.monthly_ability_to_pay,
            natural_home=self.natural_home,
            cap=self.cap,
            already_due=self.already_due,
            amount_due=self.amount_due,
        )


class BillLine(models.Model):
    """One service date of a bill: the minutes summed over that day's entries, and their units.

    Derived from time entries; a draft run replaces its lines when regenerated.
    """

    class Rule(models.TextChoices):
        EIGHT_MINUTE = "eight_minute", "15-minute units, a remainder of 8 minutes or more is a unit"
        FLOOR = "floor", "Whole 15-minute units only"

    # No index of its own: billing_billline_one_per_day starts with the bill.
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines", db_index=False)
    service_date = models.DateField()
    minutes = models.PositiveIntegerField()
    previously_billed_minutes = models.PositiveIntegerField(
        default=0, help_text="Minutes of this day already billed by a finalized run."
    )
    units = models.PositiveIntegerField()
    rule = models.CharField(max_length=12, choices=Rule)
    rate = models.DecimalField(max_digits=8, decimal_places=2)
    charge = models.DecimalField(max_digits=10, decimal_places=2)
    time_entries = models.ManyToManyField(
        TimeEntry, related_name="bill_lines", through="BillLineEntry"
    )

    class Meta:
        ordering = ["bill", "service_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "service_date"], name="billing_billline_one_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.service_date}: {self.minutes} min, {self.units} units"

    @property
    def unit_math(self) -> str:
        return rules.explain_units(
            minutes=self.minutes,
            previously_billed_minutes=self.previously_billed_minutes,
            rule=self.rule,
        )


class BillLineEntry(models.Model):
    """A time entry billed on a line: the table Django would make for the many-to-many.

    Declared only to drop the index a generated one has on the line, which the
    unique (line, entry) key already serves: a first run writes one of these per
    billable entry, and each index is a write per row (bench/EXPLAIN.md). The
    foreign keys stay: they stop a billed entry or line being deleted in SQL.
    """

    billline = models.ForeignKey(BillLine, on_delete=models.CASCADE, db_index=False)
    timeentry = models.ForeignKey(TimeEntry, on_delete=models.CASCADE)

    class Meta:
        db_table = "billing_billline_time_entries"
        unique_together = [("billline", "timeentry")]

    def __str__(self):
        return f"Entry {self.timeentry_id} on line {self.billline_id}"


class ExcludedEntry(models.Model):
    """A time entry of the month that a run did not bill, and why (SPEC.md section 5, rule 1)."""

    # No index of its own: billing_excludedentry_once_per_run starts with the run.
    run = models.ForeignKey(
        BillingRun, on_delete=models.CASCADE, related_name="excluded_entries", db_index=False
    )
    time_entry = models.ForeignKey(TimeEntry, on_delete=models.PROTECT, related_name="+")
    # The facts of the entry's day as the run saw them; the reasons are rendered from them.
    voided = models.BooleanField(default=False)
    author_qualified = models.BooleanField(default=True)
    program_certified = models.BooleanField(default=True)
    case_open = models.BooleanField(default=True)
    rate_in_force = models.BooleanField(default=True)

    class Meta:
        ordering = ["run", "time_entry__service_date", "time_entry"]
        verbose_name_plural = "excluded entries"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "time_entry"], name="billing_excludedentry_once_per_run"
            ),
        ]

    def __str__(self):
        return f"Excluded {self.time_entry}"

    @property
    def reason_list(self) -> list[str]:
        reasons = [VOIDED] if self.voided else []
        reasons += gate_reasons(
            author_qualified=self.author_qualified,
            program_certified=self.program_certified,
            case_open=self.case_open,
        )
        return reasons + ([] if self.rate_in_force else [rules.NO_RATE])


# The month a run bills, staged by billing/engine.py in temporary tables. Not tables of
# the schema (managed = False): declared so the querysets of the billing gate, the
# coverage and the rate, one definition shared with the pages, can be correlated on
# staged rows, and so asked once per person and day instead of once per time entry.


class StagedRow(models.Model):
    """What every staged row has: the person and the service date the facts are asked of."""

    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    service_date = models.DateField()

    class Meta:
        abstract = True
        managed = False

    def __str__(self):
        return f"Staged {self.service_date} of person {self.person_id}"


class StagedPersonDay(StagedRow):
    """A person's service date with staged entries (the primary key is one of its entries)."""

    class Meta(StagedRow.Meta):
        db_table = "billing_person_day"


class StagedEntry(StagedRow):
    """A time entry of the month no finalized run has billed (the primary key is the entry's)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta(StagedRow.Meta):
        db_table = "billing_month_entry"
