"""Serializers of the people API; field names are SPEC.md's words."""

from django.utils import timezone
from rest_framework import serializers

from people.models import CaseEpisode, LivingArrangement, Person, Representative
from people.services import PERSON_FIELDS, REPRESENTATIVE_FIELDS
from tcm.models import RegionalProgram, User
from tcm.roles import Role


class CaseEpisodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEpisode
        fields = ["id", "opened_on", "closed_on", "closure_reason", "closure_note"]


class PersonSerializer(serializers.ModelSerializer):
    """A person as read; `status` is whether the case is open today."""

    status = serializers.SerializerMethodField()
    episodes = CaseEpisodeSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS, "regional_program", "case_manager", "status", "episodes"]

    def get_status(self, person) -> str:
        today = timezone.localdate()
        episodes = person.episodes.all()  # prefetched by the viewset
        is_open = any(e.opened_on <= today and (e.closed_on is None) for e in episodes)
        return "open" if is_open else "closed"


class PersonUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = PERSON_FIELDS


class EnrollSerializer(PersonUpdateSerializer):
    """Enrolling: the person, the program (default: the caller's), case manager, opening."""

    regional_program = serializers.PrimaryKeyRelatedField(
        queryset=RegionalProgram.objects.all(), required=False
    )
    case_manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.with_role(Role.CASE_MANAGER)
    )
    opened_on = serializers.DateField()
    arrangement = serializers.ChoiceField(
        choices=LivingArrangement.Arrangement.choices, required=False
    )

    class Meta(PersonUpdateSerializer.Meta):
        fields = [*PERSON_FIELDS, "regional_program", "case_manager", "opened_on", "arrangement"]


class CloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    closure_reason = serializers.ChoiceField(choices=CaseEpisode.ClosureReason.choices)
    closure_note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReopenSerializer(serializers.Serializer):
    opened_on = serializers.DateField()


class RepresentativeSerializer(serializers.ModelSerializer):
    """A representative; `person` is chosen among the persons the caller may see."""

    class Meta:
        model = Representative
        fields = ["id", "person", *REPRESENTATIVE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "person" in self.fields:
            self.fields["person"].queryset = Person.objects.visible_to(request.user)


class RepresentativeUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Representative
        fields = REPRESENTATIVE_FIELDS
