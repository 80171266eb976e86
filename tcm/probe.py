"""Waiting for a TCM server just started on loopback to answer /healthz.

The tooling that starts its own server (bench/load.py's gunicorn,
scripts/screenshots.py's runserver) must not measure or photograph it before
it serves.
"""

import subprocess
import time
import urllib.request


def wait_for_healthz(server: subprocess.Popen, port: int, *, seconds: float = 30) -> None:
    """Return once http://127.0.0.1:`port`/healthz answers; stop `server`, raise if not in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            # A fixed loopback http URL: no user input, no other scheme.
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # nosec B310
            return
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"the server on port {port} did not answer /healthz within {seconds:.0f} s")
