from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core.checks import Tags, register
from django.db.models.signals import post_migrate


class TcmConfig(AppConfig):
    name = "tcm"
    verbose_name = "Regional programs and staff"

    def ready(self):
        from tcm.checks import sqlite_supports_full_join
        from tcm.middleware import stamp_session_refresh
        from tcm.signals import grant_role_permissions, watch_page_records

        post_migrate.connect(grant_role_permissions, dispatch_uid="tcm.grant_role_permissions")
        user_logged_in.connect(stamp_session_refresh, dispatch_uid="tcm.stamp_session_refresh")
        watch_page_records()
        register(sqlite_supports_full_join, Tags.database)
