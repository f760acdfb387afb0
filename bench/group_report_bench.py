"""The group report and the learner's dashboard at size: 1,000,000 answers.

Builds a database (SQLite in a temporary folder, or the PostgreSQL URL given with
--database-url, whose tables are dropped and rebuilt) with the shipped syllabus and bank,
2,000 learners and a million answers (500 each over ten weeks), two submitted mocks per
learner, and a trainer's group of 200 of them. Then, in the same run:

  report  GET /groups/<id>/report through the Flask test client as the trainer: the
          aggregate queries, readiness and "needs help" for 200 learners, the 200 x 43
          grid in the template. The first request sums every learner's answers up and
          stores the tallies (studyapp/tallies.py), so it is shown apart; then the report
          with nothing new, and with 20 learners having answered 10 more questions each
          before every request (their tallies advanced by the new answers).
  bare    the same 100,000 rows aggregated by one hand-written query (count and right
          answers per learner and topic) and nothing else: the floor the page cannot beat.
  dashboard  GET /dashboard for one learner of the group, in no group and then in three.

Usage: python bench/group_report_bench.py [--answers 1000000] [--database-url URL] [--repeats 15]
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

from sqlalchemy import Integer, cast, func, insert, select, text  # noqa: E402

from studyapp.auth.services import create_user  # noqa: E402
from studyapp.content.services import load_shipped_content  # noqa: E402
from studyapp.extensions import db  # noqa: E402
from studyapp.groups import services as groups  # noqa: E402
from studyapp.models import Answer, Group, Membership, MockExam, Question, User  # noqa: E402
from _support import PASSWORD, analyze, bench_app, insert_in_batches, logged_in, p95, timed  # noqa: E402

LEARNERS = 2000
GROUP_SIZE = 200
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def build(app, answers: int) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_shipped_content()
        trainer = create_user("trainer@example.org", PASSWORD, "Trainer", "trainer")
        first = create_user("learner0@example.org", PASSWORD, "Learner 0", "learner")
        db.session.execute(insert(User), [{"email": f"learner{n}@example.org", "display_name": f"Learner {n}",
                                           "password_hash": first.password_hash, "role": "learner",
                                           "session_token": f"t{n}"} for n in range(1, LEARNERS)])
        db.session.commit()
        learners = db.session.scalars(select(User.id).where(User.role == "learner").order_by(User.id)).all()
        _answers(learners, answers)
        _mocks(learners)
        group = groups.create_group(trainer, "Bench class", START.date() + timedelta(days=100), False)
        db.session.execute(insert(Membership), [{"group_id": group.id, "user_id": user_id, "joined_at": START,
                                                 "extra_time": False} for user_id in learners[:GROUP_SIZE]])
        db.session.commit()
        analyze()


def _answers(learners: list[int], total: int) -> None:
    rows = db.session.execute(select(Question.id, Question.current_version_id, Question.topic_id)).all()
    rng = random.Random(2)
    per_learner = total // len(learners)

    def answers():
        for n in range(total):
            question_id, version_id, topic_id = rows[rng.randrange(len(rows))]
            learner = n // per_learner % len(learners)
            yield {"user_id": learners[learner], "question_id": question_id, "question_version_id": version_id,
                   "topic_id": topic_id, "source": "practice", "chosen_option": rng.randrange(4),
                   "correct": rng.random() < 0.4 + 0.5 * (learner % 10) / 10, "guessed": False, "rating": 3,
                   "answered_at": START + timedelta(minutes=(n % per_learner) * 140)}

    insert_in_batches(Answer, answers())


def _mocks(learners: list[int]) -> None:
    rng, rows = random.Random(3), []
    for user_id in learners:
        for week in (6, 9):
            started = START + timedelta(weeks=week, hours=rng.randrange(100))
            rows.append({"user_id": user_id, "started_at": started, "deadline": started + timedelta(minutes=40),
                         "submitted_at": started + timedelta(minutes=35), "auto_submitted": False, "length": 50,
                         "pass_mark": 25, "score": rng.randrange(15, 45), "predicted_score": rng.uniform(20, 40)})
    db.session.execute(insert(MockExam), rows)
    db.session.commit()


def bare_aggregate(group_id: int) -> int:
    """The report's rows, aggregated by hand: answers and right answers per learner and topic."""
    members = select(Membership.user_id).where(Membership.group_id == group_id, Membership.left_at.is_(None))
    rows = db.session.execute(select(Answer.user_id, Answer.topic_id, func.count(), func.sum(cast(Answer.correct, Integer)))
                              .where(Answer.user_id.in_(members)).group_by(Answer.user_id, Answer.topic_id)).all()
    return len(rows)


