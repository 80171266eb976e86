"""Pages of the people app, mounted at /persons/."""

from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person-list"),
    path("enroll/", views.person_enroll, name="person-enroll"),
    path("reassign/", views.person_reassign, name="person-reassign"),
    path("<int:pk>/", views.person_detail, name="person-detail"),
    path("<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("<int:pk>/close/", views.person_close, name="person-close"),
    path("<int:pk>/reopen/", views.person_reopen, name="person-reopen"),
    path(
        "<int:pk>/living-arrangement/",
        views.living_arrangement_change,
        name="living-arrangement-change",
    ),
    path(
        "<int:pk>/representatives/add/",
        views.representative_edit,
        name="representative-add",
    ),
    path(
        "<int:pk>/representatives/<int:representative_pk>/",
        views.representative_edit,
        name="representative-edit",
    ),
]
