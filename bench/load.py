"""Latency of the busiest pages under concurrent load: gunicorn on loopback, driven by wrk.

Each target is hit by 10 concurrent connections for a bounded time (BENCH_LOAD_SECONDS,
default 10, after a 2-second warm-up) and reported as p50/p95 latency and requests per
second, next to a bare Django view behind the same middleware (session, login, CSRF) on
the same server: the ratio says what our own code costs. The contact POST is also set
against its floor, its one durable statement sent by a view that does nothing else
(bench/urls.py): what is left of its cost beyond the bare POST's once the write is paid
for. The server is gunicorn as the production image runs it; each page is read by one
user, and the POSTs come from ten case managers in turn, each for a person of their own
(`targets`). The targets are measured in rounds (BENCH_LOAD_ROUNDS, default 3), every
target once a round, and each figure is the median of its rounds: on this shared 2-core
machine one 10-second sample of the same view varied twofold (bare POST 226 to 529
requests/s in one evening), and the rounds spread a slow spell over the bare views and
the pages alike. Before each run one request checks the answer (200 for pages, a
redirect for a successful form POST, 201 for the write alone), so an error page can
never pass for a fast one. Targets whose URL is not on main yet are reported as not
available.

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
# CPU time per request, in ms: the server's processes (gunicorn and the app), and
# PostgreSQL's (every postgres process: the backends, and the WAL writer their
# commits wake). Requests per second drift with the shared machine's speed; these
# say where a request's cost is.
CPU_FIGURES = ("app_cpu_ms", "database_cpu_ms")
# The contact POST's floor (bench/urls.py): its one durable statement, nothing else.
CONTACT_WRITE_ALONE = "contact write alone"

LUA = """
wrk.method = "{method}"
wrk.body = "{body}"
-- Who sends the requests, in turn: a path and a session each.
local callers = {{
{callers}
}}
local threads = {{}}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
-- An author may log at most 24 hours a day: POSTs all dated one day would be
-- refused (a 200 page with the error) after 96 quarter-hours, so each caller's
-- requests are dated one of the past 360 days in turn, each thread of each run
-- starting on a day of its own: started from yesterday, the rounds' runs piled up
-- on the first days until the author's day was full (5 of 5,200 POSTs refused in
-- one 100,000-person run).
init = function(args)
  math.randomseed(os.time() * 100 + id)
  sent, unexpected = math.random(0, 359) * #callers, 0
