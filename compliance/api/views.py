"""The findings resource: read for case managers, supervisors and reviewers;
supervisors acknowledge. Scoped by `visible_to`, no create, update or destroy.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from compliance import services
from compliance.api.filters import FindingFilter
from compliance.api.serializers import AcknowledgeSerializer, FindingSerializer
from compliance.models import Finding
from people.audit import log_access
from tcm.api.permissions import HasRole
from tcm.roles import Role


class FindingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Finding.objects.all()
    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    ordering_fields = ["due_date", "period_start", "detected_at"]
    ordering = ["-period_end", "rule", "pk"]
    allowed_roles = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.DMH_REVIEWER)

    def get_permissions(self):
        if self.action == "acknowledge":
            self.allowed_roles = (Role.SUPERVISOR,)
        return [*super().get_permissions(), HasRole()]

    def get_queryset(self):
        return (
            self.queryset.visible_to(self.request.user)
            .select_related("person__regional_program", "acknowledged_by")
            .order_by(*self.ordering)
        )

    def retrieve(self, request, pk=None):
        finding = self.get_object()
        log_access(request, finding.person_id, "api:finding-detail")
        return Response(self.get_serializer(finding).data)

    @extend_schema(request=AcknowledgeSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """A supervisor's acknowledgement with a note; once per finding."""
        serializer = AcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        finding = services.acknowledge_finding(
            finding=self.get_object(), actor=request.user, note=serializer.validated_data["note"]
        )
        return Response(self.get_serializer(finding).data)
