"""Item statistics at size: 1,000,000 practice answers and 20,000 mock attempts (1,000,000 mock answers).

Builds a database (SQLite in a temporary folder, or the PostgreSQL URL given with
--database-url, whose tables are dropped and rebuilt) from the shipped bank and
syllabus, 5,000 learners, the practice answers and the submitted 50-question mocks
(their items and their answers in the log), then, in the same run:

  refresh  one full recomputation of the cache (analytics.stats.refresh): what the
           refresh rule runs at most once per STATS_MAX_AGE_SECONDS, or cron runs;
  app      GET of the bank list with the statistics columns (three views) and of one
           question's page, through the Flask test client as a logged-in trainer;
  bare     a bare aggregate over the same answer rows: count and mean mark per version
           (all versions for the list; one version for the question page).

Usage: python bench/item_stats_bench.py [--answers 1000000] [--mocks 20000] [--database-url URL]
"""

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Float, Integer, cast, func, insert, select  # noqa: E402

from studyapp.analytics.stats import refresh  # noqa: E402
from studyapp.auth.services import create_user  # noqa: E402
from studyapp.content.services import load_shipped_content  # noqa: E402
from studyapp.extensions import db  # noqa: E402
from studyapp.models import Answer, MockExam, MockItem, Question, QuestionVersion, User, utcnow  # noqa: E402
from _support import PASSWORD, analyze, bench_app, insert_in_batches, logged_in, p95, timed  # noqa: E402

LEARNERS = 5000
PAGES = {
    "bank list, statistics columns": "/trainer/",
    "bank list sorted by facility": "/trainer/?sort=facility&dir=desc",
    "bank list, needs attention": "/trainer/?attention=y",
}


def build(app, answers: int, mocks: int) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_shipped_content()
        create_user("trainer@example.org", PASSWORD, "Trainer", "trainer")
        first = create_user("learner0@example.org", PASSWORD, "L0", "learner")
        db.session.execute(insert(User), [{"email": f"learner{n}@example.org", "display_name": f"L{n}",
                                           "password_hash": first.password_hash, "role": "learner",
                                           "session_token": f"t{n}"} for n in range(1, LEARNERS)])
        db.session.commit()
        users = db.session.scalars(select(User.id).where(User.role == "learner").order_by(User.id)).all()
        items = db.session.execute(select(Question.id, Question.current_version_id, Question.topic_id,
                                          Question.module_id, QuestionVersion.options)
                                   .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)).all()
        rng = random.Random(3)
        ability = {u: rng.uniform(0.4, 0.95) for u in users}
        ease = {q.id: rng.uniform(0.6, 1.1) for q in items}
        _practice(users, items, ability, ease, answers, rng)
        _mocks(users, items, ability, ease, mocks, rng)
        analyze()


def _choice(options, right: bool, rng) -> int:
    key = next(i for i, o in enumerate(options) if o["correct"])
    return key if right else rng.choice([i for i in range(len(options)) if i != key])


def _practice(users, items, ability, ease, total, rng) -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def answers():
        for n in range(total):
            user, q = users[n % len(users)], items[rng.randrange(len(items))]
            right = rng.random() < min(0.98, ability[user] * ease[q.id])
            yield {"user_id": user, "question_id": q.id, "question_version_id": q.current_version_id,
                   "topic_id": q.topic_id, "source": "practice", "chosen_option": _choice(q.options, right, rng),
                   "correct": right, "guessed": right and rng.random() < 0.1, "rating": 3,
                   "answered_at": start + timedelta(seconds=n * 20), "duration_ms": rng.randrange(5000, 60000)}

    insert_in_batches(Answer, answers())


def _mocks(users, items, ability, ease, total, rng) -> None:
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    next_item = 1
    for chunk in range(0, total, 1000):
        exams, mock_items, answers = [], [], []
        for n in range(chunk, min(total, chunk + 1000)):
            user, at = users[n % len(users)], start + timedelta(minutes=n)
            drawn = rng.sample(items, 50)
            marks = [rng.random() < min(0.98, ability[user] * ease[q.id]) for q in drawn]
            exams.append({"id": n + 1, "user_id": user, "started_at": at, "deadline": at + timedelta(minutes=40),
                          "submitted_at": at + timedelta(minutes=30), "length": 50, "pass_mark": 25, "score": sum(marks)})
            for position, (q, right) in enumerate(zip(drawn, marks), start=1):
                chosen = _choice(q.options, right, rng)
                mock_items.append({"id": next_item, "exam_id": n + 1, "position": position, "question_id": q.id,
                                   "question_version_id": q.current_version_id, "module_id": q.module_id,
                                   "option_order": [0, 1, 2, 3], "chosen_shown": chosen, "answered_at": at})
                answers.append({"user_id": user, "question_id": q.id, "question_version_id": q.current_version_id,
                                "topic_id": q.topic_id, "mock_item_id": next_item, "source": "mock",
                                "chosen_option": chosen, "correct": right, "guessed": False, "rating": 3,
                                "answered_at": at})
                next_item += 1
        db.session.execute(insert(MockExam), exams)
        db.session.execute(insert(MockItem), mock_items)
        db.session.execute(insert(Answer), answers)
        db.session.commit()


def bare_all() -> int:
    return len(db.session.execute(select(Answer.question_version_id, func.count(), func.avg(cast(cast(Answer.correct, Integer), Float)))
                                  .group_by(Answer.question_version_id)).all())


def bare_one(version_id: int) -> int:
    return len(db.session.execute(select(Answer.source, Answer.chosen_option, func.count(), func.avg(cast(cast(Answer.correct, Integer), Float)))
                                  .where(Answer.question_version_id == version_id)
                                  .group_by(Answer.source, Answer.chosen_option)).all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--mocks", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    app = bench_app("stats-bench-", args.database_url, STATS_MAX_AGE_SECONDS=10**9)
    started = time.perf_counter()
    build(app, args.answers, args.mocks)
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Answer))
        print(f"database: {db.engine.dialect.name}, {total:,} answers ({args.answers:,} practice, "
              f"{args.mocks:,} mocks x 50), built in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        refresh(utcnow())
        db.session.commit()
        print(f"refresh (one pass over every answer, all versions and forms): {time.perf_counter() - started:.1f} s")
        question_id, version_id = db.session.execute(select(Question.id, Question.current_version_id)
                                                     .order_by(Question.id)).first()
    report(app, args.repeats, question_id, version_id)


def report(app, repeats: int, question_id: str, version_id: int) -> None:
    client = logged_in(app, "trainer@example.org")
    with app.app_context():
        bare_list, bare_page = timed(bare_all, repeats, warm=True), timed(lambda: bare_one(version_id), repeats, warm=True)
    print(f"{'page':34} {'app median':>11} {'app p95':>9} {'bare aggregate median':>22}")
    for name, url in {**PAGES, f"question page ({question_id})": f"/trainer/questions/{question_id}"}.items():
        assert client.get(url).status_code == 200, url
        app_times = timed(lambda: client.get(url).close(), repeats, warm=True)
        bare = bare_page if url.startswith("/trainer/questions") else bare_list
        print(f"{name:34} {statistics.median(app_times):8.1f} ms {p95(app_times):6.1f} ms {statistics.median(bare):19.1f} ms")


if __name__ == "__main__":
    main()
