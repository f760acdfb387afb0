"""The learner's dashboard and weak-topic report, built from the answer log."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, time, timezone, tzinfo

from sqlalchemy import func, select

from studyapp.domain.report import ReviewDays, rank_weak_topics, review_days
from studyapp.extensions import db
from studyapp.standings import standings, trend  # noqa: F401 (trend: report.routes)
from studyapp.models import Answer, Card, Question, Status


def weak_topic_ids(user_id: int, limit: int = 3) -> list[str]:
    return [s.topic_id for s in rank_weak_topics(standings(user_id), limit)]


@dataclass(frozen=True)
class ReviewOutlook:
    days: ReviewDays                       # due now, due today, the next 7 days, in the learner's zone
    next_review: datetime | None           # in the learner's zone
    new_questions: int
    answered_today: int

    @property
    def due_now(self) -> int:
        return self.days.due_now


def review_outlook(user_id: int, now: datetime, zone: tzinfo) -> ReviewOutlook:
    """What is due now and later today, in each of the next 7 days, and when the next review is."""
    dues = list(db.session.scalars(select(Card.due).join(Question, Question.id == Card.question_id)
                                   .where(Card.user_id == user_id, Question.status == Status.PUBLISHED)))
    future = [due for due in dues if due > now]
    offered = db.session.scalar(select(func.count()).select_from(Question).where(Question.status == Status.PUBLISHED))
    local_midnight = datetime.combine(now.astimezone(zone).date(), time(), zone)
    answered_today = db.session.scalar(select(func.count()).select_from(Answer).where(
        Answer.user_id == user_id, Answer.answered_at >= local_midnight.astimezone(timezone.utc)))
    return ReviewOutlook(days=review_days(dues, now, zone),
                         next_review=min(future).astimezone(zone) if future else None,
                         new_questions=offered - len(dues), answered_today=answered_today)


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
