"""contacts.forms: a form's fields are shared by its instances, never copied per form,
but for the outcomes, which are each person's own."""

import pytest

from contacts.forms import ContactForm, TimeEntryForm
from tests.factories import PersonFactory
from tests.factories.plans import DesiredOutcomeFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form_class", "own"), [(ContactForm, {"outcome_ids"}), (TimeEntryForm, set())]
)
def test_a_forms_fields_are_the_classs_own_but_for_what_each_form_changes(person, form_class, own):
    """Deep-copying them, choices and widgets included, for every form was most of
    the contact form's CPU on every contact logged."""
    extra = {"person": person} if form_class is ContactForm else {}
    form = form_class({}, **extra)
    shared = {name for name, field in form.fields.items() if field is form_class.base_fields[name]}
    assert shared == set(form_class.base_fields) - own
    assert list(form.fields) == list(form_class.base_fields)


def test_each_form_offers_its_own_persons_outcomes(case_manager):
    def person_with_outcome(description):
        person = PersonFactory(case_manager=case_manager)
        DesiredOutcomeFactory(
            plan=PlanFactory(person=person, status="active"), description=description
        )
        return person

    first = ContactForm(person=person_with_outcome("Work at the library"))
    second = ContactForm(person=person_with_outcome("Ride the bus alone"))

    assert [label for _, label in first.fields["outcome_ids"].choices] == ["Work at the library"]
    assert [label for _, label in second.fields["outcome_ids"].choices] == ["Ride the bus alone"]
    assert not list(ContactForm.base_fields["outcome_ids"].choices)


def test_shared_fields_validate_and_render_each_form_on_its_own(person):
    """One form's posted values and errors never show in the next form's page."""
    invalid = ContactForm({"mode": "phone", "location": "nowhere", "note": "x"}, person=person)
    invalid.is_valid()
    assert "mode" not in invalid.errors and "location" in invalid.errors
    assert 'aria-invalid="true"' in str(invalid["location"])
    assert "checked" in str(invalid["mode"])

    fresh = ContactForm(person=person)

    assert "aria-invalid" not in str(fresh["location"]) and "checked" not in str(fresh["mode"])
    assert "Not applicable" in str(fresh["location"]) and "autofocus" in str(fresh["contact_date"])
    assert list(fresh.fields["mode"].choices)[1] == ("phone", "Phone")
    assert "autofocus" in str(TimeEntryForm()["service_date"])
