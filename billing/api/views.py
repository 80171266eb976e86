"""API of billing: coverages, means-tests, rates, billing-runs (+ finalize), bills.

Reimbursement officers write; supervisors of the program and DMH reviewers
read; case managers get 403. No deletes anywhere; runs and bills change only
through the billing services.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response

from billing import services
from billing.api.serializers import (
    BillingRunSerializer,
    BillSerializer,
    CoverageSerializer,
    GenerateRunSerializer,
    MeansTestSerializer,
    RateSerializer,
)
from billing.models import Bill, BillingRun, BillLine, Coverage, MeansTest, Rate, billing_scope
from people.audit import log_access
from tcm.api.permissions import HasRole, ReviewersReadOnly
from tcm.roles import Role

READERS = (Role.REIMBURSEMENT_OFFICER, Role.SUPERVISOR, Role.DMH_REVIEWER)
WRITERS = (Role.REIMBURSEMENT_OFFICER,)


class BillingViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, ReviewersReadOnly, HasRole]

    @property
    def allowed_roles(self):
        return READERS if self.request.method in SAFE_METHODS else WRITERS


class RecordViewSet(
    BillingViewSet,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
):
    """Create, read and correct; saving goes through the record service (full_clean)."""

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        person_id = getattr(record, "person_id", None)
        if person_id is not None:  # coverage and means tests are part of a person's record
            log_access(request, person_id, f"api:{self.basename}-detail")
        return Response(self.get_serializer(record).data)

    def perform_create(self, serializer):
        serializer.instance = services.save_record(
            record=serializer.Meta.model(**serializer.validated_data), actor=self.request.user
        )

    def perform_update(self, serializer):
        record = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(record, name, value)
        services.save_record(record=record, actor=self.request.user)


class CoverageViewSet(RecordViewSet):
    queryset = Coverage.objects.all()
    serializer_class = CoverageSerializer

    def get_queryset(self):
        return Coverage.objects.filter(billing_scope(self.request.user, via="person__"))


class MeansTestViewSet(RecordViewSet):
    queryset = MeansTest.objects.all()
    serializer_class = MeansTestSerializer

    def get_queryset(self):
        return MeansTest.objects.filter(billing_scope(self.request.user, via="person__"))


class RateViewSet(RecordViewSet):
    """Rates are statewide, not a person's record: every billing role reads them."""

    queryset = Rate.objects.all()
    serializer_class = RateSerializer


class BillingRunViewSet(BillingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = BillingRun.objects.select_related("regional_program")
    serializer_class = BillingRunSerializer

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)

    @extend_schema(request=GenerateRunSerializer, responses={202: BillingRunSerializer})
    def create(self, request):
        """Start generating a month's run for the officer's program; poll it for progress."""
        serializer = GenerateRunSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.start_generation(
            month=serializer.validated_data["month"],
            regional_program=request.user.regional_program,
            actor=request.user,
        )
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=BillingRunSerializer)
    @action(detail=True, methods=["post"])
    def finalize(self, request, pk=None):
        run = services.finalize_run(run=self.get_object(), actor=request.user)
        return Response(self.get_serializer(run).data)


class BillViewSet(BillingViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    queryset = Bill.objects.prefetch_related(
        Prefetch("lines", queryset=BillLine.objects.prefetch_related("time_entries"))
    )
    serializer_class = BillSerializer
    filterset_fields = ["run", "person", "payer_type"]

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        bill = self.get_object()
        log_access(request, bill.person_id, "api:bill-detail")
        return Response(self.get_serializer(bill).data)
