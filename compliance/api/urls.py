"""API routes of the compliance app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
