"""Filters of the findings resource: rule, status, period, person, case manager, region."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from compliance.forms import MonthField
from compliance.models import Finding, Rule
from tcm.dates import month_end


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(period_start__gte=value, period_start__lte=month_end(value))


class FindingFilter(django_filters.FilterSet):
    rule = django_filters.ChoiceFilter(choices=Rule.choices)
    status = django_filters.ChoiceFilter(choices=Finding.Status.choices)
    period = MonthFilter(help_text="YYYY-MM: findings whose period starts in that month.")
    period_start = django_filters.DateFilter()
    person = django_filters.NumberFilter(field_name="person_id")
    case_manager = django_filters.NumberFilter(field_name="person__case_manager_id")
    region = django_filters.CharFilter(
        field_name="person__regional_program__code", help_text="Regional program code, e.g. HRC."
    )

    class Meta:
        model = Finding
        fields = ["rule", "status", "period", "period_start", "person", "case_manager", "region"]
