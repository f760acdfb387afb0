"""The trainer's bank page at size: 5,000 questions and 1,000,000 answers.

Builds a database (SQLite in a temporary folder, or the PostgreSQL URL given with
--database-url, whose tables are dropped and rebuilt), fills it from the shipped bank
(cloned to 5,000 questions with new ids and reworded stems) and a million answers by
1,000 learners, then times, in the same run:

  app   GET /trainer/?q=...&module=...&level=... through the Flask test client as a
        logged-in trainer: routes, form validation, the query, the template;
  bare  the same rows fetched with one hand-written SQLAlchemy Core query (count and
        one page of 50) and nothing else: the floor the page cannot beat.

Usage: python bench/bank_bench.py [--questions 5000] [--answers 1000000] [--database-url URL]
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

from sqlalchemy import func, insert, select, text  # noqa: E402

from studyapp.auth.services import create_user  # noqa: E402
from studyapp.content.questions import store_version, version_content  # noqa: E402
from studyapp.content.services import load_shipped_content  # noqa: E402
from studyapp.extensions import db  # noqa: E402
from studyapp.models import Answer, Module, Question, QuestionVersion, Topic, User  # noqa: E402
from _support import PASSWORD, analyze, bench_app, insert_in_batches, logged_in, p95, timed  # noqa: E402

QUERIES = {
    "search + module + level": "/trainer/?q=portfolio+benefits&module=delivery&level=2",
    "search only": "/trainer/?q=direction+group",
    "filter by topic, sort by answers": "/trainer/?topic=definition.prioritize&sort=answers&dir=desc",
    "whole bank, page 40": "/trainer/?page=40",
}


def build(app, questions: int, answers: int) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_shipped_content()
        create_user("trainer@example.org", PASSWORD, "Trainer", "trainer")
        db.session.commit()
        _clone_questions(questions)
        _answers(answers)


def _clone_questions(target: int) -> None:
    shipped = db.session.scalars(select(Question)).all()
    rng, now, number = random.Random(1), datetime.now(timezone.utc), 0
    while db.session.scalar(select(func.count()).select_from(Question)) < target:
        for original in shipped:
            number += 1
            content = version_content(original.current_version)
            content["stem"] = f"(Variant {number}) {content['stem']}"
            question = Question(id=f"BEN-{number:05d}", topic_id=original.topic_id, module_id=original.module_id,
                                status=rng.choice(["published"] * 8 + ["draft", "retired"]), updated_at=now)
            db.session.add(question)
            db.session.flush()
            store_version(question, content, author_id=None, source="file",
                          now=now - timedelta(minutes=rng.randrange(100_000)))
            if number % 500 == 0:
                db.session.commit()
        db.session.commit()


def _answers(total: int) -> None:
    # One real account, then 999 copies of its password hash: hashing is not what is measured here.
    first = create_user("learner0@example.org", PASSWORD, "L0", "learner")
    db.session.execute(insert(User), [{"email": f"learner{n}@example.org", "display_name": f"L{n}",
                                       "password_hash": first.password_hash, "role": "learner",
                                       "session_token": f"t{n}"} for n in range(1, 1000)])
    db.session.commit()
    users = db.session.scalars(select(User).where(User.role == "learner").order_by(User.id)).all()
    rows = db.session.execute(select(Question.id, Question.current_version_id, Question.topic_id)).all()
    rng, start, counts = random.Random(2), datetime(2026, 1, 1, tzinfo=timezone.utc), {}

    def answers():
        for n in range(total):
            question_id, version_id, topic_id = rows[rng.randrange(len(rows))]
            counts[question_id] = counts.get(question_id, 0) + 1
            yield {"user_id": users[n % 1000].id, "question_id": question_id, "question_version_id": version_id,
                   "topic_id": topic_id, "source": "practice", "chosen_option": rng.randrange(4),
                   "correct": rng.random() < 0.7, "guessed": False, "rating": 3,
                   "answered_at": start + timedelta(seconds=n * 20)}

    insert_in_batches(Answer, answers())
    for question_id, count in counts.items():
        db.session.execute(text("UPDATE questions SET answer_count = :n WHERE id = :id"), {"n": count, "id": question_id})
    db.session.commit()
    analyze()


def bare_query(params: dict) -> int:
    """The same rows as the page, by hand: count plus one page of 50, joined to titles."""
    base = (select(Question.id).select_from(Question)
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .join(Topic, Topic.id == Question.topic_id).join(Module, Module.id == Question.module_id))
    conditions = [QuestionVersion.search_text.contains(w) for w in params.get("q", "").split()]
    if params.get("module"):
        conditions.append(Question.module_id == params["module"])
    if params.get("topic"):
        conditions.append(Question.topic_id == params["topic"])
    if params.get("level"):
        conditions.append(QuestionVersion.level == int(params["level"]))
    total = db.session.scalar(select(func.count()).select_from(base.where(*conditions).subquery()))
    order = Question.answer_count.desc() if params.get("sort") == "answers" else Question.id
    page = int(params.get("page", 1))
    rows = db.session.execute(
        select(Question.id, Question.status, QuestionVersion.version, QuestionVersion.level, QuestionVersion.stem,
               QuestionVersion.tags, Topic.title, Module.title, Question.updated_at, Question.answer_count)
        .select_from(base.where(*conditions).subquery().join(Question, Question.id == text("anon_1.id")))
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .join(Topic, Topic.id == Question.topic_id).join(Module, Module.id == Question.module_id)
        .order_by(order).limit(50).offset((page - 1) * 50)).all()
    return total + len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    app = bench_app("bank-bench-", args.database_url)
    started = time.perf_counter()
    build(app, args.questions, args.answers)
    with app.app_context():
        counts = (db.session.scalar(select(func.count()).select_from(Question)),
                  db.session.scalar(select(func.count()).select_from(Answer)))
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, {counts[0]:,} questions, "
          f"{counts[1]:,} answers (built in {time.perf_counter() - started:.0f} s)")
    report(app, args.repeats)


def report(app, repeats: int) -> None:
    client = logged_in(app, "trainer@example.org")
    print(f"{'query':36} {'app median':>11} {'app p95':>9} {'bare median':>12} {'rows':>6}")
    for name, url in QUERIES.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        app_times = timed(lambda: client.get(url).close(), repeats, warm=True)
        params = dict(pair.split("=") for pair in url.split("?", 1)[1].split("&"))
        params["q"] = params.get("q", "").replace("+", " ")
        with app.app_context():
            found = bare_query(params)
            bare_times = timed(lambda: bare_query(params), repeats, warm=True)
        print(f"{name:36} {statistics.median(app_times):9.1f} ms {p95(app_times):6.1f} ms "
              f"{statistics.median(bare_times):9.1f} ms {found:6d}")


if __name__ == "__main__":
    main()
