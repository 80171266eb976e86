"""The admin base for every domain model: history visible, nothing deletable.

SPEC.md section 3: no one deletes records through the admin. DMH reviewers
hold only view permissions (tcm/roles.py), so Django's admin shows them every
record read-only and answers 403 to any write.
"""

from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over millions of rows per page is waste

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class AppendOnlyAdmin(AuditedAdmin):
    """Records that are written only by the application (logs): never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
