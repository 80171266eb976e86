"""Pages of the billing app."""

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.run_list, name="run-list"),
    path("runs/generate/", views.run_generate, name="run-generate"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/finalize/", views.run_finalize, name="run-finalize"),
    path("runs/<int:pk>/bills.csv", views.run_csv_download, name="run-csv"),
    path("runs/<int:pk>/claims.837p", views.run_837p_download, name="run-837p"),
    path("bills/<int:pk>/", views.bill_detail, name="bill-detail"),
    path("bills/<int:pk>/statement.pdf", views.bill_pdf, name="bill-pdf"),
]
