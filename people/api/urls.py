"""API routes of the people app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

from people.api.views import PersonViewSet, RepresentativeViewSet

router = SimpleRouter()
router.register("persons", PersonViewSet, basename="person")
router.register("representatives", RepresentativeViewSet, basename="representative")
