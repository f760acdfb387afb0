"""The cached mastery replay always equals a full replay of the answer log."""

from datetime import timedelta

from sqlalchemy import select

from studyapp.domain.mastery import topic_mastery
from studyapp.extensions import db
from studyapp.models import Answer, User, utcnow
from studyapp.mastery_replays import replayed_tracker
from tests.conftest import answer, start_session


def full_replay(user_id: int):
    rows = db.session.execute(select(Answer.topic_id, Answer.correct).where(Answer.user_id == user_id)
                              .order_by(Answer.answered_at, Answer.id)).all()
    return topic_mastery([(t, c) for t, c in rows], {})


def estimates(tracker, topics):
    return [tracker.estimate(t) for t in topics]


def test_cached_replay_follows_new_answers_regrades_and_out_of_order_answers(app, learner):
    url = start_session(learner, "mixed")
    for position in range(1, 4):
        answer(learner, url.rsplit("/", 1)[0] + f"/{position}", position % 2)
    with app.app_context():
        user_id = db.session.scalar(select(User.id))
        topics = sorted({a.topic_id for a in db.session.scalars(select(Answer))})
        assert estimates(replayed_tracker(user_id), topics) == estimates(full_replay(user_id), topics)
    for position in range(4, 6):
        answer(learner, url.rsplit("/", 1)[0] + f"/{position}", 0)
    with app.app_context():
        assert estimates(replayed_tracker(user_id), topics) == estimates(full_replay(user_id), topics)
        flipped = db.session.scalars(select(Answer).order_by(Answer.id)).first()   # a regrade
        flipped.correct = not flipped.correct
        db.session.commit()
        assert estimates(replayed_tracker(user_id), topics) == estimates(full_replay(user_id), topics)
        late = db.session.scalars(select(Answer).order_by(Answer.id.desc())).first()   # logged out of time order
        db.session.add(Answer(user_id=user_id, question_id=late.question_id, question_version_id=late.question_version_id,
                              topic_id=late.topic_id, source="mock", chosen_option=0, correct=False, rating=1,
                              answered_at=utcnow() - timedelta(days=3)))
        db.session.commit()
        assert estimates(replayed_tracker(user_id), topics) == estimates(full_replay(user_id), topics)
