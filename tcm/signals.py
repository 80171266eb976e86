"""Signal receivers wired in TcmConfig.ready()."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalChanges

from tcm import versions
from tcm.roles import sync_role_groups


def grant_role_permissions(sender, **kwargs):
    """Re-grant role permissions after every migrate, so new models are covered.

    The groups themselves are created by the data migration
    tcm/migrations/0002_role_groups.py. Permissions exist only once
    post_migrate has reached each app, so granting waits for the last one.
    """
    if sender is list(apps.get_app_configs())[-1]:
        sync_role_groups(Group, Permission)


# Written on every view of a person or by the dashboard's job, and shown by no
# cached page: bumping for them would empty the cache at each view.
NOT_SHOWN = {("people", "accesslog"), ("compliance", "compliancerate"), ("tcm", "pageversion")}
PAGE_APPS = ("tcm", "people", "contacts", "plans", "compliance", "billing")


def watch_page_records() -> None:
    """Bump the page versions (tcm.versions) on every save and delete of a record pages show.

    Connected to every model of TCM's apps but history and NOT_SHOWN, so a new
    model is covered without anyone remembering to: a record with a path to a
    person bumps that person and their case manager's caseload, anything else
    the shared "records" scope. Writes that bypass save() (bulk updates, the
    set-based SQL of the jobs) call tcm.versions themselves or end with a save of
    their run (EvaluationRun, BillingRun), which bumps "records".
    """
    for app in PAGE_APPS:
        for model in apps.get_app_config(app).get_models():
            if _watched(model):
                post_save.connect(record_saved, sender=model, dispatch_uid=f"page-{model._meta}")
                post_delete.connect(record_saved, sender=model, dispatch_uid=f"page-{model._meta}")
    pre_save.connect(person_moving, sender=apps.get_model("people", "Person"), dispatch_uid="page")
    # A role is a group membership: who is a case manager of a program is shown.
    m2m_changed.connect(roles_changed, sender=get_user_model().groups.through, dispatch_uid="page")


def _watched(model) -> bool:
    return (model._meta.app_label, model._meta.model_name) not in NOT_SHOWN and not issubclass(
        model, HistoricalChanges
    )


def roles_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        versions.bump(versions.RECORDS)


def record_saved(sender, instance, update_fields=None, **kwargs):
    if sender is get_user_model() and update_fields and set(update_fields) == {"last_login"}:
        return  # a log-in, shown on no page
    if sender is apps.get_model("people", "Person"):
        versions.bump(*_person_scopes(instance))
        return
    person_id = _person_id(instance)
    if person_id is None:
        versions.bump(versions.RECORDS)
    else:
        versions.bump_persons([person_id])


def _person_scopes(person) -> list[str]:
    """What a write of a person's own row changes: the person record, the worklists
    of the case managers they join and leave, and the staffing of the programs they
    join and leave (caseload sizes), all known from the instance without a query."""
    left_by, left_program = getattr(person, "_left", (None, None))
    scopes = {versions.person_scope(person.pk), versions.staffing_scope(person.regional_program_id)}
    scopes |= {versions.caseload_scope(pk) for pk in (person.case_manager_id, left_by) if pk}
    if left_program:
        scopes.add(versions.staffing_scope(left_program))
    return sorted(scopes)


def person_moving(sender, instance, **kwargs):
    """Remember the case manager and program a saved person leaves: their pages change too."""
    if instance.pk is not None:
        old = sender.objects.filter(pk=instance.pk).values_list(
            "case_manager_id", "regional_program_id"
        )
        instance._left = next(iter(old), (None, None))


def _person_id(instance) -> int | None:
    """The person a record belongs to, following its queryset's `person_path`."""
    if instance._meta.model_name == "person" and instance._meta.app_label == "people":
        return instance.pk
    path = getattr(instance.__class__.objects.all(), "person_path", "")
    if not path:
        path = "person__" if hasattr(instance, "person_id") else ""
    if not path:
        return None
    *steps, last = path.rstrip("_").split("__")
    target = instance
    for step in steps:
        target = getattr(target, step)
    return getattr(target, f"{last}_id")
