"""Signal receivers wired in TcmConfig.ready()."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from tcm.roles import sync_role_groups


def grant_role_permissions(sender, **kwargs):
    """Re-grant role permissions after every migrate, so new models are covered.

    The groups themselves are created by the data migration
    tcm/migrations/0002_role_groups.py. Permissions exist only once
    post_migrate has reached each app, so granting waits for the last one.
    """
    if sender is list(apps.get_app_configs())[-1]:
        sync_role_groups(Group, Permission)
