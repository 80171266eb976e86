"""API permissions shared by every resource."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from tcm.roles import Role


class ReviewersReadOnly(BasePermission):
    """DMH reviewers audit read-only: every write is 403 (SPEC.md section 1)."""

    message = "DMH reviewers have read-only access."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return not (user and user.is_authenticated and user.role == Role.DMH_REVIEWER)


class HasRole(BasePermission):
    """Allow only the roles listed on the view as `allowed_roles` (all when absent)."""

    message = "Your role does not allow this action."

    def has_permission(self, request, view):
        allowed = getattr(view, "allowed_roles", None)
        return allowed is None or request.user.is_superuser or request.user.role in allowed


class WriteRoles(BasePermission):
    """Writes only for the roles in the view's `write_roles`; reads are left to scoping."""

    message = "Your role does not allow this change."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return request.user.is_superuser or request.user.role in view.write_roles
