"""Payer coverage, Standard Means Tests and T1017 rates (SPEC.md section 5)."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from people.models import Person
from people.querysets import ScopedQuerySet
from tcm.querysets import in_force_q

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

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coverages")
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
