"""Pages of the people app."""

app_name = "people"

urlpatterns = []
