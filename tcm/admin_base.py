"""The admin base for every domain model: history visible, nothing deletable.

SPEC.md section 3: no one deletes records through the admin. DMH reviewers
hold only view permissions (tcm/roles.py), so Django's admin shows them every
record read-only and answers 403 to any write. History pages list every
version with the fields it changed, old value to new (simple-history's diff).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class KeptRecordAdmin(admin.ModelAdmin):
    """Scoped like the pages, and no deletion for anyone."""

    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over millions of rows per page is waste

    def get_queryset(self, request):
        """Person records through the same scoping as pages and API (reviewers see all)."""
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class AuditedAdmin(KeptRecordAdmin, SimpleHistoryAdmin):
    """Domain models with django-simple-history: version list with diffs, read-only."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show an old version, never restore it.

        simple-history saves a POST to this page (its "revert") after checking only
        the *view* permission, and a revert would bypass the services that sign
        contacts and freeze billed time. Corrections go through the application.
        """
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History is read-only; correct records in the application.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AppendOnlyAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    """Records written only by the application's services: read here, with history."""


class LogAdmin(ReadOnlyAdminMixin, KeptRecordAdmin):
    """Logs the application writes (the access log): no simple-history, they *are* the trail.

    Their history page is Django's own admin log, which stays empty.
    """
