"""Contacts (the 42 CFR 441.18(a)(7) case record), their addenda, and time entries.

A contact is signed by its author when saved; after that its facts never
change: corrections are addenda, mistakes are voided with a reason (SPEC.md
section 3). Billing reads time entries only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from contacts.querysets import AddendumQuerySet, ContactQuerySet, TimeEntryQuerySet
from contacts.rules import VOIDED, gate_reasons
from people.models import Person
from plans.models import DesiredOutcome
from tcm.integrity import Undeletable


class Voidable(models.Model):
    """Void with a reason instead of deleting: the record stays, counting for nothing."""

    voided_at = models.DateTimeField(null=True, blank=True)
    # Indexed for the void records only (`voided_by_index`): most records never are.
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    void_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


def voided_by_index(prefix: str) -> models.Index:
    """Who voided what, for the void records only: an index entry less on every write."""
    return models.Index(
        fields=["voided_by"], condition=Q(voided_by__isnull=False), name=f"{prefix}_voided_by"
    )


def void_consistency(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(voided_at__isnull=True) & Q(void_reason=""))
        | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
        name=f"{prefix}_void_has_reason",
    )


class Contact(Undeletable, Voidable):
    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        WRITTEN = "written", "Written"

    class Location(models.TextChoices):
        SERVICE_SETTING = "service_setting", "Service setting"
        OFFICE = "office", "Office"
        COMMUNITY = "community", "Community"
        OTHER = "other", "Other"

    # Looked up through the indexes that start with them (person and date, the author's
    # latest): an index of their own was one more write per contact.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contacts", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contacts_authored",
        db_index=False,
    )
    contact_date = models.DateField()
    minutes = models.PositiveIntegerField()
    travel_minutes = models.PositiveIntegerField(default=0)
    mode = models.CharField(max_length=12, choices=Mode)
    # With whom: any of these (SPEC.md section 2); booleans keep the rules plain SQL.
    with_person = models.BooleanField("the person", default=False)
    with_legal_representative = models.BooleanField("legal representative", default=False)
    with_family = models.BooleanField("family", default=False)
    with_provider = models.BooleanField("provider", default=False)
    with_other = models.BooleanField("other", default=False)
    location = models.CharField(max_length=16, choices=Location, blank=True)
    successful = models.BooleanField(default=True, help_text="False: an attempted contact.")
    note = models.TextField()
    outcomes_addressed = models.ManyToManyField(
        DesiredOutcome, blank=True, related_name="contacts", verbose_name="plan outcomes addressed"
    )
    services_declined = models.TextField(blank=True)
    coordination = models.TextField("coordination with other case managers", blank=True)
    next_steps = models.TextField(blank=True)
    next_steps_due_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The history is read by contact (`id`) and date; nothing looks it up by the others.
    history = HistoricalRecords(
        m2m_fields=[outcomes_addressed], no_db_index=["person", "author", "voided_by"]
    )
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_date", "-pk"]
        indexes = [
            models.Index(fields=["person", "contact_date"], name="contacts_contact_person_date"),
            # Compliance judges one period for every person at once: a date range first.
            models.Index(fields=["contact_date", "person"], name="contacts_contact_date_person"),
            # The contact form starts from the mode of its author's latest contact.
            models.Index(
                fields=["author", "-created_at", "-id"], name="contacts_contact_author_latest"
            ),
            voided_by_index("contacts_contact"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0), name="contacts_contact_minutes_positive"
            ),
            models.CheckConstraint(
                condition=~Q(mode="face_to_face") | ~Q(location=""),
                name="contacts_contact_face_to_face_has_location",
            ),
            models.CheckConstraint(
                condition=Q(with_person=True)
                | Q(with_legal_representative=True)
                | Q(with_family=True)
                | Q(with_provider=True)
                | Q(with_other=True),
                name="contacts_contact_with_someone",
            ),
            void_consistency("contacts_contact"),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} contact with {self.person} on {self.contact_date}"

    WITH_WHOM_FIELDS = {
        "person": "with_person",
        "legal_representative": "with_legal_representative",
        "family": "with_family",
        "provider": "with_provider",
        "other": "with_other",
    }

    @property
    def with_whom(self) -> list[str]:
        return [name for name, field in self.WITH_WHOM_FIELDS.items() if getattr(self, field)]

    @property
    def with_whom_display(self) -> str:
        """With whom, in words: "the person, family"."""
        names = [
            self._meta.get_field(self.WITH_WHOM_FIELDS[name]).verbose_name
            for name in self.with_whom
        ]
        return ", ".join(names)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Addendum(Undeletable):
    """A correction or addition to a signed contact: new text, its author, its time."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AddendumQuerySet.as_manager()

    class Meta:
        ordering = ["contact", "created_at"]
        verbose_name_plural = "addenda"

    def __str__(self):
        return f"Addendum to {self.contact} by {self.author}"


class TimeEntry(Undeletable, Voidable):
    """Time a case manager spent for a person; the only input to billing."""

    class Activity(models.TextChoices):
        DIRECT_CONTACT = "direct_contact", "Direct contact"
        TRAVEL = "travel", "Travel"
        PHONE_CALL = "phone_call", "Phone call"
        CORRESPONDENCE = "correspondence", "Correspondence"
        DOCUMENTATION = "documentation", "Documentation"
        CONSULTATION = "consultation", "Consultation"
        MEETING = "meeting", "Meeting"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="time_entries")
    # Looked up through `contacts_time_author_date`, which starts with it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="time_entries",
        db_index=False,
    )
    service_date = models.DateField()
    minutes = models.PositiveIntegerField()
    activity = models.CharField(max_length=16, choices=Activity)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="time_entries"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a finalized bill run billed this entry; frozen entries "
        "refuse edits and voids (SPEC.md section 3).",
    )

    # Read by entry (`id`) and date (a draft's staleness check, billing.services).
    history = HistoricalRecords(no_db_index=["person", "author", "voided_by", "contact"])
    objects = TimeEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-service_date", "-pk"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["service_date", "person"], name="contacts_time_date_person"),
            models.Index(fields=["author", "service_date"], name="contacts_time_author_date"),
            voided_by_index("contacts_timeentry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60),
                name="contacts_timeentry_minutes_in_day",
            ),
            void_consistency("contacts_timeentry"),
        ]

    def __str__(self):
        activity = self.get_activity_display()
        return f"{self.minutes} min {activity} for {self.person} on {self.service_date}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def non_billable_reasons(self) -> list[str]:
        """Why this entry is not billable; needs the with_billing_gate() annotations."""
        reasons = [VOIDED] if self.is_void else []
        return reasons + gate_reasons(
            author_qualified=self.author_qualified,
            program_certified=self.program_certified,
            case_open=self.case_open,
        )
