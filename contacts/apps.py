from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = "Contacts and time"

    def ready(self):
        from contacts import sections  # noqa: F401  (registers the person page's timeline)
