"""Pages of the plans app."""

app_name = "plans"

urlpatterns = []
