from datetime import date

import factory
from django.utils import timezone

from contacts.models import Addendum, Contact, TimeEntry
from tests.factories.people import CaseloadPersonFactory


class ContactFactory(factory.django.DjangoModelFactory):
    """A signed, successful phone call with the person; services log real ones."""

    class Meta:
        model = Contact

    person = factory.SubFactory(CaseloadPersonFactory)
    author = factory.LazyAttribute(lambda o: o.person.case_manager)
    contact_date = date(2024, 3, 15)
    minutes = 20
    mode = "phone"
    with_person = True
    successful = True
    note = "Talked about the week."
    signed_at = factory.LazyFunction(timezone.now)


class TimeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeEntry

    person = factory.SubFactory(CaseloadPersonFactory)
    author = factory.LazyAttribute(lambda o: o.person.case_manager)
    service_date = date(2024, 3, 15)
    minutes = 30
    activity = "documentation"

    class Params:
        # TimeEntryFactory(void=True): voided by its author, as the services void.
        void = factory.Trait(
            voided_at=factory.LazyFunction(timezone.now),
            voided_by=factory.SelfAttribute("author"),
            void_reason="Typo",
        )


class AddendumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Addendum

    contact = factory.SubFactory(ContactFactory)
    author = factory.LazyAttribute(lambda o: o.contact.author)
    text = "Mother called back: the appointment moved to Friday."
