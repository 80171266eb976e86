from django.contrib import admin

from contacts.models import Addendum, Contact, TimeEntry
from tcm.admin_base import AuditedAdmin


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = [
        "contact_date",
        "person",
        "author",
        "mode",
        "minutes",
        "successful",
        "voided_at",
    ]
    list_filter = ["mode", "successful", "location", "person__regional_program"]
    list_select_related = ["person", "author"]
    search_fields = ["person__last_name", "person__medicaid_id", "author__username"]
    date_hierarchy = "contact_date"
    raw_id_fields = ["person", "author", "voided_by"]


@admin.register(Addendum)
class AddendumAdmin(AuditedAdmin):
    list_display = ["contact", "author", "created_at"]
    list_select_related = ["contact__person", "author"]
    raw_id_fields = ["contact", "author"]


@admin.register(TimeEntry)
class TimeEntryAdmin(AuditedAdmin):
    list_display = ["service_date", "person", "author", "activity", "minutes", "voided_at"]
    list_filter = ["activity", "person__regional_program"]
    list_select_related = ["person", "author"]
    search_fields = ["person__last_name", "person__medicaid_id", "author__username"]
    date_hierarchy = "service_date"
    raw_id_fields = ["person", "author", "contact", "voided_by"]
