"""Forms of the plan pages; they collect input, plans.services decides."""

from django import forms
from django.core.exceptions import ValidationError

from plans.models import DesiredOutcome, NeedsAssessment, Plan, PlanService, Provider, Referral


class DateInput(forms.DateInput):
    input_type = "date"


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, the rest on top."""
    for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
        form.add_error(field if field in form.fields else None, messages)


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["meeting_date", "revision_reason", "participants"]
        widgets = {
            "meeting_date": DateInput(),
            "participants": forms.Textarea(attrs={"rows": 3}),
        }


class NewPlanForm(PlanForm):
    copy_active = forms.BooleanField(
        label="Start from the active plan",
        required=False,
        initial=True,
        help_text="Copies its outcomes, services and informed-choice records into the draft.",
    )


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = DesiredOutcome
        fields = ["description"]
        labels = {"description": "Desired outcome, in the person's own words"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class PlanServiceForm(forms.ModelForm):
    """A service with the informed-choice record; only providers certified on the plan date."""

    class Meta:
        model = PlanService
        fields = [
            "service",
            "providers_presented",
            "provider",
            "frequency",
            "start_date",
            "choice_recorded_on",
        ]
        labels = {
            "providers_presented": "Certified providers presented to the person",
            "provider": "Provider the person chose",
            "choice_recorded_on": "Choice made on",
        }
        widgets = {
            "providers_presented": forms.CheckboxSelectMultiple(),
            "start_date": DateInput(),
            "choice_recorded_on": DateInput(),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        certified = Provider.objects.certified_on(plan.meeting_date)
        self.fields["provider"].queryset = certified
        self.fields["providers_presented"].queryset = certified
        self.fields["providers_presented"].required = True
        self.fields[
            "providers_presented"
        ].help_text = f"Providers DMH-certified on the plan date, {plan.meeting_date:%m/%d/%Y}."
        self.fields["choice_recorded_on"].initial = plan.meeting_date


class AssessmentForm(forms.ModelForm):
    meets_criteria = forms.TypedChoiceField(
        label="Does the person meet the needs-based criteria?",
        choices=[("yes", "Meets criteria"), ("no", "Does not meet criteria")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="“Does not meet criteria” refers the person to the regional D&E team.",
    )

    class Meta:
        model = NeedsAssessment
        fields = ["assessed_on", "meets_criteria", "notes"]
        widgets = {"assessed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Referral.Outcome.choices, widget=forms.RadioSelect)
    outcome_on = forms.DateField(label="Decided on", widget=DateInput())
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
