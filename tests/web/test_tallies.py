"""Stored tallies stay equal to a tally of the whole answer log: advanced by new answers,
recomputed after anything new answers cannot explain, dropped with the learner's answers."""

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select, update

from studyapp import tallies
from studyapp.extensions import db
from studyapp.models import Answer, LearnerTally, Question

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


def _answer(user_ids, count, rng, start=START):
    questions = [(q.id, q.current_version_id, q.topic_id) for q in db.session.scalars(select(Question))]
    for user_id in user_ids:
        for n in range(count):
            qid, version, topic = rng.choice(questions)
            db.session.add(Answer(user_id=user_id, question_id=qid, question_version_id=version, topic_id=topic,
                                  chosen_option=0, correct=rng.random() < 0.6, rating=3,
                                  answered_at=start + timedelta(minutes=n)))
    db.session.commit()


def _from_scratch(user_ids):
    return {user_id: tally for user_id, (_, tally) in tallies._from_log(user_ids, tallies.log_signatures(user_ids)).items()}


def _assert_equal(got, expected):
    assert got.keys() == expected.keys()
    for user_id, want in expected.items():
        have = got[user_id]
        assert have.topics.keys() == want.topics.keys()
        for topic, counts in want.topics.items():
            assert have.topics[topic][2] == counts[2]
            assert have.topics[topic][:2] == pytest.approx(counts[:2], abs=1e-9)
        assert have.learner[2] == want.learner[2] and have.learner[:2] == pytest.approx(want.learner[:2], abs=1e-9)
        assert (have.questions_met, have.open_mistakes) == (want.questions_met, want.open_mistakes)
        assert have.last_answered_at == want.last_answered_at


@pytest.fixture
def learners(app, make_user):
    users = [make_user(f"t{n}@example.org") for n in range(3)]
    with app.test_request_context():
        _answer(users[:2], 80, random.Random(1))    # the third has answered nothing
    return users


def test_the_first_read_stores_a_tally_of_each_learner_with_answers(app, learners):
    with app.test_request_context():
        got = tallies.current_tallies(learners)
        _assert_equal(got, _from_scratch(learners))
        assert set(db.session.scalars(select(LearnerTally.user_id))) == set(learners[:2])
        assert all(db.session.scalars(select(LearnerTally.topics)))


def test_new_answers_advance_the_stored_tally_without_reading_the_log_again(app, learners, monkeypatch):
    with app.test_request_context():
        tallies.current_tallies(learners)
        _answer(learners, 40, random.Random(2), START + timedelta(days=1))   # the third learner's first answers
        recounted = []
        original = tallies._from_log
        monkeypatch.setattr(tallies, "_from_log", lambda ids, sig: recounted.extend(ids) or original(ids, sig))
        got = tallies.current_tallies(learners)
        assert recounted == [learners[2]]        # the other two were advanced
        monkeypatch.undo()
        _assert_equal(got, _from_scratch(learners))
        _assert_equal(tallies.current_tallies(learners), got)   # and what was stored reads back the same


@pytest.mark.parametrize("change", ["regrade", "late answer", "deleted answer"])
def test_a_change_new_answers_cannot_explain_recomputes_the_learner(app, learners, change):
    with app.test_request_context():
        tallies.current_tallies(learners)
        first = db.session.scalar(select(Answer).where(Answer.user_id == learners[0]).order_by(Answer.id).limit(1))
        if change == "regrade":
            db.session.execute(update(Answer).where(Answer.id == first.id).values(correct=not first.correct))
        elif change == "late answer":   # logged now, answered before everything else (a late mock)
            _answer([learners[0]], 1, random.Random(3), START - timedelta(days=1))
        else:
            db.session.execute(delete(Answer).where(Answer.id == first.id))
        db.session.commit()
        _assert_equal(tallies.current_tallies(learners), _from_scratch(learners))


def test_a_learner_whose_answers_are_all_gone_loses_the_tally(app, learners):
    with app.test_request_context():
        tallies.current_tallies(learners)
        db.session.execute(delete(Answer).where(Answer.user_id == learners[1]))
        db.session.commit()
        assert set(tallies.current_tallies(learners)) == {learners[0]}
        assert set(db.session.scalars(select(LearnerTally.user_id))) == {learners[0]}


def test_deleting_an_account_drops_its_tally(app, learners):
    from studyapp.auth.privacy import delete_account
    from studyapp.models import User

    with app.test_request_context():
        tallies.current_tallies(learners)
        delete_account(db.session.get(User, learners[0]), START)
        db.session.commit()
        assert set(db.session.scalars(select(LearnerTally.user_id))) == {learners[1]}
