"""Top-level URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tcm import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("persons/", include("people.urls")),
    path("plans/", include("plans.urls")),
    path("contacts/", include("contacts.urls")),
    path("compliance/", include("compliance.urls")),
    path("billing/", include("billing.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tcm.api.urls")),
]

admin.site.site_header = "TCM administration"
admin.site.site_title = "TCM admin"
admin.site.index_title = "Records and their history"
