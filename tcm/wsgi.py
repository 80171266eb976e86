"""WSGI entry point (gunicorn tcm.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcm.settings")
application = get_wsgi_application()
