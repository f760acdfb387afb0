"""The learner's dashboard and weak-topic report, built from the answer log."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from studyapp.domain.mastery import smoothed_facility
from studyapp.domain.report import TopicStanding, rank_weak_topics, weekly_trend
from studyapp.extensions import db
from studyapp.report.replays import replayed_tracker
from studyapp.models import Answer, Card, Module, Question, Status, Topic


def topic_facility() -> dict[str, float]:
    """How often each topic's questions are answered correctly, by everyone.

    Summed over the bank's per-question counters (kept in each answer's transaction),
    so it costs the size of the bank, not of the answer log. An answer counts for the
    topic its question is in now (a question moved to another topic takes its history)."""
    rows = db.session.execute(select(Question.topic_id, func.sum(Question.answer_count), func.sum(Question.correct_count))
                              .group_by(Question.topic_id))
    return {topic_id: smoothed_facility(int(right or 0), int(total or 0)) for topic_id, total, right in rows if total}


def standings(user_id: int) -> list[TopicStanding]:
    """Every topic, in syllabus order, with this learner's mastery estimate."""
    tracker = replayed_tracker(user_id)
    tracker.facility = topic_facility()
    band_limit = current_app.config["MASTERY_BAND_LIMIT"]
    result = []
    for topic, module in db.session.execute(select(Topic, Module).join(Module).order_by(Module.position, Topic.position)):
        mastery = tracker.estimate(topic.id)
        result.append(TopicStanding(topic.id, topic.title, module.id, module.title, module.weight, mastery,
                                    mastery.enough_data(band_limit)))
    return result


def weak_topic_ids(user_id: int, limit: int = 3) -> list[str]:
    return [s.topic_id for s in rank_weak_topics(standings(user_id), limit)]


@dataclass(frozen=True)
class ReviewOutlook:
    due_now: int
    by_day: list[tuple[datetime, int]]     # the next 7 days, day start and count due that day
    next_review: datetime | None
    new_questions: int


def review_outlook(user_id: int, now: datetime) -> ReviewOutlook:
    """What is due now, in each of the next 7 days, and when the next review is."""
    dues = list(db.session.scalars(select(Card.due).join(Question, Question.id == Card.question_id)
                                   .where(Card.user_id == user_id, Question.status == Status.PUBLISHED)))
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    by_day = []
    for offset in range(1, 8):
        start = day_start + timedelta(days=offset)
        by_day.append((start, sum(1 for due in dues if start <= due < start + timedelta(days=1))))
    future = [due for due in dues if due > now]
    offered = db.session.scalar(select(func.count()).select_from(Question).where(Question.status == Status.PUBLISHED))
    return ReviewOutlook(due_now=sum(1 for due in dues if due <= now), by_day=by_day,
                         next_review=min(future) if future else None, new_questions=offered - len(dues))


def trend(user_id: int, now: datetime, weeks: int = 8):
    """Weekly accuracy over the last `weeks` weeks, reading only those weeks' answers."""
    answers = db.session.execute(select(Answer.answered_at, Answer.correct).where(
        Answer.user_id == user_id, Answer.answered_at > now - timedelta(weeks=weeks)))
    return weekly_trend([(moment, correct) for moment, correct in answers], now, weeks)


CSV_COLUMNS = ["answered_at", "question_id", "version", "topic", "correct", "guessed", "chosen_option",
               "rating", "duration_ms", "source"]


def answers_csv(user_id: int) -> str:
    """The learner's own answer log as CSV (never anyone else's)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for answer in db.session.scalars(select(Answer).where(Answer.user_id == user_id).order_by(Answer.answered_at)):
        writer.writerow([answer.answered_at.isoformat(), answer.question_id, answer.question_version.version,
                         answer.topic_id, int(answer.correct), int(answer.guessed), "ABCDEF"[answer.chosen_option],
                         answer.rating, answer.duration_ms or "", answer.source])
    return out.getvalue()
