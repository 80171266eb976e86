from django.contrib import admin

from plans.models import DesiredOutcome, NeedsAssessment, Plan, PlanService, Provider, Referral
from tcm.admin_base import AuditedAdmin


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["name", "npi", "certified_from", "certified_until"]
    search_fields = ["name", "npi"]


class DesiredOutcomeInline(admin.StackedInline):
    model = DesiredOutcome
    extra = 0
    can_delete = False


class PlanServiceInline(admin.StackedInline):
    model = PlanService
    extra = 0
    can_delete = False


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["person", "version", "status", "meeting_date", "revision_reason"]
    list_filter = ["status", "revision_reason", "person__regional_program"]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "person__medicaid_id"]
    raw_id_fields = ["person"]
    inlines = [DesiredOutcomeInline, PlanServiceInline]


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
