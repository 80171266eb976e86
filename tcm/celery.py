"""The Celery application and its beat schedule (the one place schedules live)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcm.settings")

app = Celery("tcm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Expired sessions pile up because every request extends an idle session.
    "clear-expired-sessions": {
        "task": "tcm.tasks.clear_expired_sessions",
        "schedule": crontab(minute=15, hour=3),
    },
    # SPEC.md section 4: every night, so the morning worklist and dashboard are current.
    "evaluate-compliance": {
        "task": "compliance.tasks.evaluate_compliance_task",
        "schedule": crontab(minute=30, hour=1),
    },
    # SPEC.md section 6: draft last month's bills on the first of the month.
    "draft-last-months-bills": {
        "task": "billing.tasks.draft_last_month",
        "schedule": crontab(minute=30, hour=2, day_of_month=1),
    },
}
