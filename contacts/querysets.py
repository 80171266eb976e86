"""QuerySets of contacts and time entries: scoping and the usual filters."""

from django.db.models import Q

from people.querysets import ScopedQuerySet


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


class AddendumQuerySet(ScopedQuerySet):
    person_path = "contact__person__"
