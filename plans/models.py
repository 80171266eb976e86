"""The Plan of Services and Supports (PSS), certified providers, needs-based
reassessments and referrals to the Diagnostic and Evaluation team."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from people.models import Person
from people.querysets import ScopedQuerySet
from plans.querysets import PlanPartQuerySet, PlanQuerySet, ProviderQuerySet
from tcm.dates import add_years
from tcm.integrity import Undeletable


class Provider(models.Model):
    """A DMH-certified provider of services that a plan can choose."""

    name = models.CharField(max_length=160)
    npi = models.CharField("NPI", max_length=10, blank=True)
    services_offered = models.TextField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    certified_from = models.DateField()
    certified_until = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(certified_until__isnull=True)
                | Q(certified_until__gte=F("certified_from")),
                name="plans_provider_until_after_from",
            ),
        ]

    def __str__(self):
        return self.name

    def is_certified_on(self, day: date) -> bool:
        return self.certified_from <= day and (
            self.certified_until is None or day <= self.certified_until
        )


class Plan(Undeletable):
    """One version of a person's PSS: draft, then active, then superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"

    class RevisionReason(models.TextChoices):
        INITIAL = "initial", "Initial plan"
        ANNUAL = "annual", "Annual revision"
        CHANGE_IN_CIRCUMSTANCES = "change_in_circumstances", "Change in circumstances"
        REQUEST = "request", "Request of the person or representative"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT)
    meeting_date = models.DateField()
    revision_reason = models.CharField(max_length=30, choices=RevisionReason)
    participants = models.TextField(
        blank=True, help_text="The person, family, legal representatives and others invited."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="plans_plan_unique_version"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="active"),
                name="plans_plan_one_active_per_person",
            ),
            # Two drafts would compete for approval; plans.services edits the one draft.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="draft"),
                name="plans_plan_one_draft_per_person",
            ),
        ]

    def __str__(self):
        return f"PSS v{self.version} for {self.person} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def next_revision_due(self) -> date:
        """The PSS is revised at least yearly: due on the meeting's anniversary (SPEC.md 4)."""
        return add_years(self.meeting_date, 1)


class DesiredOutcome(models.Model):
    """An outcome the person wants, in the person's own words."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="outcomes")
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()
    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.description[:60]


class PlanService(models.Model):
    """A service or support in the plan, with the provider the person chose.

    The informed-choice record (PR0039): which certified providers were
    presented, which one was chosen, and when.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="services")
    service = models.CharField(max_length=160)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="plan_services")
    frequency = models.CharField(max_length=80, blank=True)
    start_date = models.DateField()
    providers_presented = models.ManyToManyField(Provider, related_name="+", blank=True)
    choice_recorded_on = models.DateField()

    history = HistoricalRecords(m2m_fields=[providers_presented])
    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "start_date", "pk"]

    def __str__(self):
        return f"{self.service} by {self.provider}"


class NeedsAssessment(Undeletable):
    """The annual needs-based reassessment; "does not meet criteria" opens a referral."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField()
    meets_criteria = models.BooleanField()
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-assessed_on"]

    def __str__(self):
        verdict = "meets criteria" if self.meets_criteria else "does not meet criteria"
        return f"{self.person} assessed {self.assessed_on}: {verdict}"


class Referral(Undeletable):
    """A referral to the regional Diagnostic and Evaluation team for secondary review."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_REVIEW = "in_review", "In review"
        DECIDED = "decided", "Decided"

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    assessment = models.OneToOneField(
        NeedsAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="referral"
    )
    referred_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN)
    outcome = models.CharField(max_length=14, choices=Outcome, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "-referred_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="") & Q(outcome_on__isnull=True))
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="plans_referral_outcome_with_date",
            ),
        ]

    def __str__(self):
        return f"D&E referral for {self.person} on {self.referred_on}"

    @property
    def due_on(self) -> date:
        """When the D&E outcome is due (SPEC.md section 4, `de_referral_pending`)."""
        return self.referred_on + timedelta(days=settings.TCM_REFERRAL_DAYS)
