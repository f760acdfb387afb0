"""Mastery and readiness from the answer log: the calculation the learner's report, the
mock exams and a trainer's group report all need, so it lives below all three.

`standings` replays one learner's answers through the online tracker; `group_standings`
gets the same numbers for a whole group from one aggregate query (decayed counts summed
by the database), so a group of hundreds costs one query, not one per learner."""

import math
from datetime import datetime, timedelta
from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import and_, case, func, null, select, union_all

from studyapp.domain.exams import EXAM_QUESTIONS
from studyapp.domain.mastery import DEFAULT_PARAMS, MasteryTracker, smoothed_facility
from studyapp.domain.readiness import MockCheck, Readiness, readiness
from studyapp.domain.report import TopicStanding, WeekPoint, weekly_trend
from studyapp.extensions import db
from studyapp.mastery_replays import replayed_tracker
from studyapp.models import Answer, MockExam, Module, Question, Topic, User

# A decayed weight below this is dropped (it would change no figure shown), which also
# keeps PostgreSQL's power() from underflowing on a learner's ten-thousandth answer.
NEGLIGIBLE_WEIGHT = 1e-12


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


def decayed_counts(user_ids):
    """One pass over the learners' answers (windows computed once, in a materialized CTE).

    Rows with a topic, per (learner, topic): decayed right and wrong within the topic, the
    number of answers, the learner-wide decayed right and wrong contributed by the topic's
    answers. Rows without a topic, one per learner: the latest answer, questions met and
    open mistakes (questions whose latest answer was wrong)."""
    params = DEFAULT_PARAMS
    order = (Answer.answered_at.desc(), Answer.id.desc())
    ranked = select(
        Answer.user_id, Answer.topic_id, Answer.question_id, Answer.correct, Answer.answered_at,
        (func.row_number().over(partition_by=Answer.user_id, order_by=order) - 1).label("k_learner"),
        (func.row_number().over(partition_by=(Answer.user_id, Answer.topic_id), order_by=order) - 1).label("k_topic"),
    ).where(Answer.user_id.in_(user_ids)).cte("ranked").prefix_with("MATERIALIZED")
    a = ranked.c
    sums = [_sum_decayed(a, want, k, decay)
            for want, k, decay in ((True, a.k_topic, params.topic_decay), (False, a.k_topic, params.topic_decay),
                                   (True, a.k_learner, params.learner_decay), (False, a.k_learner, params.learner_decay))]
    by_topic = select(a.user_id, a.topic_id, *sums[:2], func.count(), *sums[2:], null(), null(),
                      null()).group_by(a.user_id, a.topic_id)
    # k_learner is unique within a learner, so the smallest 2k + wrong is the latest answer
    # to the question, and its last bit says whether it was wrong: a hash aggregate, no sort.
    latest = select(a.user_id, func.min(2 * a.k_learner + case((a.correct.is_(False), 1), else_=0)).label("code"),
                    func.max(a.answered_at).label("last")).group_by(a.user_id, a.question_id).subquery()
    by_learner = select(latest.c.user_id, null(), null(), null(), null(), null(), null(), func.max(latest.c.last),
                        func.count(), func.sum(latest.c.code % 2)).group_by(latest.c.user_id)
    # The learners' rows first: their columns' types (a timestamp) are the union's.
    return db.session.execute(union_all(by_learner, by_topic)).all()


def _sum_decayed(columns, correct_wanted: bool, k, decay: float):
    """sum(decay**k) over the rows whose `correct` is `correct_wanted` (k: answers given since)."""
    horizon = math.ceil(math.log(NEGLIGIBLE_WEIGHT) / math.log(decay))
    hit = columns.correct.is_(True) if correct_wanted else columns.correct.is_(False)
    return func.sum(case((and_(hit, k < horizon), func.power(decay, k)), else_=0.0))


@dataclass(frozen=True)
class LearnerStandings:
    standings: list[TopicStanding]
    answers_by_module: dict[str, int]
    last_answer: datetime | None = None
    questions_met: int = 0
    open_mistakes: int = 0


def group_standings(user_ids, facility: dict[str, float]) -> dict[int, LearnerStandings]:
    """Standings of many learners at once (`user_ids`: a list or a subquery), equal to
    `standings()` of each, with each learner's activity and open mistakes; learners with
    no answers are absent (see `empty_standings`)."""
    topics = _topics()
    module_of = {topic[0]: topic[2] for topic in topics}
    per_user: dict[int, dict] = defaultdict(lambda: {"topics": {}, "learner": [0.0, 0.0, 0], "modules": defaultdict(int),
                                                     "last": None, "met": 0, "open": 0})
    for row in decayed_counts(user_ids):
        user_id, topic_id, right, wrong, answers, learner_right, learner_wrong, last, met, mistakes = row
        entry = per_user[user_id]
        if topic_id is None:
            entry["last"], entry["met"], entry["open"] = last, int(met), int(mistakes)
            continue
        entry["topics"][topic_id] = (float(right), float(wrong), int(answers))
        learner = entry["learner"]
        learner[0] += float(learner_right)
        learner[1] += float(learner_wrong)
        learner[2] += int(answers)
        entry["modules"][module_of.get(topic_id, "")] += int(answers)
    result = {}
    for user_id, entry in per_user.items():
        tracker = MasteryTracker.from_counts(facility, entry["topics"], tuple(entry["learner"]))
        result[user_id] = LearnerStandings(_standings_of(tracker, topics), dict(entry["modules"]), entry["last"],
                                           entry["met"], entry["open"])
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
