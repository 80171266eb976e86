"""API shapes of plans, assessments and referrals; writes go through plans.services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from people.models import Person
from plans.models import DesiredOutcome, NeedsAssessment, Plan, PlanService, Provider, Referral


@extend_schema_field(OpenApiTypes.INT)
class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the requesting user may see; anyone else reads as "does not exist"."""

    def get_queryset(self):
        return Person.objects.visible_to(self.context["request"].user)


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DesiredOutcome
        fields = ["id", "description", "position"]
        read_only_fields = ["position"]


class PlanServiceSerializer(serializers.ModelSerializer):
    """A service with its informed-choice record: the certified providers presented."""

    provider = serializers.PrimaryKeyRelatedField(queryset=Provider.objects.all())
    providers_presented = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(), many=True
    )

    class Meta:
        model = PlanService
        fields = [
            "id",
            "service",
            "provider",
            "providers_presented",
            "frequency",
            "start_date",
            "choice_recorded_on",
        ]


class PlanSerializer(serializers.ModelSerializer):
    outcomes = OutcomeSerializer(many=True, read_only=True)
    services = PlanServiceSerializer(many=True, read_only=True)
    next_revision_due = serializers.DateField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "person",
            "version",
            "status",
            "meeting_date",
            "revision_reason",
            "participants",
            "next_revision_due",
            "created_by",
            "created_at",
            "approved_by",
            "approved_at",
            "outcomes",
            "services",
        ]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):
    person = VisiblePersonField()
    meeting_date = serializers.DateField()
    revision_reason = serializers.ChoiceField(choices=Plan.RevisionReason.choices)
    participants = serializers.CharField(required=False, allow_blank=True, default="")
    copy_active = serializers.BooleanField(
        required=False, default=True, help_text="Start from the active plan's content."
    )


class PlanUpdateSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    revision_reason = serializers.ChoiceField(choices=Plan.RevisionReason.choices)
    participants = serializers.CharField(allow_blank=True)


class RemoveRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The outcome or service to take out of the draft.")


class ReferralSerializer(serializers.ModelSerializer):
    due_on = serializers.DateField(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "person",
            "assessment",
            "referred_on",
            "due_on",
            "status",
            "outcome",
            "outcome_on",
            "notes",
        ]
        read_only_fields = fields


class ReferralOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Referral.Outcome.choices)
    outcome_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentSerializer(serializers.ModelSerializer):
    person = VisiblePersonField()
    referral = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = NeedsAssessment
        fields = [
            "id",
            "person",
            "assessed_on",
            "meets_criteria",
            "notes",
            "assessed_by",
            "created_at",
            "referral",
        ]
        read_only_fields = ["assessed_by", "created_at", "referral"]
