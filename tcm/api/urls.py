"""The REST API under /api/v1/: every app's resources on one router."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from billing.api.urls import router as billing_router
from compliance.api.urls import router as compliance_router
from contacts.api.urls import router as contacts_router
from people.api.urls import router as people_router
from plans.api.urls import router as plans_router
from tcm.api.auth import ObtainTokenView
from tcm.api.routers import router as tcm_router

router = DefaultRouter()
for app_router in (
    tcm_router,
    people_router,
    plans_router,
    contacts_router,
    compliance_router,
    billing_router,
):
    router.registry.extend(app_router.registry)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
