"""QuerySets of contacts and time entries: scoping, the usual filters and the billing gate."""

from django.db.models import Exists, OuterRef, Q

from people.models import CaseEpisode
from people.querysets import ScopedQuerySet
from tcm.models import Certification, StaffQualification

# The billing gate (SPEC.md section 5, rule 1), one EXISTS per fact, each given the
# columns it is correlated on: the pages ask it of each time entry, a bill run of its
# staged entries and days (billing/staging.py), with one definition of the rules.


def author_qualified(author, day):
    """The author holds a qualification that makes them a qualified case manager on `day`."""
    return Exists(StaffQualification.objects.filter(staff_id=author).qualifying_on(day))


def program_certified(regional_program, day):
    """The regional program's certification is in force on `day`."""
    return Exists(
        Certification.objects.filter(regional_program_id=regional_program).in_force_on(day)
    )


def case_open(person, day):
    """The person has a case episode open on `day`."""
    return Exists(CaseEpisode.objects.filter(person_id=person).open_on(day))


class ContactQuerySet(ScopedQuerySet):
    def not_void(self):
        return self.filter(voided_at__isnull=True)

    def signed(self):
        return self.filter(signed_at__isnull=False)

    def between(self, first_day, last_day):
        return self.filter(contact_date__gte=first_day, contact_date__lte=last_day)

    def with_person_or_legal_representative(self):
        return self.filter(Q(with_person=True) | Q(with_legal_representative=True))


class TimeEntryQuerySet(ScopedQuerySet):
    def not_void(self):
        return self.filter(voided_at__isnull=True)

    def between(self, first_day, last_day):
        return self.filter(service_date__gte=first_day, service_date__lte=last_day)

    def with_billing_gate(self):
        """Annotate each entry with the three gate facts for its service date.

        `author_qualified`, `program_certified`, `case_open` are EXISTS
        subqueries correlated on the row, so any number of entries costs one
        query (SPEC.md section 5, rule 1).
        """
        day = OuterRef("service_date")
        return self.annotate(
            author_qualified=author_qualified(OuterRef("author_id"), day),
            program_certified=program_certified(OuterRef("person__regional_program_id"), day),
            case_open=case_open(OuterRef("person_id"), day),
        )

    def billable(self):
        """Non-void entries that pass the gate; needs with_billing_gate()."""
        return self.not_void().filter(author_qualified=True, program_certified=True, case_open=True)


class AddendumQuerySet(ScopedQuerySet):
    person_path = "contact__person__"
