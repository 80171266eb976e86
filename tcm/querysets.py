"""QuerySets of the tcm app: effective-dated lookups usable inside subqueries."""

from datetime import date

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q

from tcm.roles import Role


def in_force_q(day, *, start: str, end: str) -> Q:
    """Rows whose [start, end] period (end empty = open) contains `day`.

    `day` may be a date or an expression such as OuterRef("service_date"),
    which is what lets billing and compliance test many days in one query.
    """
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


def overlapping_q(start_value: date, end_value: date | None, *, start: str, end: str) -> Q:
    """Rows whose period overlaps [start_value, end_value] (None = open-ended)."""
    condition = Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": start_value})
    if end_value is not None:
        condition &= Q(**{f"{start}__lte": end_value})
    return condition


class CertificationQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(in_force_q(day, start="certified_from", end="certified_until"))


class StaffQualificationQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(in_force_q(day, start="effective_from", end="effective_to"))

    def qualifying_on(self, day):
        """Records that make their staff member qualified on `day` (date or expression)."""
        return self.in_force_on(day).filter(qualified_from__lte=day)

    def overlapping(self, start_value, end_value):
        return self.filter(
            overlapping_q(start_value, end_value, start="effective_from", end="effective_to")
        )


class UserManager(DjangoUserManager):
    def with_role(self, role):
        return self.filter(groups__name=role, is_active=True)

    def case_managers_of(self, regional_program_id):
        """The active case managers of a regional program: its staff table, the versions
        the officer's cached landing is keyed on, and who may be assigned persons."""
        return self.with_role(Role.CASE_MANAGER).filter(regional_program_id=regional_program_id)
