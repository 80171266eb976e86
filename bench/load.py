"""Latency of the busiest pages under concurrent load: gunicorn on loopback, driven by wrk.

Each target is hit by 10 concurrent connections for a bounded time
(BENCH_LOAD_SECONDS, default 10, after a 2-second warm-up) and reported as
p50/p95 latency and requests per second, next to a bare Django view behind the
same middleware (session, login, CSRF) on the same server: the ratio says what
our own code costs. The targets are measured in rounds (BENCH_LOAD_ROUNDS,
default 3), every target once a round, and each figure is the median of its
rounds: on this shared 2-core machine one 10-second sample of the same view
varied twofold (bare POST 226 to 529 requests/s in one evening), and the
rounds spread a slow spell over the bare views and the pages alike. Before
each run one request checks the answer (200 for pages, a redirect for a
successful form POST), so an error page can never pass for a fast one.
Targets whose URL is not on main yet are reported as not available.

Sessions come from `Client.force_login` against the bench database; the CSRF
token is a cookie plus the matching X-CSRFToken header, as a browser sends them.
"""

import contextlib
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from people.models import CaseEpisode, Person
from tcm.models import User
from tcm.probe import wait_for_healthz

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "3"))
CONNECTIONS = 10
PORT = int(os.environ.get("BENCH_PORT", "8719"))

LUA = """
wrk.method = "{method}"
wrk.body = "{body}"
wrk.headers["Cookie"] = "sessionid={session}; csrftoken={csrf}"
wrk.headers["X-CSRFToken"] = "{csrf}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local threads = {{}}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
-- An author may log at most 24 hours a day: POSTs all dated one day would be
-- refused (a 200 page with the error) after 96 quarter-hours, so each request is
-- dated one of the past 360 days, each thread of each run starting on a day of its
-- own: started from yesterday, the rounds' runs piled up on the first days until
-- the author's day was full (5 of 5,200 POSTs refused in one 100,000-person run).
init = function(args)
  math.randomseed(os.time() * 100 + id)
  sent, unexpected = math.random(0, 359), 0
end
request = function()
  sent = sent + 1
  local day = os.date("!%Y-%m-%d", os.time() - 86400 * (1 + sent % 360))
  local body = string.gsub(wrk.body, "contact_date=[%d-]+", "contact_date=" .. day)
  return wrk.format(nil, nil, nil, body)
end
-- Any answer but the expected one is an error: a form shown again with an error is
-- fast, and must not pass for a saved contact.
response = function(status, headers, body)
  if status ~= {expect} then unexpected = unexpected + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("unexpected") end
  io.write(string.format(
    '{{"p50_ms": %.1f, "p95_ms": %.1f, "requests": %d, "errors": %d, "rps": %.1f}}\\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.requests,
    e.connect + e.read + e.write + e.timeout + wrong,
    summary.requests / (summary.duration / 1e6)))
end
"""


@dataclass
class Target:
    name: str
    username: str
    url_name: str
    args: tuple = ()
    method: str = "GET"
    body: str = ""
    follow_landing: bool = False  # measure the page a role's "/" redirects to
    expect: int = 200  # what a correct answer is: a page, or the redirect after a saved form


def targets(today) -> list[Target]:
    manager = User.objects.get(username="cm1.hrc")
    person = _person_with_open_case(manager, today)
    contact = urlencode(
        {
            # Yesterday: the measured requests spread over past days (LUA's `request`).
            "contact_date": (today - timedelta(days=1)).isoformat(),
            "minutes": 15,
            "travel_minutes": 0,
            "mode": "phone",
            "with_whom": "person",
            "successful": "true",
            "note": "Phone check-in during the load benchmark.",
        }
    )
    return [
        Target("bare view GET", "cm1.hrc", "bench-bare"),
        Target("worklist (case manager)", "cm1.hrc", "compliance:worklist"),
        Target("person record", "cm1.hrc", "people:person-detail", (person.pk,)),
        Target("dashboard (supervisor)", "sup.hrc", "compliance:dashboard"),
        Target("landing, reimbursement officer", "ro.hrc", "home", follow_landing=True),
        Target("landing, DMH reviewer", "reviewer", "home", follow_landing=True),
        Target("bare view POST", "cm1.hrc", "bench-bare", method="POST", body=contact),
        Target(
            "contact POST",
            "cm1.hrc",
            "contacts:contact-create",
            (person.pk,),
            method="POST",
            body=contact,
            expect=302,
        ),
    ]


