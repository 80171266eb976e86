"""Records that are never deleted (SPEC.md section 3; 45 CFR 164.312(c)(1), integrity).

A model that inherits `Undeletable` refuses deletion however it is asked:
`instance.delete()` raises at once, and every other ORM path (`QuerySet.delete()`,
a cascade from a parent row) goes through Django's deletion collector, which
sends `pre_delete` for each row before it deletes anything; the receiver
connected here for each Undeletable model raises, and the collector's
transaction rolls back (and, like any error inside `atomic()`, leaves an
enclosing transaction unusable: callers do not catch it and carry on).
Mistakes are corrected by voiding, closing or superseding, never by removing
the record.

The error is a `PermissionDenied`, so a page or API view that ever tried to
delete answers 403 rather than 500.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import pre_delete


class DeletionRefused(PermissionDenied):
    """Raised on any attempt to delete a record that must be kept."""


def _refuse_deletion(sender, instance, **kwargs):
    raise DeletionRefused(
        f"{sender._meta.verbose_name_plural.capitalize()} are never deleted; "
        "void, close or supersede the record instead."
    )


class Undeletable(models.Model):
    """Abstract base for clinical and billing records: no row is ever deleted."""

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Per-model receivers, not one for every sender: a receiver for all models
        # would stop Django from fast-deleting unrelated rows (expired sessions).
        uid = f"undeletable:{cls.__module__}.{cls.__qualname__}"
        pre_delete.connect(_refuse_deletion, sender=cls, weak=False, dispatch_uid=uid)

    def delete(self, *args, **kwargs):
        _refuse_deletion(type(self), self)
