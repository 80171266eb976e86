"""API of contacts (+ void, addenda) and time entries.

There is no update and no delete: a contact is signed when logged, and time
is corrected by voiding and logging anew (SPEC.md section 3). Any other
method on these routes answers 405 saying so. Only case managers write;
reimbursement officers read time entries without their notes and do not
read contacts at all, since a contact is clinical text.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from contacts import services
from contacts.api.serializers import (
    AddendumCreateSerializer,
    AddendumSerializer,
    ContactSerializer,
    TimeEntrySerializer,
    TimeEntryWithoutNoteSerializer,
    VoidSerializer,
)
from contacts.models import Contact, TimeEntry
from people.audit import log_access
from tcm.api.permissions import HasRole, ReviewersReadOnly
from tcm.roles import Role

SIGNED_MESSAGE = (
    "Signed records cannot be changed or deleted: add an addendum, or void with a reason "
    "and log a new entry."
)
WRITERS = (Role.CASE_MANAGER,)


class SignedRecordViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Create, list and read; every attempt to change or delete gets a clear 405."""

    permission_classes = [IsAuthenticated, ReviewersReadOnly, HasRole]
    readers: tuple[Role, ...] | None = None
    access_view = ""

    @property
    def allowed_roles(self):
        return self.readers if self.request.method in SAFE_METHODS else WRITERS

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise MethodNotAllowed(request.method, detail=SIGNED_MESSAGE)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        log_access(request, instance.person_id, self.access_view)
        return Response(self.get_serializer(instance).data)

    def respond(self, instance, status_code=status.HTTP_200_OK):
        """Answer with the record as stored, re-read through the view's queryset."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def void_with(self, service, **record):
        serializer = VoidSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        instance = service(
            actor=self.request.user, reason=serializer.validated_data["void_reason"], **record
        )
        return self.respond(instance)


class ContactViewSet(SignedRecordViewSet):
    queryset = Contact.objects.select_related("person", "author").prefetch_related(
        "outcomes_addressed", "addenda__author"
    )
    serializer_class = ContactSerializer
    readers = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.DMH_REVIEWER)
    access_view = "api:contact-detail"
    filterset_fields = ["person", "mode", "successful", "contact_date"]
    ordering_fields = ["contact_date", "id"]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["outcome_ids"] = data.pop("outcomes_addressed", [])
        contact = services.log_contact(actor=request.user, **data)
        return self.respond(contact, status.HTTP_201_CREATED)

    @extend_schema(request=VoidSerializer, responses=ContactSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void the contact and the time entries it created, with a reason."""
        return self.void_with(services.void_contact, contact=self.get_object())

    @extend_schema(methods=["GET"], responses=AddendumSerializer(many=True))
    @extend_schema(methods=["POST"], request=AddendumCreateSerializer, responses=AddendumSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def addenda(self, request, pk=None):
        """The contact's addenda, oldest first; POST adds one."""
        contact = self.get_object()
        if request.method in SAFE_METHODS:
            return Response(AddendumSerializer(contact.addenda.all(), many=True).data)
        serializer = AddendumCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addendum = services.add_addendum(
            actor=request.user, contact=contact, text=serializer.validated_data["text"]
        )
        return Response(AddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)


class TimeEntryViewSet(SignedRecordViewSet):
    queryset = TimeEntry.objects.select_related("person", "author")
    serializer_class = TimeEntrySerializer
    access_view = "api:time-entry-detail"
    filterset_fields = ["person", "activity", "service_date", "contact"]
    ordering_fields = ["service_date", "id"]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user).with_billing_gate()

    def get_serializer_class(self):
        if getattr(self.request.user, "role", None) == Role.REIMBURSEMENT_OFFICER:
            return TimeEntryWithoutNoteSerializer
        return TimeEntrySerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.log_time_entry(actor=request.user, **serializer.validated_data)
        return self.respond(entry, status.HTTP_201_CREATED)

    @extend_schema(request=VoidSerializer, responses=TimeEntrySerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void the entry with a reason; refused once a finalized bill run has billed it."""
        return self.void_with(services.void_time_entry, entry=self.get_object())