def _person_with_open_case(manager, today):
    open_case = CaseEpisode.objects.filter(person=OuterRef("pk")).open_on(today)
    return Person.objects.filter(case_manager=manager).filter(Exists(open_case)).first()


def run_all(on_result=lambda rows: None) -> list[dict]:
    """Run every target against its own gunicorn, ROUNDS times; a result row per target.

    A fresh server per target: requests still queued when wrk stops (a slow
    page) must not slow down the next target's measurement. `on_result` is
    given the rows so far after each round.
    """
    sessions, rounds = {}, []
    all_targets = targets(timezone.localdate())
    for _ in range(ROUNDS):
        measured = []
        for target in all_targets:
            if target.username not in sessions:
                sessions[target.username] = _session(target.username)
            server = _start_server()
            try:
                measured.append(_measure(target, sessions[target.username]))
            finally:
                _stop(server)
            print(json.dumps(measured[-1]), flush=True)
        rounds.append(measured)
        on_result([_median_row(samples) for samples in zip(*rounds, strict=True)])
    return [_median_row(samples) for samples in zip(*rounds, strict=True)]


def _median_row(samples: tuple[dict, ...]) -> dict:
    """One target's rounds as one row: the median of each figure, the errors of all."""
    unavailable = [row for row in samples if not row["available"]]
    if unavailable:
        return unavailable[0]
    row = {**samples[0], "rounds": len(samples), "errors": sum(r["errors"] for r in samples)}
    for figure in ("p50_ms", "p95_ms", "rps"):
        row[figure] = statistics.median(r[figure] for r in samples)
        row[f"{figure}_each"] = [r[figure] for r in samples]
    row["requests"] = sum(r["requests"] for r in samples)
    return row


def _stop(server):
    """Quick shutdown (SIGINT to the server's process group); whatever is left of it
    after 10 s, a worker stuck in a slow page included, gets SIGKILL.

    The whole group, not the master alone: a worker that outlived its master kept
    the port, and the next target's server could not bind it.
    """
    os.killpg(server.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # the group is gone already
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


def _start_server():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "tcm.wsgi:application",
            f"--bind=127.0.0.1:{PORT}",
            "--workers=2",  # one per core of this machine
            "--worker-class=gthread",
            "--threads=5",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, which _stop ends as a whole
    )
    wait_for_healthz(server, PORT)
    return server


def _session(username) -> dict:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return {"session": client.cookies["sessionid"].value, "csrf": secrets.token_hex(16)}


def _measure(target: Target, session: dict) -> dict:
    row = {"target": target.name, "user": target.username, "method": target.method}
    try:
        path = reverse(target.url_name, args=target.args, urlconf="bench.urls")
    except NoReverseMatch:
        return {**row, "available": False, "why": f"not available: {target.url_name} not on main"}
    status, location = _check(path, target, session)
    if target.follow_landing and status == 302:
        path = location
        status, location = _check(path, target, session)
    if status != target.expect:
        return {**row, "available": False, "why": f"{path} answered {status}, not {target.expect}"}
    row["path"] = path
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            LUA.format(method=target.method, body=target.body, expect=target.expect, **session)
        )
    try:
        _wrk(path, script.name, 2)  # warm-up: connections, caches, first plans
        measured = _wrk(path, script.name, SECONDS)
        if measured["requests"] == 0:
            return {**row, "available": False, "why": f"no answer within {SECONDS} s"}
        return {**row, "available": True, **measured}
    finally:
        os.unlink(script.name)


def _check(path, target, session) -> tuple[int, str]:
    """One request through urllib, redirects not followed: (status, location)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=target.body.encode() if target.method == "POST" else None,
        method=target.method,
        headers={
            "Cookie": f"sessionid={session['session']}; csrftoken={session['csrf']}",
            "X-CSRFToken": session["csrf"],
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=30)
        return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def _wrk(path, script, seconds) -> dict:
    result = subprocess.run(
        [
            "wrk",
            f"--connections={CONNECTIONS}",
            "--threads=2",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={script}",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
