"""Serializers of the regions and staff resources."""

from rest_framework import serializers

from tcm.models import RegionalProgram, User


class RegionalProgramSerializer(serializers.ModelSerializer):
    certified_today = serializers.BooleanField(read_only=True)

    class Meta:
        model = RegionalProgram
        fields = [
            "id",
            "code",
            "name",
            "address_line",
            "city",
            "state",
            "postal_code",
            "phone",
            "npi",
            "tax_id",
            "certified_today",
        ]


class StaffSerializer(serializers.ModelSerializer):
    """A staff member, their role and whether they are qualified today (SPEC.md section 2)."""

    role = serializers.CharField(read_only=True, allow_null=True)
    qualified_today = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "regional_program",
            "npi",
            "role",
            "qualified_today",
        ]
