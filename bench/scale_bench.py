"""Learner pages as the organisation grows: 100,000 and 1,000,000 answers in the database.

For each size it builds a database (SQLite in a temporary folder, or the PostgreSQL URL
given with --database-url, whose tables are dropped and rebuilt): the shipped content,
a "light" learner with 100 answers and a "heavy" one with 10,000 (each with FSRS cards
and one submitted 50-question mock), and 500 other learners who give the rest of the
answers over six months. Then, through the Flask test client logged in as each learner,
it times the server side of: the dashboard, the weak-topic report, starting each kind of
practice session, and a mock result — median and p95 of --repeats runs.

Beside them it times the floor in the same run: the bare query that fetches the
learner's own answers (what any per-learner page must at least read).

Usage: python bench/scale_bench.py [--sizes 100000,1000000] [--repeats 20] [--database-url URL]
"""

import argparse
import random
import re
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import inspect, insert, select, text  # noqa: E402

from studyapp.auth.services import create_user  # noqa: E402
from studyapp.content.services import load_shipped_content  # noqa: E402
from studyapp.exams import services as exams  # noqa: E402
from studyapp.extensions import db  # noqa: E402
from studyapp.models import Answer, Card, Question, User  # noqa: E402
from _support import PASSWORD, analyze, bench_app, insert_in_batches, logged_in  # noqa: E402

NOW = datetime(2026, 7, 1, tzinfo=timezone.utc)
KINDS = ["mixed", "due", "weak", "mistakes", "module", "topic"]


def build(app, total: int) -> dict[str, int]:
    """The database for one size; returns {"light": user id, "heavy": user id}."""
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_shipped_content()
        learners = {name: create_user(f"{name}@example.org", PASSWORD, name.title(), "learner").id
                    for name in ("light", "heavy")}
        first = db.session.get(User, learners["light"])
        db.session.execute(insert(User), [{"email": f"filler{n}@example.org", "display_name": f"F{n}",
                                           "password_hash": first.password_hash, "role": "learner",
                                           "session_token": f"t{n}"} for n in range(500)])
        db.session.commit()
        fillers = db.session.scalars(select(User.id).where(User.email.like("filler%"))).all()
        questions = db.session.execute(select(Question.id, Question.current_version_id, Question.topic_id)).all()
        rng = random.Random(7)
        _answers(rng, questions, [learners["light"]] * 100 + [learners["heavy"]] * 10_000)
        _answers(rng, questions, [fillers[n % len(fillers)] for n in range(total - 10_100)])
        _cards(rng, questions, [learners["light"], learners["heavy"], *fillers])
        _counters()
        for user_id in learners.values():
            _mock(db.session.get(User, user_id), rng)
        analyze()
    return learners


def _answers(rng, questions, owners: list[int]) -> None:
    def answers():
        for owner in owners:
            question_id, version_id, topic_id = questions[rng.randrange(len(questions))]
            yield {"user_id": owner, "question_id": question_id, "question_version_id": version_id,
                   "topic_id": topic_id, "source": "practice", "chosen_option": rng.randrange(4),
                   "correct": rng.random() < 0.68, "guessed": False, "rating": 3,
                   "answered_at": NOW - timedelta(seconds=rng.randrange(180 * 86400))}

    insert_in_batches(Answer, answers())


def _cards(rng, questions, owners: list[int]) -> None:
    insert_in_batches(Card, ({"user_id": owner, "question_id": question_id, "state": 2, "step": None,
                              "stability": 5.0, "difficulty": 5.0, "due": NOW + timedelta(hours=rng.randrange(-240, 720)),
                              "last_review": NOW, "reviews": 1, "lapses": 0}
                             for owner in owners for question_id, _, _ in questions if rng.random() < 0.6))


def _counters() -> None:
    """Per-question counters, where this version of the schema keeps them."""
    columns = {c["name"] for c in inspect(db.engine).get_columns("questions")}
    if "answer_count" in columns:
        db.session.execute(text("UPDATE questions SET answer_count = (SELECT count(*) FROM answers"
                                " WHERE answers.question_id = questions.id)"))
    if "correct_count" in columns:
        db.session.execute(text("UPDATE questions SET correct_count = (SELECT count(*) FROM answers"
                                " WHERE answers.question_id = questions.id AND answers.correct)"))
    db.session.commit()


def _mock(user, rng) -> None:
    exam = exams.start_mock(user, NOW, rng, length=50, minutes=40)
    for item in exam.items:
        exams.save_answer(exam, item, rng.randrange(4), False, NOW + timedelta(seconds=item.position * 30))
    exams.submit(user, exam, NOW + timedelta(minutes=30))
    db.session.commit()


def requests_for(app, client, user_id: int) -> dict:
    """Name -> a callable making one request, for every page timed."""
    with app.app_context():
        exam_id = exams.history(db.session.get(User, user_id))[0].id
        scope = {"module": "definition", "topic": "definition.prioritize"}
    page = client.get("/practice/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    calls = {"dashboard": lambda: client.get("/dashboard"), "report": lambda: client.get("/report"),
             "mock result": lambda: client.get(f"/mock/{exam_id}/result")}
    for kind in KINDS:
        data = {"kind": kind, "scope": scope.get(kind, ""), "csrf_token": token}
        calls[f"start {kind}"] = lambda data=data: client.post("/practice/start", data=data)
    return calls


def bare_floor(app, user_id: int) -> float:
    with app.app_context():
        started = time.perf_counter()
        db.session.execute(select(Answer.topic_id, Answer.correct).where(Answer.user_id == user_id)
                           .order_by(Answer.answered_at)).all()
        return (time.perf_counter() - started) * 1000


def measure(app, learners: dict[str, int], repeats: int) -> dict[tuple[str, str], tuple[float, float]]:
    results = {}
    for name, user_id in learners.items():
        client = logged_in(app, f"{name}@example.org")
        for page, call in requests_for(app, client, user_id).items():
            response = call()
            assert response.status_code in (200, 302), (page, response.status_code)
            times = []
            for _ in range(repeats):
                started = time.perf_counter()
                call().close()
                times.append((time.perf_counter() - started) * 1000)
            results[(name, page)] = (statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1])
        floor = [bare_floor(app, user_id) for _ in range(repeats)]
        results[(name, "bare: own answers")] = (statistics.median(floor), sorted(floor)[int(len(floor) * 0.95) - 1])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    table = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        app = bench_app("scale-bench-", args.database_url)
        started = time.perf_counter()
        learners = build(app, size)
        print(f"built {size:,} answers on {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]} "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        table[size] = measure(app, learners, args.repeats)
    print_table(table, sizes)


def print_table(table, sizes) -> None:
    header = "".join(f"{f'{s:,} answers':>22}" for s in sizes)
    print(f"{'learner':8} {'page':20}{header}   (median / p95 ms)")
    for key in table[sizes[0]]:
        cells = "".join(f"{table[s][key][0]:12.1f} / {table[s][key][1]:6.1f}" for s in sizes)
        print(f"{key[0]:8} {key[1]:20}{cells}")


if __name__ == "__main__":
    main()
