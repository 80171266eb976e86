from django.contrib import admin

from billing.models import Bill, BillingRun, Coverage, MeansTest, Rate
from tcm.admin_base import AppendOnlyAdmin, AuditedAdmin


@admin.register(Coverage)
class CoverageAdmin(AuditedAdmin):
    list_display = [
        "person",
        "payer_type",
        "payer_name",
        "member_id",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["payer_type"]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "member_id"]
    raw_id_fields = ["person"]


@admin.register(MeansTest)
class MeansTestAdmin(AuditedAdmin):
    list_display = ["person", "effective_from", "family_size", "monthly_ability_to_pay"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(Rate)
class RateAdmin(AuditedAdmin):
    list_display = ["procedure_code", "amount_per_unit", "effective_from", "effective_to"]


@admin.register(BillingRun)
class BillingRunAdmin(AppendOnlyAdmin):
    """Runs are made and finalized by the services only; the admin is for audit."""

    list_display = ["regional_program", "month", "kind", "status", "finalized_at"]
    list_filter = ["status", "kind", "regional_program"]
    list_select_related = ["regional_program"]


@admin.register(Bill)
class BillAdmin(AppendOnlyAdmin):
    list_display = ["person", "month", "payer_type", "units", "charge", "amount_due", "run"]
    list_filter = ["payer_type", "withdrawn"]
    list_select_related = ["person", "run__regional_program"]
    search_fields = ["person__last_name", "person__medicaid_id"]
