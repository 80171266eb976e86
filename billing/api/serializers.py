"""Serializers of coverage, means tests, rates, bill runs and bills.

Field names are SPEC.md's words (`payer_type`, `amount_due`, ...); money is
a decimal string. Runs and bills are read-only here: they change only
through billing.services (generate, finalize).
"""

from rest_framework import serializers

from billing.models import Bill, BillingRun, BillLine, Coverage, MeansTest, Rate
from contacts.api.serializers import ScopedPersonField
from tcm.dates import parse_month


class CoverageSerializer(serializers.ModelSerializer):
    person = ScopedPersonField()

    class Meta:
        model = Coverage
        fields = [
            "id",
            "person",
            "payer_type",
            "payer_name",
            "payer_id",
            "member_id",
            "effective_from",
            "effective_to",
        ]


class MeansTestSerializer(serializers.ModelSerializer):
    person = ScopedPersonField()

    class Meta:
        model = MeansTest
        fields = [
            "id",
            "person",
            "effective_from",
            "family_size",
            "adjusted_gross_monthly_income",
            "monthly_ability_to_pay",
            "child_waiver",
        ]


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rate
        fields = ["id", "procedure_code", "amount_per_unit", "effective_from", "effective_to"]


class BillingRunSerializer(serializers.ModelSerializer):
    regional_program = serializers.SlugRelatedField(slug_field="code", read_only=True)
    month = serializers.DateField(format="%Y-%m", read_only=True)

    class Meta:
        model = BillingRun
        fields = [
            "id",
            "regional_program",
            "month",
            "kind",
            "status",
            "progress",
            "generated_at",
            "created_at",
            "finalized_at",
        ]
        read_only_fields = fields


class GenerateRunSerializer(serializers.Serializer):
    month = serializers.CharField(max_length=7, help_text="The month to bill, YYYY-MM.")

    def validate_month(self, value):
        try:
            return parse_month(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None


class BillLineSerializer(serializers.ModelSerializer):
    time_entries = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = BillLine
        fields = [
            "service_date",
            "minutes",
            "previously_billed_minutes",
            "units",
            "rule",
            "rate",
            "charge",
            "time_entries",
        ]
        read_only_fields = fields


class BillSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m", read_only=True)
    lines = BillLineSerializer(many=True, read_only=True)

    class Meta:
        model = Bill
        fields = [
            "id",
            "run",
            "person",
            "month",
            "payer_type",
            "coverage",
            "means_test",
            "minutes",
            "units",
            "charge",
            "amount_due",
            "explanation",
            "withdrawn",
            "lines",
        ]
        read_only_fields = fields
