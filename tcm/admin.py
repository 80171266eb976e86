from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import TokenProxy

from tcm.admin_base import AuditedAdmin
from tcm.models import Certification, RegionalProgram, StaffQualification, User

# Role groups are defined in code (tcm/roles.py) and re-granted on every migrate, so
# edits here would be silently undone; a user's page shows their group. API tokens are
# credentials, not records to audit: nobody browses them.
admin.site.unregister(Group)
admin.site.unregister(TokenProxy)


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
class UserAdmin(DjangoUserAdmin, AuditedAdmin):
    """Staff are deactivated, never deleted: their signatures stay on the record."""

    list_display = ["username", "first_name", "last_name", "regional_program", "is_active"]
    list_filter = ["regional_program", "groups", "is_active"]
    list_select_related = ["regional_program"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Program", {"fields": ["regional_program", "npi"]}),
    ]


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