def _new_answers(app, group_id: int):
    """A step that logs 10 new answers for each of 20 group members, later than all before."""
    rng, clock = random.Random(4), [START + timedelta(days=120)]
    with app.app_context():
        members = db.session.scalars(select(Membership.user_id).where(Membership.group_id == group_id)
                                     .order_by(Membership.user_id)).all()
        questions = db.session.execute(select(Question.id, Question.current_version_id, Question.topic_id)).all()

    def step() -> None:
        rows = []
        for user_id in rng.sample(members, 20):
            for _ in range(10):
                clock[0] += timedelta(minutes=1)
                question_id, version_id, topic_id = rng.choice(questions)
                rows.append({"user_id": user_id, "question_id": question_id, "question_version_id": version_id,
                             "topic_id": topic_id, "source": "practice", "chosen_option": 0,
                             "correct": rng.random() < 0.6, "guessed": False, "rating": 3, "answered_at": clock[0]})
        with app.app_context():
            db.session.execute(insert(Answer), rows)
            db.session.commit()

    return step


def _line(name: str, times: list[float], note: str = "") -> None:
    print(f"{name:44} {statistics.median(times):9.1f} ms {p95(times):8.1f} ms  {note}")


def measure(app, repeats: int) -> None:
    with app.app_context():
        group_id = db.session.scalar(select(Group.id).where(Group.name == "Bench class"))
        members = db.session.scalar(select(func.count()).select_from(Membership).where(Membership.group_id == group_id))
        in_group = db.session.scalar(select(func.count()).select_from(Answer).where(
            Answer.user_id.in_(select(Membership.user_id).where(Membership.group_id == group_id))))
    print(f"group: {members} learners, {in_group:,} of their answers")
    print(f"{'':44} {'median':>12} {'p95':>11}")
    trainer = logged_in(app, "trainer@example.org")
    url = f"/groups/{group_id}/report"
    cold = timed(lambda: _ok(trainer.get(url)), 1)
    _line("report, first request (tallies stored)", cold)
    _line("report (app)", timed(lambda: _ok(trainer.get(url)), repeats))
    fresh = _new_answers(app, group_id)
    _line("report, 20 learners answered 10 more each", timed(lambda: _ok(trainer.get(url)), repeats, before=fresh))
    _line("report sorted by a topic (app)", timed(lambda: _ok(trainer.get(url + "?sort=topic:roles.governance-model&dir=desc")),
                                                   repeats))
    with app.app_context():
        rows = bare_aggregate(group_id)
        _line("bare aggregate of the same rows", timed(lambda: bare_aggregate(group_id), repeats), f"{rows} rows")
    dashboard(app, repeats)


def dashboard(app, repeats: int) -> None:
    learner = logged_in(app, "learner5@example.org")
    _line("dashboard, learner in no group", timed(lambda: _ok(learner.get("/dashboard")), repeats))
    with app.app_context():
        trainer = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
        user = db.session.scalar(select(User).where(User.email == "learner5@example.org"))
        db.session.execute(text("DELETE FROM memberships WHERE user_id = :id"), {"id": user.id})
        for n in range(3):
            groups.join(user, groups.create_group(trainer, f"Extra group {n}", START.date() + timedelta(days=200 + n),
                                                  n == 1), START)
        db.session.commit()
    page = learner.get("/dashboard").get_data(as_text=True)
    assert page.count("Extra group") == 3, "the dashboard should list three groups"
    _line("dashboard, learner in three groups", timed(lambda: _ok(learner.get("/dashboard")), repeats))


def _ok(response) -> None:
    assert response.status_code == 200, response.status_code
    response.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    app = bench_app("group-bench-", args.database_url, LOGIN_RATE_LIMIT="100000 per minute")
    started = time.perf_counter()
    build(app, args.answers)
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Answer))
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, {total:,} answers, {LEARNERS:,} learners "
          f"(built in {time.perf_counter() - started:.0f} s)")
    measure(app, args.repeats)


if __name__ == "__main__":
    main()
