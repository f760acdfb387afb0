"""studyapp under load beside a bare Flask + Flask-SQLAlchemy app doing the same database work.

Both run under gunicorn with the same settings (1 worker x 8 threads, gthread, unless
--workers and --threads say otherwise; several workers share rate limits in Redis) on the same
database; wrk (Debian's `wrk` package) drives each endpoint with 8 connections. The app's
requests are real: learners log in over HTTP, and every answer is a form POST with the
session cookie and the CSRF token read from the page, each to an item not yet answered.
The bare app (bench/bare_app.py) names the learner in the URL instead.

Both servers run side by side, and each endpoint's --duration is cut into --slices that
the app and the bare app take in turns (app, bare, app, bare, ...): a machine that slows
down for a minute then slows both alike, where running all of one app before the other
moved a ratio by 0.1 and more between runs.

For each endpoint it prints requests per second for both (over all its slices), the ratio,
latency p50/p95/p99 (the worst slice's), and how much CPU wrk itself used (well under a
core means the client was not the limit).

Usage: python bench/http_bench.py [--database-url URL] [--duration 20] [--slices 2] [--connections 8]
                                  [--workers 1] [--threads 8] [--only 'question page,dashboard']
       (default: SQLite in a temporary folder; a PostgreSQL URL's tables are dropped and rebuilt)
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._support import PASSWORD, analyze, csrf_token  # noqa: E402

LEARNERS = 8
USER_AGENT = "studyapp-http-bench"
LUA = r"""
-- Thread k of T sends requests k, k+T, k+2T, ...: no two connections repeat one request.
local lines, n, counter, step = {}, 0, 0, 1
local threads = {}
setup = function(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
init = function(args)
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^(%S+)\t(%S+)\t([^\t]*)\t(.*)$")
    n = n + 1
    lines[n] = {method = method, path = path, cookie = cookie, body = body}
  end
  counter = offset or 0
  step = tonumber(args[2]) or 1
  once = args[3] == "once"
end
-- A request list sent "once" (answers: each item may be answered only once) ends the run
-- when it runs out, instead of wrapping around to items already answered.
response = function(status, headers, body)
  if once and counter + step > n then wrk.thread:stop() end
end
request = function()
  counter = counter + step
  local r = lines[(counter % n) + 1]
  local headers = {["User-Agent"] = "{user_agent}"}
  if r.cookie ~= "" then headers["Cookie"] = r.cookie end
  if r.method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(r.method, r.path, headers, r.body ~= "" and r.body or nil)
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "p50": %f, "p95": %f, "p99": %f}\n',
    summary.requests, summary.duration / 1e6, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def prepare(folder: Path, url: str, items: int) -> dict:
    """Schema, content, learners, and four sets of real 10-question practice sessions per
    learner (answered by the app, answered by the bare app, shown unanswered, spare),
    each set holding at least `items` items across the learners."""
    os.environ["STUDYAPP_INSTANCE_PATH"] = str(folder / "instance")
    from flask_migrate import upgrade

    from studyapp import create_app
    from studyapp.auth.services import create_user
    from studyapp.content.services import load_shipped_content
    from studyapp.extensions import db
    from studyapp.models import SessionItem, utcnow
    from studyapp.practice.services import start_session

    import random
    app = create_app({"SECRET_KEY": "bench-secret-key-0123456789", "DATABASE_URL": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(directory=app.extensions["migrate"].directory)
        load_shipped_content()
        learners = []
        for n in range(LEARNERS):
            user = create_user(f"learner{n}@example.org", PASSWORD, f"Learner {n}", "learner")
            rng = random.Random(n)
            sets = []
            for _ in range(4):
                made = [start_session(user, "mixed", None, now=utcnow(), rng=rng, size=10)
                        for _ in range(-(-items // (LEARNERS * 10)))]
                sets.append([(s.id, i.position, i.id, i.question_id) for s in made for i in db.session.query(SessionItem)
                             .filter_by(session_id=s.id).order_by(SessionItem.position)])
            learners.append({"id": user.id, "email": user.email, "sessions": sets})
        db.session.commit()
        analyze()   # planner statistics, as a database in use would have
        db.engine.dispose()
    return {"learners": learners}


def serve(target: str, port: int, env: dict, log: Path, args) -> subprocess.Popen:
    # The log goes to a file: a pipe nobody reads fills up and blocks the server.
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-k", "gthread",
                               "--threads", str(args.threads),
                               "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
                              cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if "studyapp" in target
                                   else f"http://127.0.0.1:{port}/topic/principles.strategy-alignment", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{target} did not start: {log.read_text()[-2000:]}")


def log_in(port: int, email: str, first_page: str) -> tuple[str, str]:
    """(Cookie header, CSRF token) of a real session, as a browser would get them."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # The User-Agent wrk sends: Flask-Login's session protection marks a session that
    # changes browser as not fresh, and a cookie rewritten on every response is not what
    # a browser's requests cost.
    opener.addheaders = [("User-Agent", USER_AGENT)]
    base = f"http://127.0.0.1:{port}"
    token = csrf_token(opener.open(f"{base}/account/login").read().decode())
    opener.open(f"{base}/account/login", urllib.parse.urlencode(
        {"email": email, "password": PASSWORD, "csrf_token": token}).encode())
    token = csrf_token(opener.open(f"{base}{first_page}").read().decode())
    return "; ".join(f"{c.name}={c.value}" for c in jar), token


def app_requests(setup: dict, logins: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Request lines per endpoint: method, path, cookie, body (tab-separated)."""
    lines = {name: [] for name in ("answer submit", "question page", "feedback page", "dashboard", "weak-topic report",
                                   "syllabus topic page")}
    for learner, (cookie, token) in zip(setup["learners"], logins):
        submit, _, fresh, _ = learner["sessions"]
        for session_id, position, _, question_id in submit:
            body = urllib.parse.urlencode({"choice": 0, "question_id": question_id, "csrf_token": token})
            lines["answer submit"].append(f"POST\t/practice/{session_id}/{position}\t{cookie}\t{body}")
            lines["feedback page"].append(f"GET\t/practice/{session_id}/{position}\t{cookie}\t")
        for session_id, position, _, _ in fresh:
            lines["question page"].append(f"GET\t/practice/{session_id}/{position}\t{cookie}\t")
        lines["dashboard"].append(f"GET\t/dashboard\t{cookie}\t")
        lines["weak-topic report"].append(f"GET\t/report\t{cookie}\t")
        lines["syllabus topic page"].append(f"GET\t/syllabus/principles/strategy-alignment\t{cookie}\t")
    return {name: _interleave(found, LEARNERS) for name, found in lines.items()}


def bare_requests(setup: dict) -> dict[str, list[str]]:
    lines = {name: [] for name in ("answer submit", "question page", "feedback page", "dashboard", "weak-topic report",
                                   "syllabus topic page")}
    for learner in setup["learners"]:
        user = learner["id"]
        _, bare_submit, fresh, _ = learner["sessions"]
        lines["answer submit"] += [f"POST\t/answer/{item}?u={user}\t\t" for _, _, item, _ in bare_submit]
        lines["feedback page"] += [f"GET\t/item/{item}\t\t" for _, _, item, _ in bare_submit]
        lines["question page"] += [f"GET\t/item/{item}\t\t" for _, _, item, _ in fresh]
        lines["dashboard"].append(f"GET\t/dashboard?u={user}\t\t")
        lines["weak-topic report"].append(f"GET\t/report?u={user}\t\t")
        lines["syllabus topic page"].append("GET\t/topic/principles.strategy-alignment\t\t")
    return {name: _interleave(found, LEARNERS) for name, found in lines.items()}


def _interleave(lines: list[str], groups: int) -> list[str]:
    """Round-robin over learners, so the 8 connections write for different learners at once."""
    size = max(1, len(lines) // groups)
    chunks = [lines[i * size:(i + 1) * size] for i in range(groups)] if len(lines) >= groups else [lines]
    return [chunk[i] for i in range(size) for chunk in chunks if i < len(chunk)]


def run_in_turns(ports: dict[str, int], lines: dict[str, list[str]], folder: Path, args, once: bool) -> dict:
    """side -> result of wrk over args.slices turns of duration / slices seconds each, the sides
    taking turns. Requests sent once (answers) are cut into one consecutive share per turn."""
    seconds = turn_seconds(args)
    turns = {side: [] for side in ports}
    for turn in range(args.slices):
        for side, port in ports.items():
            share = lines[side]
            if once:
                size = len(share) // args.slices
                share = share[turn * size:(turn + 1) * size]
            turns[side].append(run_wrk(port, share, folder, args, seconds, once))
    return {side: _combined(results) for side, results in turns.items()}


def turn_seconds(args) -> int:
    """How long each app's turn at an endpoint lasts: --duration cut into --slices."""
    return max(1, args.duration // args.slices)


def _combined(results: list[dict]) -> dict:
    """One endpoint's turns as one result: requests over seconds, and the worst turn's latencies."""
    requests, seconds = sum(r["requests"] for r in results), sum(r["seconds"] for r in results)
    return {"requests": requests, "seconds": seconds, "rps": requests / seconds,
            "errors": sum(r["errors"] for r in results), "ran_out": any(r["ran_out"] for r in results),
            "client_cpu": max(r["client_cpu"] for r in results),
            **{p: max(r[p] for r in results) for p in ("p50", "p95", "p99")}}


def run_wrk(port: int, lines: list[str], folder: Path, args, seconds: int, once: bool = False) -> dict:
    requests_file, script = folder / "requests.tsv", folder / "bench.lua"
    requests_file.write_text("\n".join(lines) + "\n")
    script.write_text(LUA.replace("{user_agent}", USER_AGENT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{seconds}s", "-s", str(script),
                          f"http://127.0.0.1:{port}", "--", str(requests_file), "2", "once" if once else "many"],
                         capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    result["ran_out"] = once and result["requests"] >= len(lines) - args.connections
    result["client_cpu"] = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--duration", type=int, default=20, help="seconds per endpoint and app")
    parser.add_argument("--slices", type=int, default=2, help="turns each app takes per endpoint")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--only", default="", help="endpoints to run, comma-separated (default: all)")
    args = parser.parse_args()
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    folder = Path(tempfile.mkdtemp(prefix="http-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    # Unanswered items for the whole run at 2,500 answers a second. A run that answers them
    # all stops early, but wrk still divides by the whole duration: its rate is then only a
    # lower bound, and the report says so (at 1,000 a second the bare SQLite app ran out).
    setup = prepare(folder, url, items=2500 * args.duration)
    env = {"STUDYAPP_INSTANCE_PATH": str(folder / "instance"), "STUDYAPP_DATABASE_URL": url,
           "STUDYAPP_SECRET_KEY": "bench-secret-key-0123456789", "STUDYAPP_LOGIN_RATE_LIMIT": "1000 per minute"}
    results = {}
    if args.workers > 1:
        env["STUDYAPP_RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"   # as `serve` requires
    ports = {"app": 8870, "bare": 8871}
    servers = [serve("studyapp:create_app()", ports["app"], env, folder / "app.log", args)]
    try:
        servers.append(serve("bench.bare_app:create()", ports["bare"], env, folder / "bare.log", args))
        first = [f"/practice/{learner['sessions'][2][0][0]}/1" for learner in setup["learners"]]
        logins = [log_in(ports["app"], learner["email"], page) for learner, page in zip(setup["learners"], first)]
        app_lines, bare_lines = app_requests(setup, logins), bare_requests(setup)
        for name in app_lines:
            if wanted and name not in wanted:
                continue
            both = run_in_turns(ports, {"app": app_lines[name], "bare": bare_lines[name]}, folder, args,
                                once=name == "answer submit")
            results.update({(name, side): result for side, result in both.items()})
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    report(results, url, args)
    print(f"server logs: {folder / 'app.log'}, {folder / 'bare.log'}")


def report(results: dict, url: str, args) -> None:
    print(f"database: {url.split(':')[0]}; {args.workers} worker(s) x {args.threads} threads; wrk -t2;"
          f" {args.slices} turns of {turn_seconds(args)} s per endpoint and app")
    print(f"{'endpoint':22} {'app rps':>8} {'bare rps':>9} {'ratio':>6}   {'app p50/p95/p99 ms':>22}"
          f"   {'bare p50/p95/p99 ms':>22} {'wrk cpu':>8} {'errors':>7}")
    for name in dict.fromkeys(key[0] for key in results):
        app, bare = results[(name, "app")], results[(name, "bare")]
        ratio = app["rps"] / bare["rps"] if bare["rps"] else float("nan")
        print(f"{name:22} {app['rps']:8.0f} {bare['rps']:9.0f} {ratio:6.2f}   "
              f"{app['p50']:6.1f} /{app['p95']:6.1f} /{app['p99']:6.1f}   {bare['p50']:6.1f} /{bare['p95']:6.1f} /"
              f"{bare['p99']:6.1f} {max(app['client_cpu'], bare['client_cpu']):7.0%} {app['errors'] + bare['errors']:7d}")
        for side, result in (("app", app), ("bare", bare)):
            if result.get("ran_out"):
                print(f"  ! the {side} app answered every prepared item before the run ended: its rps is a lower bound")


if __name__ == "__main__":
    main()
