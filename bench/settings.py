"""Settings for the load benchmark: TCM as deployed (DEBUG off, persistent
database connections) plus the bare view it is compared with."""

from tcm.settings import *  # noqa: F403
from tcm.settings import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60  # what production runs with (tcm/settings.py)
# Bounded in time: a request still running when wrk stops cannot keep PostgreSQL
# busy for long after its server is gone.
# Added to tcm/settings.py's options (JIT off), not in their place.
options = DATABASES["default"].setdefault("OPTIONS", {})
options["options"] = f"{options.get('options', '')} -c statement_timeout=20000".strip()
