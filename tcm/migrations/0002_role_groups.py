"""Create the four role groups of SPEC.md section 1.

Their model permissions are granted by tcm.signals.grant_role_permissions
after every migrate, once Django has created the permissions of every app.
"""

from django.db import migrations

from tcm.roles import Role


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in Role:
        Group.objects.get_or_create(name=role.value)


class Migration(migrations.Migration):
    dependencies = [
        ("tcm", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
