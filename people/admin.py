from django.contrib import admin

from people.models import (
    AccessLog,
    CaseAssignment,
    CaseEpisode,
    LivingArrangement,
    Person,
    Representative,
)
from tcm.admin_base import AuditedAdmin, LogAdmin


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["last_name", "first_name", "medicaid_id", "regional_program", "case_manager"]
    list_filter = ["regional_program"]
    list_select_related = ["regional_program", "case_manager"]
    search_fields = ["last_name", "first_name", "medicaid_id"]
    raw_id_fields = ["case_manager"]


@admin.register(CaseEpisode)
class CaseEpisodeAdmin(AuditedAdmin):
    list_display = ["person", "opened_on", "closed_on", "closure_reason"]
    list_filter = ["closure_reason", "person__regional_program"]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "person__medicaid_id"]
    raw_id_fields = ["person"]


@admin.register(Representative)
class RepresentativeAdmin(AuditedAdmin):
    list_display = [
        "name",
        "person",
        "relationship",
        "is_family",
        "is_legal_representative",
        "is_responsible_party",
    ]
    list_filter = ["is_legal_representative", "is_family", "is_responsible_party"]
    list_select_related = ["person"]
    search_fields = ["name", "person__last_name"]
    raw_id_fields = ["person"]


@admin.register(LivingArrangement)
class LivingArrangementAdmin(AuditedAdmin):
    list_display = ["person", "arrangement", "effective_from", "effective_to"]
    list_filter = ["arrangement"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(CaseAssignment)
class CaseAssignmentAdmin(AuditedAdmin):
    list_display = ["person", "case_manager", "assigned_on", "ended_on", "assigned_by"]
    list_filter = ["person__regional_program"]
    list_select_related = ["person", "case_manager", "assigned_by"]
    search_fields = ["person__last_name", "person__medicaid_id", "case_manager__username"]
    raw_id_fields = ["person", "case_manager", "assigned_by"]


@admin.register(AccessLog)
class AccessLogAdmin(LogAdmin):
    list_display = ["accessed_at", "user", "person", "view", "ip_address"]
    list_filter = ["view", "accessed_at"]
    list_select_related = ["user", "person"]
    search_fields = ["person__last_name", "person__medicaid_id", "user__username"]
    date_hierarchy = "accessed_at"
    raw_id_fields = ["person", "user"]
