"""A learner's study state: reading, practice sessions, answers and FSRS cards."""

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint, bindparam, update
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from studyapp.models.base import Base, execute_on_connection, utcnow
from studyapp.models.content import Question, QuestionVersion


class TopicRead(Base):
    __tablename__ = "topic_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class Card(Base):
    """FSRS memory state of one learner for one question; rebuildable from answers."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_cards_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    state: Mapped[int]
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    reviews: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)


class PracticeSession(Base):
    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list["SessionItem"]] = relationship(
        back_populates="session", order_by="SessionItem.position"
    )


class SessionItem(Base):
    """One question as presented in a session, with its shuffled option order."""

    __tablename__ = "session_items"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        UniqueConstraint("session_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id"))
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    # option_order[shown position] = index of the option in the authored list
    option_order: Mapped[list] = mapped_column(JSON)

    session: Mapped[PracticeSession] = relationship(back_populates="items")
    question_version: Mapped[QuestionVersion] = relationship()
    answer: Mapped["Answer | None"] = relationship(back_populates="session_item")


class Answer(Base):
    """Append-only log: every answer a learner gives. Cards are rebuilt from it."""

    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_user_time", "user_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"))
    # Unique: a double-clicked submit cannot record a second answer to one item.
    session_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_items.id"), unique=True
    )
    # Set for answers given in a mock exam, copied into the log when it is submitted.
    mock_item_id: Mapped[int | None] = mapped_column(ForeignKey("mock_items.id"), unique=True)
    source: Mapped[str] = mapped_column(String(10), default="practice")
    chosen_option: Mapped[int]
    correct: Mapped[bool]
    guessed: Mapped[bool] = mapped_column(default=False)
    rating: Mapped[int]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    duration_ms: Mapped[int | None]

    question: Mapped[Question] = relationship()
    question_version: Mapped[QuestionVersion] = relationship()
    session_item: Mapped[SessionItem | None] = relationship(back_populates="answer")


# A learner's answers per question, latest first, carrying what the learner's pages read:
# each question's latest answer is one index seek (practice candidates, tallies), and the
# per-topic counts and the signature checks (count, correct ids, latest id) of
# mastery_replays and tallies are read from the index, not the table.
Index("ix_answers_user_question", Answer.user_id, Answer.question_id, Answer.answered_at.desc(), Answer.id.desc(),
      Answer.correct, Answer.topic_id)


class LearnerTally(Base):
    """One learner's answer log summed up for the group report (studyapp/tallies.py).

    Derived data, never the record: it can be deleted at any time and is rebuilt from the
    answers. `answers`, `right_ids` and `last_answer_id` are the signature of the log it was
    summed from (count, sum of the ids of the correct answers, latest id)."""

    __tablename__ = "learner_tallies"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    answers: Mapped[int]
    right_ids: Mapped[int] = mapped_column(BigInteger)
    last_answer_id: Mapped[int]
    last_answered_at: Mapped[datetime]
    # Decayed right and wrong over all topics (the learner's recent form).
    decayed_right: Mapped[float]
    decayed_wrong: Mapped[float]
    questions_met: Mapped[int]
    open_mistakes: Mapped[int]      # questions whose latest answer was wrong
    # Per topic answered: [decayed right, decayed wrong, answers]. One document per learner,
    # not a row per topic: a report reads all of them at once, 200 rows instead of 8,600.
    topics: Mapped[dict] = mapped_column(JSON)


def count_answers(session: Session, results: Iterable[tuple[str, bool]]) -> None:
    """Add new (question id, correct) answers to each question's counts, in the answers' own transaction.

    Rows are updated in id order so two writers lock them in the same order (no deadlock).
    A table-level UPDATE: Question objects already loaded in this session keep their old counts."""
    answered, right = Counter(), Counter()
    for question_id, correct in results:
        answered[question_id] += 1
        right[question_id] += int(correct)
    rows = [{"question": question_id, "answered": answered[question_id], "right": right[question_id]}
            for question_id in sorted(answered)]
    if not rows:
        return
    # One row as one execute: a list of one would take the driver's executemany path (with
    # session.execute()'s ORM layer, about 20 of the 110 µs this took per SQLite answer).
    execute_on_connection(session, _ADD_TO_COUNTS, rows[0] if len(rows) == 1 else rows)


_questions = Question.__table__
_ADD_TO_COUNTS = (update(_questions).where(_questions.c.id == bindparam("question"))
                  .values(answer_count=_questions.c.answer_count + bindparam("answered"),
                          correct_count=_questions.c.correct_count + bindparam("right")))
