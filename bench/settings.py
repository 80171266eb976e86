"""Settings for the load benchmark: TCM as deployed (DEBUG off, persistent
database connections) plus the bare view it is compared with."""

from tcm.settings import *  # noqa: F403
from tcm.settings import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60  # what production runs with (tcm/settings.py)
