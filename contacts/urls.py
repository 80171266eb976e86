"""Pages of the contacts app."""

from django.urls import path

from contacts import views

app_name = "contacts"

urlpatterns = [
    path("persons/<int:person_pk>/new/", views.contact_create, name="contact-create"),
    path("persons/<int:person_pk>/time/", views.timeentry_create, name="timeentry-create"),
    path("persons/<int:person_pk>/timeline/", views.person_timeline, name="person-timeline"),
    path("<int:pk>/", views.contact_detail, name="contact-detail"),
    path("<int:pk>/addenda/", views.contact_addendum, name="contact-addendum"),
    path("<int:pk>/void/", views.contact_void, name="contact-void"),
    path("time/<int:pk>/void/", views.timeentry_void, name="timeentry-void"),
    path("my-time/", views.my_time, name="my-time"),
]
