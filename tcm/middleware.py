"""Request middleware of the project."""

import time

from django.conf import settings
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


class IdleTimeoutMiddleware:
    """Push the session's idle expiry forward at most once every TCM_SESSION_REFRESH_SECONDS.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) was an
    UPDATE and a COMMIT on every page view and form post, a third of a bare
    request's database work (bench/EXPLAIN.md). Refreshed at most once a minute,
    a session still ends between TCM_SESSION_IDLE_MINUTES less a minute and
    TCM_SESSION_IDLE_MINUTES after the last request: never later than before.
    Placed after SessionMiddleware, so the session it marks is saved on the way out.
    """

    KEY = "tcm_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        if not session.is_empty() and not session.modified:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.TCM_SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return response


def stamp_session_refresh(sender, request, user, **kwargs):
    """Logging in saves the session with a fresh expiry: the next refresh is a minute away.

    Connected to `user_logged_in` in TcmConfig.ready().
    """
    request.session[IdleTimeoutMiddleware.KEY] = int(time.time())
