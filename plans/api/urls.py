"""API routes of the plans app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
