"""API routes of the tcm app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

from tcm.api.views import RegionalProgramViewSet, StaffViewSet

router = SimpleRouter()
router.register("regions", RegionalProgramViewSet, basename="region")
router.register("staff", StaffViewSet, basename="staff")
