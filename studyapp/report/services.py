"""The learner's dashboard and weak-topic report, built from the answer log."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from studyapp.domain.report import rank_weak_topics
from studyapp.extensions import db
from studyapp.standings import standings, trend  # noqa: F401 (trend: report.routes)
from studyapp.models import Answer, Card, Question, Status


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
