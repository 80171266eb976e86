"""View decorators for role gates on pages."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tcm.roles import Role

READ_METHODS = ("GET", "HEAD", "OPTIONS")


def role_required(*roles: Role, reviewers_may_read: bool = False):
    """Allow only `roles` (403 otherwise); superusers always pass.

    With reviewers_may_read, DMH reviewers may GET the page but never write.
    Scoping of *which* records stays in the queryset (404 outside scope).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            user = request.user
            allowed = user.is_superuser or user.role in roles
            if reviewers_may_read and user.role == Role.DMH_REVIEWER:
                allowed = request.method in READ_METHODS
            if not allowed:
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
