"""API routes of the plans app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

from plans.api.views import AssessmentViewSet, PlanViewSet, ReferralViewSet

router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("referrals", ReferralViewSet, basename="referral")
