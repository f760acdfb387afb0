"""A group's mastery from one aggregate query equals each learner's own, answer by answer."""

import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import Answer, Question
from studyapp.standings import group_standings, standings, topic_facility

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


def _answers(app, user_ids, count, rng):
    with app.app_context():
        questions = [(q.id, q.current_version_id, q.topic_id) for q in db.session.scalars(select(Question))]
        for user_id in user_ids:
            for n in range(count):
                qid, version, topic = rng.choice(questions)
                # Every third answer shares its moment with the one before: the id breaks the tie.
                moment = START + timedelta(minutes=n - (n % 3 == 2))
                db.session.add(Answer(user_id=user_id, question_id=qid, question_version_id=version, topic_id=topic,
                                      chosen_option=0, correct=rng.random() < 0.65, rating=3, answered_at=moment))
        db.session.commit()


def test_group_standings_equal_each_learners_own_standings(app, make_user):
    users = [make_user(f"l{n}@example.org") for n in range(4)]
    _answers(app, users[:3], 120, random.Random(3))   # the fourth has answered nothing
    with app.test_request_context():
        facility = topic_facility()
        together = group_standings(users, facility)
        assert set(together) == set(users[:3])
        for user_id in users[:3]:
            alone = standings(user_id)
            for a, b in zip(alone, together[user_id].standings, strict=True):
                assert a.topic_id == b.topic_id and a.enough_data == b.enough_data
                assert abs(a.mastery.mean - b.mastery.mean) < 1e-9 and abs(a.mastery.low - b.mastery.low) < 1e-9
                assert a.mastery.answers == b.mastery.answers
            assert sum(together[user_id].answers_by_module.values()) == 120


def test_group_standings_ignore_everyone_else(app, make_user):
    users = [make_user(f"l{n}@example.org") for n in range(3)]
    _answers(app, users, 10, random.Random(5))
    with app.test_request_context():
        assert set(group_standings(users[1:], topic_facility())) == set(users[1:])


def test_group_activity_and_open_mistakes_equal_a_direct_count_of_the_answers(app, make_user):
    users = [make_user(f"l{n}@example.org") for n in range(3)]
    _answers(app, users[:2], 150, random.Random(7))   # 150 draws from the bank: questions repeat
    with app.test_request_context():
        together = group_standings(users, topic_facility())
        assert set(together) == set(users[:2])
        for user_id in users[:2]:
            answers = db.session.execute(select(Answer.question_id, Answer.correct, Answer.answered_at)
                                         .where(Answer.user_id == user_id).order_by(Answer.answered_at, Answer.id)).all()
            latest = {question_id: correct for question_id, correct, _ in answers}
            entry = together[user_id]
            assert entry.questions_met == len(latest)
            assert entry.open_mistakes == sum(not correct for correct in latest.values()) > 0
            assert entry.last_answer == answers[-1].answered_at
