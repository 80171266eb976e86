"""Admin of contacts and time: for reading and auditing, never for writing.

Contacts are signed when logged and time entries feed billing, so both are
written only through contacts.services (the pages and the API); here every
record is read-only with its history, and a notice says where corrections go.
"""

from django.contrib import admin, messages

from contacts.models import Addendum, Contact, TimeEntry
from tcm.admin_base import AppendOnlyAdmin

SIGNED_NOTICE = (
    "Signed records cannot be edited or deleted. Correct a contact with an addendum, "
    "or void it with a reason and log a new one, from the contact page."
)


class SignedRecordAdmin(AppendOnlyAdmin):
    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            messages.info(request, SIGNED_NOTICE)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Contact)
class ContactAdmin(SignedRecordAdmin):
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
class AddendumAdmin(SignedRecordAdmin):
    list_display = ["contact", "author", "created_at"]
    list_select_related = ["contact__person", "author"]
    raw_id_fields = ["contact", "author"]


@admin.register(TimeEntry)
class TimeEntryAdmin(SignedRecordAdmin):
    list_display = ["service_date", "person", "author", "activity", "minutes", "voided_at"]
    list_filter = ["activity", "person__regional_program"]
    list_select_related = ["person", "author"]
    search_fields = ["person__last_name", "person__medicaid_id", "author__username"]
    date_hierarchy = "service_date"
    raw_id_fields = ["person", "author", "contact", "voided_by"]
