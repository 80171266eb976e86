"""Forms of the contacts pages: shape only; the services decide what is valid.

The field names are the services' argument names, so a service's
ValidationError lands next to the field it names (`add_service_errors`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator

from contacts.models import Contact, TimeEntry
from plans.models import DesiredOutcome


class FixedChoices(BaseChoiceIterator):
    """Choices that never change, one tuple shared by every instance of a form.

    A form deep-copies its fields for each instance, and a choice field's list of
    choices with them (normalized once more for its widget): a third of the contact
    form's CPU on every POST (bench/EXPLAIN.md, "session 6"). Nothing changes a
    field's choices in place (a form that needs others assigns new ones, as
    ContactForm does for the outcomes), so the copies can share them.
    """

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MINUTES = {"min_value": 1, "max_value": 24 * 60}


class ContactForm(forms.Form):
    contact_date = forms.DateField(label="Date", widget=DATE)
    minutes = forms.IntegerField(**MINUTES, help_text="Minutes of the contact itself.")
    travel_minutes = forms.IntegerField(
        min_value=0,
        max_value=24 * 60,
        required=False,
        initial=0,
        help_text="Travel to and from the contact; recorded as its own time entry.",
    )
    mode = forms.ChoiceField(choices=FixedChoices(Contact.Mode.choices), widget=forms.RadioSelect)
    with_whom = forms.MultipleChoiceField(
        choices=FixedChoices(
            (name, Contact._meta.get_field(f).verbose_name.capitalize())
            for name, f in Contact.WITH_WHOM_FIELDS.items()
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.ChoiceField(
        choices=FixedChoices([("", "Not applicable"), *Contact.Location.choices]),
        required=False,
        help_text="Required for a face-to-face contact.",
    )
    successful = forms.TypedChoiceField(
        label="Outcome of the attempt",
        choices=FixedChoices([("true", "Successful"), ("false", "Attempted, not reached")]),
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
        self.fields["contact_date"].widget.attrs["autofocus"] = True

    def clean_travel_minutes(self):
        return self.cleaned_data["travel_minutes"] or 0


def _active_outcomes(person) -> list[tuple[int, str]]:
    outcomes = DesiredOutcome.objects.filter(plan__person=person, plan__status="active")
    return [(o.pk, o.description) for o in outcomes.order_by("position", "pk")]


class TimeEntryForm(forms.Form):
    service_date = forms.DateField(label="Date", widget=DATE)
    minutes = forms.IntegerField(**MINUTES)
    activity = forms.ChoiceField(
        choices=FixedChoices(c for c in TimeEntry.Activity.choices if c[0] != "direct_contact"),
        help_text="Direct contact time comes with the contact you log.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_date"].widget.attrs["autofocus"] = True


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
