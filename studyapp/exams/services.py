"""Mock exams: starting (or resuming), saving answers against the clock, submitting, results."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from studyapp.domain.exams import (
    ExamClock, ItemOutcome, MockScore, PoolQuestion, mock_exam_blueprint, pass_mark_for,
    sample_mock, score_mock, time_allowed,
)
from studyapp.domain.practice import shuffled_order
from studyapp.domain.scheduling import Review
from studyapp.extensions import db
from studyapp.models import (
    Answer, MockExam, MockItem, Module, Question, Status, User, count_answers, exam_date_for, extra_time_granted,
)
from studyapp.practice.services import locked_card, update_card
from studyapp.standings import readiness_for


class TimeUp(Exception):
    """The exam's time has run out; the answer was not counted."""


def module_weights() -> dict[str, int]:
    return dict(db.session.execute(select(Module.id, Module.weight).order_by(Module.position)).all())


def has_extra_time(user: User) -> bool:
    """25 % extra time: declared by the learner, or granted by the trainer of one of their groups."""
    return user.extra_time or extra_time_granted(db.session, user.id)


def active_exam(user: User) -> MockExam | None:
    return db.session.scalar(select(MockExam).where(MockExam.user_id == user.id, MockExam.submitted_at.is_(None)))


def get_exam(user: User, exam_id: int, lock: bool = False) -> MockExam | None:
    """The learner's own exam, or None: another learner's looks the same as none."""
    statement = select(MockExam).where(MockExam.id == exam_id, MockExam.user_id == user.id)
    return db.session.scalar(statement.with_for_update() if lock else statement)


def start_mock(user: User, now: datetime, rng: random.Random, length: int, minutes: float) -> MockExam:
    """A new mock drawn to the module shares, or the one already in progress (resumed).

    Two starts at once (a double click, two tabs) queue on the learner's row, so the
    second finds and resumes the first; the partial unique index uq_mock_exams_one_running
    holds the rule in the database whatever a caller does."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    running = active_exam(user)
    if running is not None:
        return running
    met = set(db.session.scalars(select(MockItem.question_id).join(MockExam).where(MockExam.user_id == user.id)))
    pool = [PoolQuestion(qid, module, qid in met) for qid, module in db.session.execute(
        select(Question.id, Question.module_id).where(Question.status == Status.PUBLISHED))]
    chosen = sample_mock(pool, mock_exam_blueprint(module_weights(), length), rng)
    exam = MockExam(user_id=user.id, started_at=now, deadline=now + time_allowed(minutes, has_extra_time(user)),
                    length=length, pass_mark=pass_mark_for(length))
    db.session.add(exam)
    db.session.flush()
    for position, question_id in enumerate(chosen, start=1):
        question = db.session.get(Question, question_id)
        version = question.current_version
        db.session.add(MockItem(exam_id=exam.id, position=position, question_id=question_id,
                                question_version_id=version.id, module_id=question.module_id,
                                option_order=shuffled_order(len(version.options), rng)))
    db.session.flush()
    return exam


def clock(exam: MockExam) -> ExamClock:
    return ExamClock(exam.started_at, exam.deadline)


def needs_auto_submit(exam: MockExam, now: datetime) -> bool:
    """Still running although its time is up: the next request must submit it."""
    return exam.in_progress and clock(exam).expired(now)


def submit_if_expired(user: User, exam: MockExam, now: datetime) -> bool:
    """Submit an exam whose time is up (the learner may have closed the tab); True if it was."""
    if needs_auto_submit(exam, now):
        submit(user, exam, now, automatic=True)
        return True
    return False


def save_answer(exam: MockExam, item: MockItem, shown_choice: int | None, flagged: bool, now: datetime) -> None:
    """Record or change an answer and the flag; refused once the time is up."""
    if not exam.in_progress or clock(exam).expired(now):
        raise TimeUp(exam.id)
    if shown_choice is not None:
        if not 0 <= shown_choice < len(item.option_order):
            raise ValueError("no such option")
        item.chosen_shown = shown_choice
        item.answered_at = now
    item.flagged = flagged
    db.session.flush()


def submit(user: User, exam: MockExam, now: datetime, automatic: bool = False) -> None:
    """Score the exam and feed its answers to the learner's cards and answer log, once."""
    if not exam.in_progress:
        return
    exam.predicted_score = _prediction(user)
    exam.submitted_at = min(now, exam.deadline)
    exam.auto_submitted = automatic
    exam.score = sum(item.correct for item in exam.items)
    answered = sorted((i for i in exam.items if i.chosen_shown is not None), key=lambda i: i.answered_at)
    # Asked once per day the answers fall on (two at most: a mock lasts under an hour).
    exam_dates = {day: exam_date_for(db.session, user, day) for day in {i.answered_at.date() for i in answered}}
    for item in answered:
        rating = update_card(user, item.question_id, Review(item.answered_at, item.correct), item.answered_at,
                             exam_dates[item.answered_at.date()], locked_card(user.id, item.question_id))
        version = item.question_version
        db.session.add(Answer(user_id=user.id, question_id=item.question_id, question_version_id=version.id,
                              topic_id=version.topic_id, mock_item_id=item.id, source="mock",
                              chosen_option=item.chosen_option, correct=item.correct, guessed=False,
                              rating=int(rating), answered_at=item.answered_at))
    count_answers(db.session, [(item.question_id, item.correct) for item in answered])
    db.session.flush()


def _prediction(user: User) -> float | None:
    current = readiness_for(user)
    return None if current.withheld else current.predicted


def result(exam: MockExam) -> MockScore:
    outcomes = [ItemOutcome(i.module_id, i.chosen_shown is not None, i.correct) for i in exam.items]
    return score_mock(outcomes, module_weights(), exam.pass_mark)


def history(user: User) -> list[MockExam]:
    return list(db.session.scalars(select(MockExam).where(MockExam.user_id == user.id, MockExam.submitted_at.is_not(None))
                                   .order_by(MockExam.started_at)))


@dataclass(frozen=True)
class GridCell:
    position: int
    answered: bool
    flagged: bool


def grid(exam: MockExam) -> list[GridCell]:
    return [GridCell(i.position, i.chosen_shown is not None, i.flagged) for i in exam.items]


def time_used(exam: MockExam) -> timedelta:
    return (exam.submitted_at or exam.deadline) - exam.started_at
