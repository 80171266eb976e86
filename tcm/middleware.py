"""Request middleware of the project."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Login everywhere, except the REST API.

    The API authenticates with session *or token* inside DRF's view, after
    middleware runs, so an anonymous-looking token request must reach DRF,
    which answers 401/403 itself (its default permission is IsAuthenticated).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
