"""API shapes of findings: read-only, plus the acknowledgement note."""

from rest_framework import serializers

from compliance.models import Finding


class FindingSerializer(serializers.ModelSerializer):
    case_manager = serializers.IntegerField(
        source="person.case_manager_id", read_only=True, allow_null=True
    )
    region = serializers.CharField(source="person.regional_program.code", read_only=True)
    acknowledged_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "person",
            "case_manager",
            "region",
            "rule",
            "period_start",
            "period_end",
            "due_date",
            "status",
            "explanation",
            "evidence",
            "citation",
            "detected_at",
            "resolved_at",
            "acknowledged_by",
            "acknowledged_at",
            "acknowledgement_note",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="What was done about the finding.")
