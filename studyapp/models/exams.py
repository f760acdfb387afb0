"""Timed mock exams: one row per sitting, one per question in it."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studyapp.models.base import Base
from studyapp.models.content import QuestionVersion


class MockExam(Base):
    __tablename__ = "mock_exams"
    __table_args__ = (
        Index("ix_mock_exams_user_started", "user_id", "started_at"),
        # One running mock per learner, held by the database (two starts at once on
        # PostgreSQL once made two); a partial index works on both databases.
        Index("uq_mock_exams_one_running", "user_id", unique=True,
              sqlite_where=text("submitted_at IS NULL"), postgresql_where=text("submitted_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime]
    deadline: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    length: Mapped[int]
    pass_mark: Mapped[int]
    score: Mapped[int | None]
    # The readiness prediction when the mock was submitted, to check it against the score.
    predicted_score: Mapped[float | None]
    # Set when a corrected key changed the score (analytics.regrade): the score first given.
    score_before_regrade: Mapped[int | None]
    regraded_at: Mapped[datetime | None]
    # The question the learner last had open, so "Resume" returns there.
    last_position: Mapped[int] = mapped_column(default=1, server_default="1")

    items: Mapped[list["MockItem"]] = relationship(back_populates="exam", order_by="MockItem.position")

    @property
    def in_progress(self) -> bool:
        return self.submitted_at is None


class MockItem(Base):
    __tablename__ = "mock_items"
    __table_args__ = (UniqueConstraint("exam_id", "position"), UniqueConstraint("exam_id", "question_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("mock_exams.id"))
    position: Mapped[int]
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    module_id: Mapped[str] = mapped_column(ForeignKey("modules.id"))
    option_order: Mapped[list] = mapped_column(JSON)
    chosen_shown: Mapped[int | None]      # position on screen; None while unanswered
    flagged: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime | None]

    exam: Mapped[MockExam] = relationship(back_populates="items")
    question_version: Mapped[QuestionVersion] = relationship()

    @property
    def chosen_option(self) -> int | None:
        """The chosen option's index in the authored list."""
        return None if self.chosen_shown is None else self.option_order[self.chosen_shown]

    @property
    def correct(self) -> bool:
        return self.chosen_option is not None and self.chosen_option == self.question_version.correct_index
