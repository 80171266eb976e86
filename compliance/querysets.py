"""QuerySets of findings and rates: scoping by role and the usual filters."""

from people.querysets import ScopedQuerySet


class FindingQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status="open")

    def for_page(self):
        """What list pages and the API show with each finding, in one query."""
        return self.select_related("person", "person__case_manager", "acknowledged_by")


class ComplianceRateQuerySet(ScopedQuerySet):
    """Rates carry a person's program and case manager fields, so they scope like persons."""

    person_path = ""
