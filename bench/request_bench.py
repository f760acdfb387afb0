"""What one request costs in-process: the hot endpoints through Flask's test client, beside the
bare app (bench/bare_app.py) doing the same database work, in the same process.

No server, no threads and no network: the figure is the app's own time per request, which
http_bench.py's throughput hides behind gunicorn and the interpreter lock. The two apps take
turns in rounds (a batch of each endpoint on each app per round), so a machine that slows
down for a while slows both alike; on a shared 2-core machine under-load ratios move by
±0.05 between runs, these by a few hundredths of a millisecond.

Usage: python bench/request_bench.py [--database-url URL] [--rounds 8] [--per-round 150]
       (default: SQLite in a temporary folder; a PostgreSQL URL's tables are dropped and rebuilt)
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._support import csrf_token, logged_in  # noqa: E402
from bench.http_bench import LEARNERS, prepare  # noqa: E402

ENDPOINTS = ("answer submit", "feedback page", "question page", "syllabus topic page")


def app_client(url: str, learner: dict):
    """A test client logged in as `learner`, and the CSRF token its pages carry."""
    from studyapp import create_app

    app = create_app({"SECRET_KEY": "bench-secret-key-0123456789", "DATABASE_URL": url})
    client = logged_in(app, learner["email"])
    session_id, position, _, _ = learner["sessions"][2][0]
    return client, csrf_token(client.get(f"/practice/{session_id}/{position}").get_data(as_text=True))


def app_requests(client, token: str, learner: dict) -> dict:
    """endpoint -> function(i) sending the i-th request of that endpoint to the app."""
    submit, _, fresh, _ = learner["sessions"]

    def answer(i):
        session_id, position, _, question_id = submit[i]
        return client.post(f"/practice/{session_id}/{position}",
                           data={"choice": 0, "question_id": question_id, "csrf_token": token})

    return {
        "answer submit": answer,
        "feedback page": lambda i: client.get("/practice/{}/{}".format(*submit[i][:2])),
        "question page": lambda i: client.get("/practice/{}/{}".format(*fresh[i % len(fresh)][:2])),
        "syllabus topic page": lambda i: client.get("/syllabus/principles/strategy-alignment"),
    }


def bare_requests(client, learner: dict) -> dict:
    _, submit, fresh, _ = learner["sessions"]
    user = learner["id"]
    return {
        "answer submit": lambda i: client.post(f"/answer/{submit[i][2]}?u={user}"),
        "feedback page": lambda i: client.get(f"/item/{submit[i][2]}"),
        "question page": lambda i: client.get(f"/item/{fresh[i % len(fresh)][2]}"),
        "syllabus topic page": lambda i: client.get("/topic/principles.strategy-alignment"),
    }


def run(sides: dict, rounds: int, per_round: int) -> tuple[dict, dict]:
    """Seconds per request, wall and this thread's CPU, by (endpoint, side), over all rounds;
    the first round only warms up."""
    times = {(name, side): [] for name in ENDPOINTS for side in sides}
    cpu = {(name, side): [] for name in ENDPOINTS for side in sides}
    answered = 0
    for round_number in range(rounds + 1):
        for name in ENDPOINTS:
            for side, send in sides.items():
                for n in range(per_round):
                    # Each submit answers a new item; feedback pages show items answered already.
                    i = answered + n if name == "answer submit" else n % answered if name == "feedback page" else n
                    started, cpu_started = time.perf_counter(), time.thread_time()
                    response = send[name](i)
                    elapsed, cpu_used = time.perf_counter() - started, time.thread_time() - cpu_started
                    if response.status_code >= 400:
                        raise RuntimeError(f"{side} {name}: HTTP {response.status_code}")
                    if round_number:
                        times[(name, side)].append(elapsed)
                        cpu[(name, side)].append(cpu_used)
            if name == "answer submit":
                answered += per_round
    return times, cpu


def report(times: dict, cpu: dict, url: str, rounds: int, per_round: int) -> None:
    """Wall time (median, p90) and this thread's CPU time (median) per request. Under load the
    worker's CPU per request bounds its throughput (one interpreter lock); on PostgreSQL the
    wall time also holds waits for the server, which other threads fill meanwhile."""
    print(f"database: {url.split(':')[0]}; in-process test client; {rounds} rounds of {per_round} requests"
          " per endpoint and app, taking turns")
    print(f"{'endpoint':22} {'app ms':>8} {'bare ms':>8} {'bare/app':>9}   {'app p90':>8} {'bare p90':>8}"
          f"   {'app cpu':>8} {'bare cpu':>8} {'bare/app':>9}")
    for name in ENDPOINTS:
        app, bare = times[(name, "app")], times[(name, "bare")]
        app_ms, bare_ms = statistics.median(app) * 1000, statistics.median(bare) * 1000
        app_cpu, bare_cpu = (statistics.median(cpu[(name, side)]) * 1000 for side in ("app", "bare"))
        print(f"{name:22} {app_ms:8.3f} {bare_ms:8.3f} {bare_ms / app_ms:9.2f}   "
              f"{_p90(app) * 1000:8.3f} {_p90(bare) * 1000:8.3f}   "
              f"{app_cpu:8.3f} {bare_cpu:8.3f} {bare_cpu / app_cpu:9.2f}")


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--per-round", type=int, default=150)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="request-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite'}"
    # One learner answers on each app: every round answers per_round new items on each.
    setup = prepare(folder, url, items=LEARNERS * (args.rounds + 1) * args.per_round + LEARNERS * 10)
    learner = setup["learners"][0]
    client, token = app_client(url, learner)
    os.environ["STUDYAPP_DATABASE_URL"] = url
    from bench.bare_app import create as create_bare

    bare = create_bare().test_client()
    times, cpu = run({"app": app_requests(client, token, learner), "bare": bare_requests(bare, learner)},
                     args.rounds, args.per_round)
    report(times, cpu, url, args.rounds, args.per_round)


if __name__ == "__main__":
    main()
