"""API viewsets for persons and representatives (SPEC.md section 6).

Scoped through `visible_to` (out of scope is 404), no destroy, reviewers and
reimbursement officers read-only. Every write calls `people.services`, whose
ValidationError becomes a 400 keyed by field (tcm/api/exceptions.py).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from people import services
from people.api import filters, serializers
from people.audit import log_access
from people.models import Person, Representative
from tcm.api.permissions import WriteRoles
from tcm.roles import Role


class PeopleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reads for every role in scope, writes for case managers and supervisors."""

    write_roles = (Role.CASE_MANAGER, Role.SUPERVISOR)
    access_view = ""

    def get_permissions(self):
        return [*super().get_permissions(), WriteRoles()]

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        log_access(request, getattr(instance, "person_id", instance.pk), self.access_view)
        return Response(self.get_serializer(instance).data)

    def _valid(self, serializer_class, instance=None, partial=False) -> dict:
        serializer = serializer_class(
            instance, data=self.request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class PersonViewSet(PeopleViewSet):
    """Persons with their case episodes; `close` and `reopen` act on the case."""

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    search_fields = ["first_name", "last_name", "preferred_name", "medicaid_id"]
    ordering_fields = ["last_name", "medicaid_id", "date_of_birth"]
    access_view = "api:person-detail"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("episodes")

    def _answer(self, person, code=status.HTTP_200_OK):
        person = Person.objects.prefetch_related("episodes").get(pk=person.pk)
        return Response(serializers.PersonSerializer(person).data, status=code)

    @extend_schema(request=serializers.EnrollSerializer, responses=serializers.PersonSerializer)
    def create(self, request):
        """Enroll a person: the case opens and the case manager is assigned."""
        data = self._valid(serializers.EnrollSerializer)
        data.setdefault("regional_program", request.user.regional_program)
        person = services.enroll_person(actor=request.user, **data)
        return self._answer(person, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.PersonUpdateSerializer, responses=serializers.PersonSerializer
    )
    def update(self, request, pk=None, partial=False):
        person = self.get_object()
        data = self._valid(serializers.PersonUpdateSerializer, person, partial=partial)
        return self._answer(services.update_person(actor=request.user, person=person, **data))

    @extend_schema(
        request=serializers.PersonUpdateSerializer, responses=serializers.PersonSerializer
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)

    @extend_schema(request=serializers.CloseSerializer, responses=serializers.PersonSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the open case episode (reason `refused` for the right to refuse)."""
        person = self.get_object()
        data = self._valid(serializers.CloseSerializer)
        services.close_case(actor=request.user, person=person, **data)
        return self._answer(person)

    @extend_schema(request=serializers.ReopenSerializer, responses=serializers.PersonSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a closed case as a new episode."""
        person = self.get_object()
        data = self._valid(serializers.ReopenSerializer)
        services.reopen_case(actor=request.user, person=person, **data)
        return self._answer(person)


class RepresentativeViewSet(PeopleViewSet):
    """Representatives of the persons in scope; added and changed, never deleted."""

    queryset = Representative.objects.all()
    serializer_class = serializers.RepresentativeSerializer
    filterset_class = filters.RepresentativeFilter
    search_fields = ["name", "relationship"]
    ordering_fields = ["name"]
    access_view = "api:representative-detail"

    @extend_schema(
        request=serializers.RepresentativeSerializer,
        responses=serializers.RepresentativeSerializer,
    )
    def create(self, request):
        data = self._valid(serializers.RepresentativeSerializer)
        representative = services.save_representative(actor=request.user, **data)
        return Response(
            serializers.RepresentativeSerializer(representative).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=serializers.RepresentativeUpdateSerializer,
        responses=serializers.RepresentativeSerializer,
    )
    def update(self, request, pk=None, partial=False):
        representative = self.get_object()
        data = self._valid(serializers.RepresentativeUpdateSerializer, representative, partial)
        representative = services.save_representative(
            actor=request.user,
            person=representative.person,
            representative=representative,
            **data,
        )
        return Response(serializers.RepresentativeSerializer(representative).data)

    @extend_schema(
        request=serializers.RepresentativeUpdateSerializer,
        responses=serializers.RepresentativeSerializer,
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk, partial=True)
