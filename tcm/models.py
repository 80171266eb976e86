"""Regional programs, their certification, staff and staff qualifications."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from tcm.querysets import CertificationQuerySet, StaffQualificationQuerySet, UserManager
from tcm.roles import Role
from tcm.rules import Credentials, QualificationResult, assess_qualification, qualified_from


class RegionalProgram(models.Model):
    """One of the DMH regional IDD programs; the billing provider on claims."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=120, unique=True)
    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, default="MS")
    postal_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    npi = models.CharField("NPI", max_length=10, blank=True)
    tax_id = models.CharField("tax ID (EIN)", max_length=9, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def is_certified_on(self, day: date) -> bool:
        return self.certifications.in_force_on(day).exists()


class Certification(models.Model):
    """A period during which the Division of Certification certified a program.

    SPEC.md section 2: no TCM service is billable on a day its program is not certified.
    """

    regional_program = models.ForeignKey(
        RegionalProgram, on_delete=models.PROTECT, related_name="certifications"
    )
    certificate_number = models.CharField(max_length=40, blank=True)
    certified_from = models.DateField()
    certified_until = models.DateField(null=True, blank=True, help_text="Empty: open-ended.")

    history = HistoricalRecords()
    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["regional_program", "certified_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(certified_until__isnull=True)
                | Q(certified_until__gte=F("certified_from")),
                name="tcm_certification_until_after_from",
            ),
        ]

    def __str__(self):
        until = self.certified_until or "open"
        return f"{self.regional_program.code} certified {self.certified_from} to {until}"


class User(AbstractUser):
    """A staff member; the role is the Django group (SPEC.md section 1)."""

    regional_program = models.ForeignKey(
        RegionalProgram,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="Empty only for DMH reviewers, who see every region.",
    )
    npi = models.CharField("rendering NPI", max_length=10, blank=True)

    history = HistoricalRecords()
    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def role(self) -> Role | None:
        """The user's role; cached per request on the instance.

        A request's user comes with it (tcm.auth); any other user reads its groups once.
        """
        if not hasattr(self, "_role"):
            if hasattr(self, "role_name"):
                names = {self.role_name}
            else:
                names = {group.name for group in self.groups.all()}
            self._role = next((role for role in Role if role.value in names), None)
        return self._role

    @property
    def is_case_manager(self) -> bool:
        return self.role == Role.CASE_MANAGER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_reimbursement_officer(self) -> bool:
        return self.role == Role.REIMBURSEMENT_OFFICER

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.DMH_REVIEWER

    def qualification_on(self, day: date) -> QualificationResult:
        """Qualified on `day`, and if not, why (SPEC.md section 2).

        Reads `qualifications.all()` so a prefetch serves a whole staff list.
        """
        record = next((q for q in self.qualifications.all() if q.is_in_force_on(day)), None)
        if record is None:
            return QualificationResult(False, (f"No qualification record in force on {day}.",))
        return record.assess(day)


class StaffQualification(models.Model):
    """Effective-dated credentials of one staff member (SPEC.md section 2)."""

    class CssCredential(models.TextChoices):
        NONE = "none", "None"
        PROVISIONAL = "provisional", "Provisional"
        FULL = "full", "Full"

    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="qualifications")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Empty: open-ended.")
    lsw_license = models.BooleanField("LSW licence", default=False)
    idd_bachelors_degree = models.BooleanField(
        "bachelor's degree in an IDD-related field", default=False
    )
    css_credential = models.CharField(
        "DMH Community Support Specialist credential",
        max_length=12,
        choices=CssCredential,
        default=CssCredential.NONE,
    )
    qddp = models.BooleanField("QDDP", default=False)
    experience_started_on = models.DateField(
        null=True,
        blank=True,
        help_text="Qualifying experience counts from this day, so years of experience "
        "grow with time without edits.",
    )
    pcp_training_completed_on = models.DateField(
        "person-centered planning training completed on", null=True, blank=True
    )
    qualified_from = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Derived on save: first day these credentials qualify.",
    )

    history = HistoricalRecords()
    objects = StaffQualificationQuerySet.as_manager()

    class Meta:
        ordering = ["staff", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="tcm_staffqualification_to_after_from",
            ),
        ]

    def __str__(self):
        return f"{self.staff} from {self.effective_from}"

    def save(self, *args, **kwargs):
        self.qualified_from = qualified_from(self.credentials, self.effective_from)
        super().save(*args, **kwargs)

    @property
    def credentials(self) -> Credentials:
        return Credentials(
            lsw_license=self.lsw_license,
            idd_bachelors_degree=self.idd_bachelors_degree,
            css_credential=self.css_credential,
            qddp=self.qddp,
            experience_started_on=self.experience_started_on,
            pcp_training_completed_on=self.pcp_training_completed_on,
        )

    def is_in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def assess(self, day: date) -> QualificationResult:
        return assess_qualification(self.credentials, day)

    def clean(self):
        overlapping = StaffQualification.objects.filter(staff_id=self.staff_id).overlapping(
            self.effective_from, self.effective_to
        )
        if self.pk:
            overlapping = overlapping.exclude(pk=self.pk)
        if self.staff_id and self.effective_from and overlapping.exists():
            raise ValidationError(
                {"effective_from": "Another qualification record is in force in this period."}
            )


class PageVersion(models.Model):
    """A counter per scope of records that cached pages are keyed on (tcm.versions).

    Scopes: "person:<id>" (one person's record), "caseload:<user id>" (a case
    manager's worklist) and "records" (everything else a page shows: programs,
    staff, rates, evaluation and billing runs). A cache stamp, not a record: no
    history.
    """

    scope = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField(default=1)

    def __str__(self):
        return f"{self.scope} v{self.version}"
