"""TCM's URLs plus /bench/bare/, the yardstick of the load benchmark."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    """The cheapest view behind the same middleware (session, login, CSRF): no query of its own."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("tcm.urls")),
]
