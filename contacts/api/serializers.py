"""Serializers of contacts, addenda and time entries.

Writes are validated for shape here and for meaning in contacts.services,
whose ValidationError keys match these field names, so every refusal is a
400 naming the field. Nothing here updates a record: contacts are signed.
"""

from rest_framework import serializers

from contacts.models import Addendum, Contact, TimeEntry
from people.models import Person

MAX_ID = 2**31 - 1


class ScopedPersonField(serializers.PrimaryKeyRelatedField):
    """A person id, accepted only for persons the requesting user may see."""

    def get_queryset(self):
        return Person.objects.visible_to(self.context["request"].user)


class OutcomeIdsField(serializers.ListField):
    """Plan outcomes addressed, as ids; the service checks they belong to the person."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def to_representation(self, data):
        return [outcome.pk for outcome in data.all()]


class AddendumSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = Addendum
        fields = ["id", "contact", "author", "text", "created_at"]
        read_only_fields = ["contact", "created_at"]


class ContactSerializer(serializers.ModelSerializer):
    person = ScopedPersonField()
    author = serializers.StringRelatedField()
    with_whom = serializers.ListField(
        child=serializers.ChoiceField(choices=list(Contact.WITH_WHOM_FIELDS)), allow_empty=False
    )
    outcomes_addressed = OutcomeIdsField(required=False, max_length=100)
    addenda = AddendumSerializer(many=True, read_only=True)
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    travel_minutes = serializers.IntegerField(min_value=0, max_value=24 * 60, default=0)

    class Meta:
        model = Contact
        fields = [
            "id",
            "person",
            "author",
            "contact_date",
            "minutes",
            "travel_minutes",
            "mode",
            "with_whom",
            "location",
            "successful",
            "note",
            "outcomes_addressed",
            "services_declined",
            "coordination",
            "next_steps",
            "next_steps_due_on",
            "signed_at",
            "voided_at",
            "void_reason",
            "addenda",
        ]
        read_only_fields = ["signed_at", "voided_at", "void_reason"]


class TimeEntrySerializer(serializers.ModelSerializer):
    person = ScopedPersonField()
    author = serializers.StringRelatedField()
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    non_billable_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "person",
            "author",
            "service_date",
            "minutes",
            "activity",
            "contact",
            "note",
            "non_billable_reasons",
            "frozen_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["contact", "frozen_at", "voided_at", "void_reason"]


class TimeEntryWithoutNoteSerializer(TimeEntrySerializer):
    """What reimbursement officers see: the time, never the clinical text (SPEC.md section 1)."""

    class Meta(TimeEntrySerializer.Meta):
        fields = [field for field in TimeEntrySerializer.Meta.fields if field != "note"]


class VoidSerializer(serializers.Serializer):
    void_reason = serializers.CharField(max_length=2000)


class AddendumCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
