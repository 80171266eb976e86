"""API routes of the compliance app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

from compliance.api.views import FindingViewSet

router = SimpleRouter()
router.register("findings", FindingViewSet, basename="finding")
