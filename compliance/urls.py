"""Pages of the compliance app."""

app_name = "compliance"

urlpatterns = []
