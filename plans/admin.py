from django.contrib import admin

from plans.models import DesiredOutcome, NeedsAssessment, Plan, PlanService, Provider, Referral
from tcm.admin_base import AuditedAdmin


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "npi", "certified_from", "certified_until"]
    search_fields = ["name", "npi"]


def _is_frozen(plan) -> bool:
    return plan is not None and not plan.is_draft


class FrozenPlanInline(admin.StackedInline):
    """A plan's parts: read-only once the plan is no longer a draft (plans.services)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)


class DesiredOutcomeInline(FrozenPlanInline):
    model = DesiredOutcome


class PlanServiceInline(FrozenPlanInline):
    model = PlanService


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    """Plans are written on the plan pages; here an active or superseded plan is read-only.

    The admin does not approve plans: approval must go through
    plans.services.approve_plan, which supersedes the previous plan atomically.
    """

    list_display = ["person", "version", "status", "meeting_date", "revision_reason"]
    list_filter = ["status", "revision_reason", "person__regional_program"]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "person__medicaid_id"]
    raw_id_fields = ["person"]
    inlines = [DesiredOutcomeInline, PlanServiceInline]
    readonly_fields = ["status", "approved_by", "approved_at"]

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(AuditedAdmin):
    list_display = ["person", "assessed_on", "meets_criteria", "assessed_by"]
    list_filter = ["meets_criteria", "person__regional_program"]
    list_select_related = ["person", "assessed_by"]
    raw_id_fields = ["person"]


@admin.register(Referral)
class ReferralAdmin(AuditedAdmin):
    list_display = ["person", "referred_on", "status", "outcome", "outcome_on"]
    list_filter = ["status", "outcome"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "assessment"]
