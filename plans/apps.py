from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans, assessments and referrals"

    def ready(self):
        from plans import sections  # noqa: F401  (registers the person-page section)