end
request = function()
  sent = sent + 1
  local caller = callers[1 + sent % #callers]
  local turn = math.floor(sent / #callers)
  local day = os.date("!%Y-%m-%d", os.time() - 86400 * (1 + turn % 360))
  local body = string.gsub(wrk.body, "contact_date=[%d-]+", "contact_date=" .. day)
  local headers = {{
    ["Cookie"] = "sessionid=" .. caller.session .. "; csrftoken=" .. caller.csrf,
    ["X-CSRFToken"] = caller.csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }}
  return wrk.format(nil, caller.path, headers, body)
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
class Caller:
    """One user sending a target's requests: who, and the arguments of the URL."""

    username: str
    args: tuple = ()


@dataclass
class Target:
    name: str
    callers: tuple[Caller, ...]  # who sends the requests, in turn
    url_name: str
    method: str = "GET"
    body: str = ""
    follow_landing: bool = False  # measure the page a role's "/" redirects to
    expect: int = 200  # what a correct answer is: a page, or the redirect after a saved form
    floor: str = ""  # the target doing only the part of this one that cannot be cut

    @property
    def users(self) -> str:
        names = [caller.username for caller in self.callers]
        return names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"


def one(username: str, *args) -> tuple[Caller]:
    return (Caller(username, args),)


def targets(today) -> list[Target]:
    """The pages each read by one user, and the write by as many case managers as there
    are connections, each on a person of their own.

    Ten users writing, not one: every contact bumps the page versions of its person
    and of its author's caseload (tcm.versions), so connections posting as one case
    manager for one person queue on those two rows, each write waiting for the one
    before it to commit (bench/EXPLAIN.md, session 8), which no user can do. The
    contact's write alone (bench/urls.py) is posted by the same callers for the same
    persons: the contact POST's floor.
    """
    writers = [User.objects.get(username=f"cm{n}.hrc") for n in range(1, CONNECTIONS + 1)]
    persons = [_person_with_open_case(writer, today) for writer in writers]
    writing = tuple(Caller(w.username, (p.pk,)) for w, p in zip(writers, persons, strict=True))
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
        Target("bare view GET", one("cm1.hrc"), "bench-bare"),
        Target("worklist (case manager)", one("cm1.hrc"), "compliance:worklist"),
        Target("person record", one("cm1.hrc", persons[0].pk), "people:person-detail"),
        Target("dashboard (supervisor)", one("sup.hrc"), "compliance:dashboard"),
        Target("landing, reimbursement officer", one("ro.hrc"), "home", follow_landing=True),
        Target("landing, DMH reviewer", one("reviewer"), "home", follow_landing=True),
        Target(
            "bare view POST",
            tuple(Caller(writer.username) for writer in writers),
            "bench-bare",
            method="POST",
            body=contact,
        ),
        Target(
            CONTACT_WRITE_ALONE,
            writing,
            "bench-contact-write-alone",
            method="POST",
            body=contact,
            expect=201,
        ),
        Target(
            "contact POST",
            writing,
            "contacts:contact-create",
            method="POST",
            body=contact,
            expect=302,
            floor=CONTACT_WRITE_ALONE,
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
            for caller in target.callers:
                if caller.username not in sessions:
                    sessions[caller.username] = _session(caller.username)
            server = _start_server()
            try:
                measured.append(_measure(target, sessions, server.pid))
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
    for figure in ("p50_ms", "p95_ms", "rps", *CPU_FIGURES):
        if figure in row:
            row[figure] = statistics.median(r[figure] for r in samples)
            row[f"{figure}_each"] = [r[figure] for r in samples]
    row["requests"] = sum(r["requests"] for r in samples)
    return row


def _stop(server):
    """Graceful shutdown (SIGTERM to the server's process group): each worker ends
    the request in hand, as the quick one (SIGINT) cut a sync worker off in its read
    and logged a traceback. Whatever is left after 10 s, a worker stuck in a slow
    page included, gets SIGKILL.

    The whole group, not the master alone: a worker that outlived its master kept
    the port, and the next target's server could not bind it.
    """
    os.killpg(server.pid, signal.SIGTERM)
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
            # As the production image runs it (Dockerfile): sync workers, a connection
            # per request. Two threaded workers on keep-alive connections split wrk's ten
            # connections between them as they happened to accept them, as unevenly as
            # ten to none: one process, one core, a third of the machine idle.
            "--workers=3",
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


def _measure(target: Target, sessions: dict, server_group: int) -> dict:
    row = {"target": target.name, "user": target.users, "method": target.method}
    if target.floor:
        row["floor"] = target.floor
    callers = []
    for caller in target.callers:
        session = sessions[caller.username]
        try:
            path = reverse(target.url_name, args=caller.args, urlconf="bench.urls")
        except NoReverseMatch:
            why = f"not available: {target.url_name} not on main"
            return {**row, "available": False, "why": why}
        status, location = _check(path, target, session)
        if target.follow_landing and status == 302:
            path = location
            status, location = _check(path, target, session)
        if status != target.expect:
            why = f"{path} answered {status}, not {target.expect}"
            return {**row, "available": False, "why": why}
        callers.append(
            f'  {{path = "{path}", session = "{session["session"]}", csrf = "{session["csrf"]}"}},'
        )
    row["path"] = path
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            LUA.format(
                method=target.method,
                body=target.body,
                expect=target.expect,
                callers="\n".join(callers),
            )
        )
    try:
        _wrk(path, script.name, 2)  # warm-up: connections, caches, first plans
        before = cpu_seconds(server_group)
        measured = _wrk(path, script.name, SECONDS)
        after = cpu_seconds(server_group)
        if measured["requests"] == 0:
            return {**row, "available": False, "why": f"no answer within {SECONDS} s"}
        for figure, start, end in zip(CPU_FIGURES, before, after, strict=True):
            measured[figure] = round((end - start) * 1000 / measured["requests"], 2)
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


def cpu_seconds(server_group: int) -> tuple[float, float]:
    """CPU seconds used so far by the processes of `server_group` and by PostgreSQL's.

    Read from /proc (user and system time, fields 14 and 15 of /proc/PID/stat): a
    process that ended between two readings takes its time with it, so call it
    while the server runs.
    """
    app = database = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended since the listing
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        if int(fields[2]) == server_group:
            app += ticks
        elif name == "postgres":
            database += ticks
    hertz = os.sysconf("SC_CLK_TCK")
    return app / hertz, database / hertz


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
