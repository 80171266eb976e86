from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tcm.admin_base import AuditedAdmin
from tcm.models import Certification, RegionalProgram, StaffQualification, User


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    can_delete = False


@admin.register(RegionalProgram)
class RegionalProgramAdmin(AuditedAdmin):
    list_display = ["code", "name", "city", "npi"]
    search_fields = ["code", "name"]
    inlines = [CertificationInline]


@admin.register(Certification)
class CertificationAdmin(AuditedAdmin):
    list_display = ["regional_program", "certificate_number", "certified_from", "certified_until"]
    list_filter = ["regional_program"]
    list_select_related = ["regional_program"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "regional_program", "is_active"]
    list_filter = ["regional_program", "groups", "is_active"]
    list_select_related = ["regional_program"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Program", {"fields": ["regional_program", "npi"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate staff instead: their signatures stay on the record


@admin.register(StaffQualification)
class StaffQualificationAdmin(AuditedAdmin):
    list_display = [
        "staff",
        "effective_from",
        "effective_to",
        "css_credential",
        "qddp",
        "qualified_from",
    ]
    list_filter = ["css_credential", "qddp", "lsw_license", "staff__regional_program"]
    list_select_related = ["staff"]
    search_fields = ["staff__username", "staff__last_name"]
    readonly_fields = ["qualified_from"]
