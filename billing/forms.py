"""Forms of the billing pages."""

from django import forms

from tcm.dates import parse_month


class GenerateForm(forms.Form):
    month = forms.CharField(
        help_text="The month to bill, YYYY-MM. A finalized month gets a supplemental run.",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )

    def clean_month(self):
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class FinalizeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I reviewed every bill and excluded entry of this run",
        help_text="Finalizing freezes the run and the time it billed; it cannot be undone.",
    )
