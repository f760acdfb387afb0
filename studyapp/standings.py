"""Mastery and readiness from the answer log: the calculation the learner's report, the
mock exams and a trainer's group report all need, so it lives below all three.

`standings` replays one learner's answers through the online tracker; `group_standings`
gets the same numbers for a whole group from the learners' stored tallies (decayed counts
kept up to date by studyapp/tallies.py), so a group of hundreds costs a few queries, not
one per learner."""

from datetime import datetime, timedelta
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from studyapp.domain.exams import EXAM_QUESTIONS
from studyapp.domain.mastery import MasteryTracker, smoothed_facility
from studyapp.domain.readiness import MockCheck, Readiness, readiness
from studyapp.domain.report import TopicStanding, WeekPoint, weekly_trend
from studyapp.extensions import db
from studyapp.mastery_replays import replayed_tracker
from studyapp.models import Answer, MockExam, Module, Question, Topic, User
from studyapp.tallies import current_tallies


def topic_facility() -> dict[str, float]:
    """How often each topic's questions are answered correctly, by everyone.

    Summed over the bank's per-question counters (kept in each answer's transaction),
    so it costs the size of the bank, not of the answer log. An answer counts for the
    topic its question is in now (a question moved to another topic takes its history)."""
    rows = db.session.execute(select(Question.topic_id, func.sum(Question.answer_count), func.sum(Question.correct_count))
                              .group_by(Question.topic_id))
    return {topic_id: smoothed_facility(int(right or 0), int(total or 0)) for topic_id, total, right in rows if total}


def _topics() -> list[tuple]:
    """(topic id, title, module id, title, weight) in syllabus order: plain tuples, since a
    group report reads them for every learner and ORM attribute access adds up."""
    return [tuple(row) for row in db.session.execute(
        select(Topic.id, Topic.title, Module.id, Module.title, Module.weight).join(Module, Topic.module_id == Module.id)
        .order_by(Module.position, Topic.position))]


def _standings_of(tracker: MasteryTracker, topics: list[tuple]) -> list[TopicStanding]:
    band_limit = current_app.config["MASTERY_BAND_LIMIT"]
    estimates = tracker.estimate_many([topic[0] for topic in topics])
    return [TopicStanding(*topic, mastery, mastery.enough_data(band_limit)) for topic, mastery in zip(topics, estimates)]


def standings(user_id: int) -> list[TopicStanding]:
    """Every topic, in syllabus order, with this learner's mastery estimate.

    The replay of the learner's answers is kept and advanced (see mastery_replays)."""
    tracker = replayed_tracker(user_id)
    tracker.facility = topic_facility()
    return _standings_of(tracker, _topics())


@dataclass(frozen=True)
class LearnerStandings:
    standings: list[TopicStanding]
    answers_by_module: dict[str, int]
    last_answer: datetime | None = None
    questions_met: int = 0
    open_mistakes: int = 0


def group_standings(user_ids: list[int], facility: dict[str, float]) -> dict[int, LearnerStandings]:
    """Standings of many learners at once, equal to `standings()` of each, with each learner's
    activity and open mistakes, from their stored tallies (studyapp/tallies.py); learners
    with no answers are absent (see `empty_standings`)."""
    topics = _topics()
    module_of = {topic[0]: topic[2] for topic in topics}
    result = {}
    for user_id, tally in current_tallies(user_ids).items():
        modules: dict[str, int] = defaultdict(int)
        for topic_id, (_, _, answers) in tally.topics.items():
            modules[module_of.get(topic_id, "")] += answers
        tracker = MasteryTracker.from_counts(facility, tally.topics, tally.learner)
        result[user_id] = LearnerStandings(_standings_of(tracker, topics), dict(modules), tally.last_answered_at,
                                           tally.questions_met, tally.open_mistakes)
    return result


def empty_standings(facility: dict[str, float]) -> list[TopicStanding]:
    """The standings of a learner who has answered nothing."""
    return _standings_of(MasteryTracker(facility=facility), _topics())


def mock_checks(user_ids) -> dict[int, list[MockCheck]]:
    """Each learner's submitted mocks as (predicted, scored) pairs, oldest first."""
    rows = db.session.execute(
        select(MockExam.user_id, MockExam.predicted_score, MockExam.score, MockExam.length)
        .where(MockExam.user_id.in_(user_ids), MockExam.submitted_at.is_not(None), MockExam.predicted_score.is_not(None))
        .order_by(MockExam.started_at))
    checks: dict[int, list[MockCheck]] = defaultdict(list)
    for user_id, predicted, score, length in rows:
        checks[user_id].append(MockCheck(predicted, score * EXAM_QUESTIONS / length))
    return checks


def readiness_for(user: User, topic_standings: list[TopicStanding] | None = None,
                  module_answers: dict[str, int] | None = None) -> Readiness:
    """Readiness from this learner's mastery estimates, checked against their past mocks.

    Pass `topic_standings` and `module_answers` (answers per module) when the caller has
    already worked them out (the dashboard), so the answer log is not read again."""
    counts = module_answers if module_answers is not None else dict(db.session.execute(
        select(Topic.module_id, func.count()).join(Answer, Answer.topic_id == Topic.id)
        .where(Answer.user_id == user.id).group_by(Topic.module_id)).all())
    checks = mock_checks([user.id]).get(user.id, [])
    return readiness(topic_standings if topic_standings is not None else standings(user.id), counts, checks)


def trend(user_id: int, now: datetime, weeks: int = 8) -> list[WeekPoint]:
    """The learner's accuracy week by week (their own report, and their trainer's view of it),
    reading only those weeks' answers."""
    answers = db.session.execute(select(Answer.answered_at, Answer.correct).where(
        Answer.user_id == user_id, Answer.answered_at > now - timedelta(weeks=weeks)))
    return weekly_trend([(moment, correct) for moment, correct in answers], now, weeks)
