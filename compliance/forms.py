"""Forms of the compliance pages: the findings filters and the acknowledgement."""

from django import forms

from compliance.models import Finding, Rule
from tcm.dates import month_end, parse_month
from tcm.models import RegionalProgram, User
from tcm.roles import Role


class MonthField(forms.CharField):
    """'YYYY-MM' to the first day of the month; a bad value is an error naming the field."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class FindingFilterForm(forms.Form):
    """Filters shared by the findings page, its CSV and the dashboard's drill-down."""

    rule = forms.ChoiceField(choices=[("", "Any rule"), *Rule.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Finding.Status.choices], required=False
    )
    period = MonthField(
        required=False,
        label="Period starting in",
        help_text="A month, YYYY-MM.",
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "inputmode": "numeric"}),
    )
    case_manager = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Any case manager"
    )
    region = forms.ModelChoiceField(
        queryset=RegionalProgram.objects.all(), required=False, empty_label="Any region"
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        managers = User.objects.with_role(Role.CASE_MANAGER).order_by("last_name", "first_name")
        if user.regional_program_id and user.role != Role.DMH_REVIEWER:
            managers = managers.filter(regional_program_id=user.regional_program_id)
            del self.fields["region"]
        if user.role == Role.CASE_MANAGER:
            del self.fields["case_manager"]
        else:
            self.fields["case_manager"].queryset = managers

    def filter(self, findings):
        """Apply the valid filters; an invalid one is shown next to its field, not applied."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("rule"):
            findings = findings.filter(rule=data["rule"])
        if data.get("status"):
            findings = findings.filter(status=data["status"])
        if data.get("period"):
            findings = findings.filter(
                period_start__gte=data["period"], period_start__lte=month_end(data["period"])
            )
        if data.get("case_manager"):
            findings = findings.filter(person__case_manager=data["case_manager"])
        if data.get("region"):
            findings = findings.filter(person__regional_program=data["region"])
        if data.get("person"):
            findings = findings.filter(person_id=data["person"])
        return findings


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done or agreed about this finding.",
        max_length=2000,
    )
