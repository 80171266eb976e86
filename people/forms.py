"""Forms of the people pages; the services do the validating that matters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from people.models import CaseEpisode, LivingArrangement, Person, Representative
from people.selectors import assignable_case_managers
from people.services import PERSON_FIELDS, REPRESENTATIVE_FIELDS
from tcm.models import RegionalProgram, User
from tcm.roles import Role


class DateInput(forms.DateInput):
    input_type = "date"


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field-keyed errors next to the fields; the rest above the form."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class PersonSearchForm(forms.Form):
    """The caseload filters; every field optional, bad values are ignored by the view."""

    STATUS_CHOICES = [("", "Any status"), ("open", "Open"), ("closed", "Closed")]

    q = forms.CharField(
        label="Search", required=False, help_text="Name or Medicaid ID", max_length=100
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    region = forms.ModelChoiceField(
        RegionalProgram.objects.all(), required=False, empty_label="Any region"
    )
    case_manager = forms.ModelChoiceField(
        User.objects.none(), required=False, empty_label="Any case manager"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        managers = User.objects.with_role(Role.CASE_MANAGER).order_by("last_name", "first_name")
        if user.regional_program_id is not None:
            # Staff of one program only filter within it; the region filter is for DMH.
            del self.fields["region"]
            managers = managers.filter(regional_program_id=user.regional_program_id)
        if user.role == Role.CASE_MANAGER:
            del self.fields["case_manager"]
        else:
            self.fields["case_manager"].queryset = managers


class PersonForm(forms.ModelForm):
    """Demographics and contact details, as `update_person` may change them."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"date_of_birth": DateInput}

    def validate_unique(self):
        """The service's full_clean() checks uniqueness; checking twice costs a query."""


class EnrollForm(PersonForm):
    regional_program = forms.ModelChoiceField(RegionalProgram.objects.all())
    case_manager = forms.ModelChoiceField(User.objects.none())
    opened_on = forms.DateField(label="Case opened on", widget=DateInput)
    arrangement = forms.ChoiceField(
        label="Living arrangement",
        choices=[("", "Not known yet"), *LivingArrangement.Arrangement.choices],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["opened_on"].initial = today
        program = user.regional_program_id
        if program is not None:
            # Staff enroll into their own program: the field would offer one choice.
            del self.fields["regional_program"]
        self.fields["case_manager"].queryset = assignable_case_managers(program, today)
        if user.role == Role.CASE_MANAGER:
            self.fields["case_manager"].initial = user.pk


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="Closed on", widget=DateInput)
    closure_reason = forms.ChoiceField(
        label="Reason", choices=[("", "Choose a reason"), *CaseEpisode.ClosureReason.choices]
    )
    closure_note = forms.CharField(label="Note", widget=forms.Textarea, required=False)


class ReopenForm(forms.Form):
    opened_on = forms.DateField(label="Reopened on", widget=DateInput)


class LivingArrangementForm(forms.Form):
    arrangement = forms.ChoiceField(
        label="Living arrangement", choices=LivingArrangement.Arrangement.choices
    )
    effective_from = forms.DateField(label="From", widget=DateInput)


class ReassignForm(forms.Form):
    case_manager = forms.ModelChoiceField(
        User.objects.none(),
        label="New case manager",
        help_text="Qualified case managers of your program, today.",
    )

    def __init__(self, *args, program_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = assignable_case_managers(
            program_id, timezone.localdate()
        )


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = Representative
        fields = REPRESENTATIVE_FIELDS
