"""Filters of the people API (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone

from people.models import CaseEpisode, Person, Representative


class PersonFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("open", "Open today"), ("closed", "Closed today")],
        method="filter_status",
        label="Case status today",
    )

    class Meta:
        model = Person
        fields = ["regional_program", "case_manager", "medicaid_id", "status"]

    def filter_status(self, queryset, name, value):
        open_today = Exists(
            CaseEpisode.objects.filter(person=OuterRef("pk")).open_on(timezone.localdate())
        )
        return queryset.filter(open_today if value == "open" else ~open_today)


class RepresentativeFilter(django_filters.FilterSet):
    class Meta:
        model = Representative
        fields = ["person", "is_family", "is_legal_representative", "is_responsible_party"]
