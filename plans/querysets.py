"""QuerySets of the plans app: scoping through the person, certification by date,
and a plan with everything its pages and API show, in a fixed number of queries."""

from django.db import models
from django.db.models import Prefetch

from people.querysets import ScopedQuerySet
from tcm.querysets import in_force_q


class ProviderQuerySet(models.QuerySet):
    def certified_on(self, day):
        return self.filter(in_force_q(day, start="certified_from", end="certified_until"))


class PlanQuerySet(ScopedQuerySet):
    def with_content(self):
        """Plans with person, outcomes and services (provider, providers presented) loaded.

        Five queries whatever the number of plans: plans, outcomes, services
        with their chosen provider, providers presented.
        """
        from plans.models import PlanService

        return self.select_related("person", "created_by", "approved_by").prefetch_related(
            "outcomes",
            Prefetch(
                "services",
                queryset=PlanService.objects.select_related("provider").prefetch_related(
                    "providers_presented"
                ),
            ),
        )


class PlanPartQuerySet(ScopedQuerySet):
    person_path = "plan__person__"
