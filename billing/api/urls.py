"""API routes of the billing app, merged into /api/v1/ by tcm/api/urls.py."""

from rest_framework.routers import SimpleRouter

from billing.api.views import (
    BillingRunViewSet,
    BillViewSet,
    CoverageViewSet,
    MeansTestViewSet,
    RateViewSet,
)

router = SimpleRouter()
router.register("coverages", CoverageViewSet, basename="coverage")
router.register("means-tests", MeansTestViewSet, basename="means-test")
router.register("rates", RateViewSet, basename="rate")
router.register("billing-runs", BillingRunViewSet, basename="billing-run")
router.register("bills", BillViewSet, basename="bill")
