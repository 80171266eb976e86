"""Forms of the contacts pages: shape only; the services decide what is valid.

The field names are the services' argument names, so a service's
ValidationError lands next to the field it names (`add_service_errors`).
"""

import copy

from django import forms
from django.core.exceptions import ValidationError

from contacts.models import Contact, TimeEntry
from plans.models import DesiredOutcome


class SharedFields(dict):
    """A form's declared fields, which its instances share, but for those named `own`.

    A form deep-copies its declared fields for every instance, so that an instance
    may change its own (their choices, their widgets' attributes) without touching
    the others'. The contact and time forms change none but the outcomes' choices
    (the person's plan), and validating or rendering a field only reads it; the
    copies, choices and widgets included, were most of the contact form's CPU on
    every contact logged (bench/EXPLAIN.md, sessions 6 and 10).
    """

    def __init__(self, fields, own):
        super().__init__(fields)
        self.own = frozenset(own)

    def __deepcopy__(self, memo):
        return {
            name: copy.deepcopy(field, memo) if name in self.own else field
            for name, field in self.items()
        }


def sharing_fields(*own: str):
    """Class decorator: the form's instances share its fields, but for `own`, which
    each instance may change (`SharedFields`)."""

    def decorate(form_class):
        form_class.base_fields = SharedFields(form_class.base_fields, own)
        return form_class

    return decorate


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The first field of a form: where the cursor is when the page opens.
FIRST_DATE = forms.DateInput(attrs={**DATE.attrs, "autofocus": True}, format=DATE.format)
MINUTES = {"min_value": 1, "max_value": 24 * 60}


@sharing_fields("outcome_ids")
class ContactForm(forms.Form):
    contact_date = forms.DateField(label="Date", widget=FIRST_DATE)
    minutes = forms.IntegerField(**MINUTES, help_text="Minutes of the contact itself.")
    travel_minutes = forms.IntegerField(
        min_value=0,
        max_value=24 * 60,
        required=False,
        initial=0,
        help_text="Travel to and from the contact; recorded as its own time entry.",
    )
    mode = forms.ChoiceField(choices=Contact.Mode.choices, widget=forms.RadioSelect)
    with_whom = forms.MultipleChoiceField(
        choices=[
            (name, Contact._meta.get_field(f).verbose_name.capitalize())
            for name, f in Contact.WITH_WHOM_FIELDS.items()
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.ChoiceField(
        choices=[("", "Not applicable"), *Contact.Location.choices],
        required=False,
        help_text="Required for a face-to-face contact.",
    )
    successful = forms.TypedChoiceField(
        label="Outcome of the attempt",
        choices=[("true", "Successful"), ("false", "Attempted, not reached")],
        coerce=lambda value: value == "true",
        initial="true",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}))
    outcome_ids = forms.TypedMultipleChoiceField(
        label="Plan outcomes addressed",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    services_declined = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    coordination = forms.CharField(
        label="Coordination with other case managers",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    next_steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    next_steps_due_on = forms.DateField(label="Next steps due on", widget=DATE, required=False)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable is read only when needed: to show the form, or to check posted outcomes.
        self.fields["outcome_ids"].choices = lambda: _active_outcomes(person)

    def clean_travel_minutes(self):
        return self.cleaned_data["travel_minutes"] or 0


def _active_outcomes(person) -> list[tuple[int, str]]:
    outcomes = DesiredOutcome.objects.filter(plan__person=person, plan__status="active")
    return [(o.pk, o.description) for o in outcomes.order_by("position", "pk")]


@sharing_fields()
class TimeEntryForm(forms.Form):
    service_date = forms.DateField(label="Date", widget=FIRST_DATE)
    minutes = forms.IntegerField(**MINUTES)
    activity = forms.ChoiceField(
        choices=[c for c in TimeEntry.Activity.choices if c[0] != "direct_contact"],
        help_text="Direct contact time comes with the contact you log.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AddendumForm(forms.Form):
    text = forms.CharField(label="Addendum", widget=forms.Textarea(attrs={"rows": 3}))


class VoidForm(forms.Form):
    void_reason = forms.CharField(label="Reason for voiding", max_length=2000)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors next to the fields they name; the rest on top of the form."""
    renamed = {"outcomes_addressed": "outcome_ids"}
    for field, messages in error.message_dict.items():
        field = renamed.get(field, field)
        form.add_error(field if field in form.fields else None, messages)
