"""Findings and evaluation runs in the admin: the engine writes them, people read them.

Findings are opened and resolved only by the engine; the admin may not add
them, and only the acknowledgement is editable (supervisors use the page).
"""

from django.contrib import admin

from compliance.models import EvaluationRun, Finding
from tcm.admin_base import AppendOnlyAdmin, AuditedAdmin


@admin.register(Finding)
class FindingAdmin(AuditedAdmin):
    list_display = ["person", "rule", "period_start", "period_end", "due_date", "status"]
    list_filter = ["rule", "status", "person__regional_program"]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "person__medicaid_id"]
    date_hierarchy = "period_end"
    raw_id_fields = ["person", "acknowledged_by"]
    readonly_fields = [
        "person",
        "rule",
        "period_start",
        "period_end",
        "due_date",
        "status",
        "explanation",
        "evidence",
        "citation",
        "detected_at",
        "resolved_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(EvaluationRun)
class EvaluationRunAdmin(AppendOnlyAdmin):
    list_display = ["as_of", "started_at", "finished_at", "status", "opened_count", "open_total"]
    list_filter = ["status"]
