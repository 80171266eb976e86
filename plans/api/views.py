"""API viewsets for plans, assessments and referrals (SPEC.md section 6).

Scoped exactly like persons (`visible_to`), no destroy, reviewers read-only
(the default ReviewersReadOnly permission). Every write calls plans.services,
whose ValidationError becomes a 400 keyed by field (tcm/api/exceptions.py).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from people.audit import log_access
from plans import services
from plans.api import serializers
from plans.models import NeedsAssessment, Plan, Referral
from tcm.api.permissions import HasRole, WriteRoles
from tcm.roles import Role

PLAN_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.DMH_REVIEWER)


class ScopedViewSet(viewsets.GenericViewSet):
    """Scoping, role gates and the access log shared by the three resources."""

    allowed_roles = PLAN_ROLES
    write_roles = (Role.CASE_MANAGER, Role.SUPERVISOR)
    access_view = ""

    def get_permissions(self):
        return [*super().get_permissions(), HasRole(), WriteRoles()]

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        log_access(request, instance.person_id, self.access_view)
        return Response(self.get_serializer(instance).data)


class PlanViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Plan versions; only a draft changes, and `approve` makes it the active plan."""

    queryset = Plan.objects.all()
    serializer_class = serializers.PlanSerializer
    filterset_fields = ["person", "status"]
    ordering_fields = ["meeting_date", "version"]
    access_view = "api:plan-detail"

    def get_queryset(self):
        return super().get_queryset().with_content()

    def _answer(self, plan, code=status.HTTP_200_OK):
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(serializers.PlanSerializer(plan).data, status=code)

    @extend_schema(request=serializers.PlanCreateSerializer, responses=serializers.PlanSerializer)
    def create(self, request):
        data = self._valid(serializers.PlanCreateSerializer)
        plan = services.create_plan(actor=request.user, **data)
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.PlanUpdateSerializer, responses=serializers.PlanSerializer)
    def update(self, request, pk=None):
        data = self._valid(serializers.PlanUpdateSerializer)
        return self._answer(
            services.update_plan(actor=request.user, plan=self.get_object(), **data)
        )

    @extend_schema(request=None, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.approve_plan(actor=request.user, plan=self.get_object()))

    @extend_schema(request=serializers.OutcomeSerializer, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"], url_path="add-outcome")
    def add_outcome(self, request, pk=None):
        data = self._valid(serializers.OutcomeSerializer)
        plan = self.get_object()
        services.add_outcome(actor=request.user, plan=plan, **data)
        return self._answer(plan)

    @extend_schema(request=serializers.RemoveRowSerializer, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"], url_path="remove-outcome")
    def remove_outcome(self, request, pk=None):
        plan = self.get_object()
        outcome = get_object_or_404(
            plan.outcomes, pk=self._valid(serializers.RemoveRowSerializer)["id"]
        )
        services.remove_outcome(actor=request.user, outcome=outcome)
        return self._answer(plan)

    @extend_schema(request=serializers.PlanServiceSerializer, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"], url_path="add-service")
    def add_service(self, request, pk=None):
        data = self._valid(serializers.PlanServiceSerializer)
        plan = self.get_object()
        services.add_service(actor=request.user, plan=plan, **data)
        return self._answer(plan)

    @extend_schema(request=serializers.RemoveRowSerializer, responses=serializers.PlanSerializer)
    @action(detail=True, methods=["post"], url_path="remove-service")
    def remove_service(self, request, pk=None):
        plan = self.get_object()
        row = get_object_or_404(
            plan.services, pk=self._valid(serializers.RemoveRowSerializer)["id"]
        )
        services.remove_service(actor=request.user, service=row)
        return self._answer(plan)

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class AssessmentViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Needs-based reassessments; recording "does not meet criteria" opens a D&E referral."""

    queryset = NeedsAssessment.objects.all()
    serializer_class = serializers.AssessmentSerializer
    filterset_fields = ["person", "meets_criteria"]
    ordering_fields = ["assessed_on"]
    access_view = "api:assessment-detail"

    def get_queryset(self):
        return super().get_queryset().select_related("referral")

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = services.record_assessment(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)


class ReferralViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Referrals to the regional D&E team; supervisors record review and outcome."""

    queryset = Referral.objects.all()
    serializer_class = serializers.ReferralSerializer
    filterset_fields = ["person", "status", "outcome"]
    ordering_fields = ["referred_on"]
    write_roles = (Role.SUPERVISOR,)
    access_view = "api:referral-detail"

    @extend_schema(request=None, responses=serializers.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        referral = services.start_referral_review(actor=request.user, referral=self.get_object())
        return Response(self.get_serializer(referral).data)

    @extend_schema(
        request=serializers.ReferralOutcomeSerializer, responses=serializers.ReferralSerializer
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        data = serializers.ReferralOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.record_referral_outcome(
            actor=request.user, referral=self.get_object(), **data.validated_data
        )
        return Response(self.get_serializer(referral).data)
