"""TCM project package: settings, URLs, the Celery app and the `tcm` app itself
(regional programs, staff and their qualifications, roles)."""

from tcm.celery import app as celery_app

__all__ = ["celery_app"]
