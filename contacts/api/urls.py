"""API routes of the contacts app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

from contacts.api.views import ContactViewSet, TimeEntryViewSet

router = SimpleRouter()
router.register("contacts", ContactViewSet, basename="contact")
router.register("time-entries", TimeEntryViewSet, basename="time-entry")
