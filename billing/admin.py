from django.contrib import admin

from billing.models import Coverage, MeansTest, Rate
from tcm.admin_base import AuditedAdmin


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
