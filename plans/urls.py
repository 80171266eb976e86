"""Pages of the plans app."""

from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/print/", views.plan_print, name="plan-print"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("<int:pk>/outcomes/", views.outcome_add, name="outcome-add"),
    path(
        "<int:pk>/outcomes/<int:outcome_pk>/remove/",
        views.outcome_remove,
        name="outcome-remove",
    ),
    path("<int:pk>/services/", views.service_add, name="service-add"),
    path(
        "<int:pk>/services/<int:service_pk>/remove/",
        views.service_remove,
        name="service-remove",
    ),
    path("person/<int:person_pk>/new/", views.plan_create, name="plan-create"),
    path("person/<int:person_pk>/compare/", views.plan_compare, name="plan-compare"),
    path("person/<int:person_pk>/assessment/", views.assessment_create, name="assessment-create"),
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/<int:pk>/", views.referral_outcome, name="referral-outcome"),
]
