"""Read-only API of regional programs and staff.

Staff of a program see their own program and its staff; DMH reviewers see
every region. Programs and staff change through the admin only.
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from rest_framework import viewsets

from tcm.api.serializers import RegionalProgramSerializer, StaffSerializer
from tcm.models import Certification, RegionalProgram, StaffQualification, User
from tcm.roles import Role


def _program_scope(user, field: str) -> Q:
    """Everything for reviewers and superusers, otherwise the user's own program."""
    if user.is_superuser or user.role == Role.DMH_REVIEWER:
        return Q()
    return Q(**{field: user.regional_program_id}) if user.regional_program_id else Q(pk__in=[])


class RegionalProgramViewSet(viewsets.ReadOnlyModelViewSet):
    """The regional programs, with whether each is certified today."""

    queryset = RegionalProgram.objects.all()
    serializer_class = RegionalProgramSerializer
    filterset_fields = ["code"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        certified = Certification.objects.filter(regional_program=OuterRef("pk")).in_force_on(
            timezone.localdate()
        )
        return (
            self.queryset.filter(_program_scope(self.request.user, "pk"))
            .annotate(certified_today=Exists(certified))
            .order_by("code")
        )


class StaffFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="groups__name")
    qualified_today = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["regional_program", "role", "qualified_today"]


class StaffViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff members with their role and today's qualification verdict."""

    queryset = User.objects.all()
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    search_fields = ["username", "first_name", "last_name"]
    ordering_fields = ["last_name", "username"]

    def get_queryset(self):
        qualifying = StaffQualification.objects.qualifying_on(timezone.localdate()).filter(
            staff=OuterRef("pk")
        )
        return (
            self.queryset.filter(_program_scope(self.request.user, "regional_program_id"))
            .filter(is_active=True)
            .annotate(qualified_today=Exists(qualifying))
            .prefetch_related("groups")
        )
