"""Persons served, their case episodes, representatives and living arrangements,
and the log of who looked at which person's record."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from people.querysets import (
    CaseEpisodeQuerySet,
    LivingArrangementQuerySet,
    PersonQuerySet,
    ScopedQuerySet,
)
from tcm.integrity import Undeletable
from tcm.models import RegionalProgram


class Person(Undeletable):
    """A person receiving Targeted Case Management."""

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField()
    medicaid_id = models.CharField("Medicaid ID", max_length=20, unique=True)
    regional_program = models.ForeignKey(
        RegionalProgram, on_delete=models.PROTECT, related_name="persons"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    phone = models.CharField(max_length=30, blank=True)
    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, default="MS")
    postal_code = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(
                fields=["regional_program", "last_name"], name="people_person_region_name"
            ),
            models.Index(fields=["case_manager", "last_name"], name="people_person_cm_name"),
        ]

    def __str__(self):
        return f"{self.last_name}, {self.first_name}"

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CaseEpisode(Undeletable):
    """One opening of a person's case; each reopening is a new episode (SPEC.md section 2)."""

    class ClosureReason(models.TextChoices):
        REFUSED = "refused", "Refused services"
        MOVED = "moved", "Moved"
        DECEASED = "deceased", "Deceased"
        INELIGIBLE = "ineligible", "Ineligible"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=12, choices=ClosureReason, blank=True)
    closure_note = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = CaseEpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["person", "opened_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="people_caseepisode_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(closure_reason=""))
                | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
                name="people_caseepisode_reason_iff_closed",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(closed_on__isnull=True),
                name="people_caseepisode_one_open_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.opened_on} to {self.closed_on or 'open'}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Representative(models.Model):
    """Someone who speaks or acts for the person; the roles are flags, not exclusive."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="representatives")
    name = models.CharField(max_length=160)
    relationship = models.CharField(max_length=80, blank=True)
    is_family = models.BooleanField("family", default=False)
    is_legal_representative = models.BooleanField("legal representative", default=False)
    is_responsible_party = models.BooleanField("responsible party", default=False)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=250, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "name"]

    def __str__(self):
        return f"{self.name} ({self.relationship})" if self.relationship else self.name


class LivingArrangement(models.Model):
    """Where the person lives, effective-dated; `natural_home` drives the self-pay cap."""

    class Arrangement(models.TextChoices):
        NATURAL_HOME = "natural_home", "Natural home"
        SUPPORTED_LIVING = "supported_living", "Supported living"
        SUPERVISED_LIVING = "supervised_living", "Supervised living"
        GROUP_HOME = "group_home", "Group home"
        ICF_IID = "icf_iid", "ICF/IID"
        INDEPENDENT = "independent", "Independent"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="living_arrangements")
    arrangement = models.CharField(max_length=20, choices=Arrangement)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()
    objects = LivingArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["person", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="people_livingarrangement_to_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.get_arrangement_display()} from {self.effective_from}"


class CaseAssignment(models.Model):
    """Who was a person's case manager, from when to when, and who assigned them.

    `Person.case_manager` is the current answer (scoping reads it); these rows
    are the history behind it. Services keep the two in step: at most one
    assignment per person is current (`ended_on` empty), and it names
    `Person.case_manager`.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    assigned_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for records created by the demo seed or an import.",
    )

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "assigned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("assigned_on")),
                name="people_caseassignment_ended_after_assigned",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="people_caseassignment_one_current_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.person} to {self.case_manager} from {self.assigned_on}"


class AccessLog(Undeletable):
    """Who looked at which person's record, when, through which view (45 CFR 164.312(b)).

    Append-only and not itself history-tracked: it *is* the audit trail.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_log")
    view = models.CharField(max_length=80)
    accessed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-accessed_at"]
        indexes = [models.Index(fields=["person", "-accessed_at"], name="people_accesslog_person")]

    def __str__(self):
        return f"{self.user} viewed {self.person} ({self.view}) at {self.accessed_at}"
