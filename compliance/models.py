"""Compliance findings (SPEC.md section 4), the evaluation runs that produce them, and the
rates each run counts for the dashboard.

A finding is one person, one rule, one period. The engine (compliance.services)
opens a finding when a whole period has ended without its requirement being
met and resolves it when the requirement is met later (a late entry). The
period of a rule without a calendar period is the cycle it judges: for the
annual rules, from the last qualifying record (or the episode opening) to its
anniversary, so a new plan or reassessment starts a new cycle and a new key.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from compliance.querysets import ComplianceRateQuerySet, FindingQuerySet
from people.models import Person
from tcm.integrity import Undeletable


class Rule(models.TextChoices):
    """The rule ids of SPEC.md section 4, in the words case managers use."""

    MONTHLY_CONTACT = "monthly_contact", "Monthly contact"
    QUARTERLY_FACE_TO_FACE = "quarterly_face_to_face", "Quarterly face-to-face visit"
    ANNUAL_PLAN_REVIEW = "annual_plan_review", "Annual plan review"
    ANNUAL_REASSESSMENT = "annual_reassessment", "Annual reassessment"
    INITIAL_PLAN = "initial_plan", "Initial plan"
    DE_REFERRAL_PENDING = "de_referral_pending", "D&E referral outcome"


class Finding(Undeletable):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    # No index of its own: the unique key and `compliance_finding_person` start with it,
    # and each index costs the engine a write per finding (bench/EXPLAIN.md).
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="findings", db_index=False
    )
    rule = models.CharField(max_length=30, choices=Rule)
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    evidence = models.JSONField(default=dict, blank=True, help_text="What the engine looked at.")
    citation = models.CharField(max_length=250)
    detected_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    met_by_record_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Id of the record that met the requirement (see the rule)."
    )
    # Which run last touched the finding: provenance, read with the run, never looked up
    # from it. No index and no database constraint: a first run at 100,000 persons spent
    # a deferred check per finding at COMMIT (156,367 of them) confirming a run it had
    # itself created in the same transaction, and an index entry per finding. Runs are
    # never deleted (EvaluationRun is Undeletable), which is what the constraint guarded.
    evaluation = models.ForeignKey(
        "EvaluationRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changed_findings",
        db_index=False,
        db_constraint=False,
        help_text="The evaluation that last opened, reopened, refreshed or resolved it.",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # indexed where set: compliance_finding_ack_by
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)

    # The history is read by finding (`id`) and date; the engine writes a history row
    # per finding it opens, so references nothing looks up by go unindexed.
    history = HistoricalRecords(no_db_index=["person", "evaluation", "acknowledged_by"])
    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "rule", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "period_start", "period_end"],
                name="compliance_finding_one_per_person_rule_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="compliance_finding_period_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(resolved_at__isnull=True))
                | (Q(status="resolved") & Q(resolved_at__isnull=False)),
                name="compliance_finding_resolved_iff_resolved_at",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="compliance_finding_acknowledged_by_someone",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "rule"], name="compliance_finding_status_rule"),
            models.Index(fields=["person", "status"], name="compliance_finding_person"),
            models.Index(
                fields=["acknowledged_by"],
                condition=Q(acknowledged_by__isnull=False),
                name="compliance_finding_ack_by",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_rule_display()} for {self.person}, {self.period_start} to {self.period_end}"
        )

    @property
    def explanation(self) -> str:
        """Plain-language reason naming the rule and its source, said from the evidence.

        Derived, not stored: the engine writes findings in bulk SQL, and the
        words follow the rule's wording as it is now.
        """
        from compliance.rules import RULES  # the rules are built on these models

        return RULES[self.rule].explain(self)

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class EvaluationRun(Undeletable):
    """One sweep of the engine: when, for which as-of date, and what it changed.

    Never deleted: findings name the run that last changed them (without a database
    constraint, see Finding.evaluation)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    as_of = models.DateField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    opened_count = models.PositiveIntegerField(default=0)
    reopened_count = models.PositiveIntegerField(default=0)
    resolved_count = models.PositiveIntegerField(default=0)
    open_total = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Compliance evaluation as of {self.as_of} ({self.get_status_display()})"


class ComplianceRate(models.Model):
    """How many persons in scope met a rule in a period, per program and case manager.

    Written by compliance.rates at the end of each evaluation run and read by the
    supervisor dashboard, so a page view never recounts a year of contacts. Derived
    data, rebuilt by every run (no history): a run's rates replace the previous run's.
    The fields `regional_program` and `case_manager` carry the persons' own names,
    so `visible_to(user)` scopes rates exactly as it scopes persons.
    """

    # No database constraints: a run's 18,000 rates at 100,000 persons were three deferred
    # checks each at COMMIT, confirming the run the same transaction had just created and
    # the program and case manager it had just copied from persons whose own constraints
    # name them. Runs are never deleted (EvaluationRun is Undeletable); the ORM still
    # refuses to delete a program or user that rates name (PROTECT). No index of its own
    # on the run: `compliance_rate_run_program` starts with it.
    run = models.ForeignKey(
        EvaluationRun,
        on_delete=models.CASCADE,
        related_name="rates",
        db_index=False,
        db_constraint=False,
    )
    regional_program = models.ForeignKey(
        "tcm.RegionalProgram", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    rule = models.CharField(max_length=30, choices=Rule)
    period_start = models.DateField()
    period_end = models.DateField()
    persons_in_scope = models.PositiveIntegerField()
    persons_met = models.PositiveIntegerField()

    objects = ComplianceRateQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["run", "regional_program"], name="compliance_rate_run_program")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(persons_met__lte=F("persons_in_scope")),
                name="compliance_compliancerate_met_within_scope",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_rule_display()} from {self.period_start}: "
            f"{self.persons_met} of {self.persons_in_scope}"
        )
