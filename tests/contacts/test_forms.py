"""contacts.forms: the contact form's fixed choices are shared, never copied per form."""

import pytest

from contacts.forms import ContactForm, FixedChoices, TimeEntryForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form_class", "names"),
    [
        (ContactForm, ["mode", "with_whom", "location", "successful"]),
        (TimeEntryForm, ["activity"]),
    ],
)
def test_a_forms_fixed_choices_are_the_classs_own_not_a_copy(person, form_class, names):
    """Deep-copying them for every form was a third of the contact form's CPU."""
    extra = {"person": person} if form_class is ContactForm else {}
    form = form_class({}, **extra)
    for name in names:
        shared = form_class.base_fields[name].choices
        assert isinstance(shared, FixedChoices)
        assert form.fields[name].choices is shared
        assert form.fields[name].widget.choices is shared


def test_fixed_choices_validate_and_render_as_a_list_of_choices(person):
    form = ContactForm({"mode": "phone", "location": "nowhere"}, person=person)
    form.is_valid()
    assert "mode" not in form.errors and "location" in form.errors
    assert list(form.fields["mode"].choices)[1] == ("phone", "Phone")
    assert 'value="phone"' in str(form["mode"]) and "Not applicable" in str(form["location"])
