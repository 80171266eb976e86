"""Pages of the compliance app, mounted at /compliance/."""

from django.urls import path

from compliance import views

app_name = "compliance"

urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("evaluate/", views.evaluate_now, name="evaluate-now"),
    path("findings/", views.finding_list, name="finding-list"),
    path("findings.csv", views.finding_csv, name="finding-csv"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/acknowledge/", views.finding_ack, name="finding-ack"),
]
