"""Item analysis cache, learners' problem reports and regrades."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studyapp.models.base import Base, utcnow
from studyapp.models.content import QuestionVersion


class ItemStat(Base):
    """Cached statistics of one question version (see analytics.stats for when they are refreshed)."""

    __tablename__ = "item_stats"

    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    responses: Mapped[int]               # first attempts in practice
    mock_attempts: Mapped[int]
    facility: Mapped[float | None]       # practice first attempts, else mocks, once enough
    discrimination: Mapped[float | None]
    efficiency: Mapped[float | None]
    needs_checking: Mapped[str | None] = mapped_column(String(12))
    # "|easy|distractor|": the bank filters on one flag with LIKE instead of parsing JSON per row.
    flag_codes: Mapped[str] = mapped_column(String(200), default="")
    flags: Mapped[list] = mapped_column(JSON, default=list)      # [{"code", "reason"}]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)     # every figure with its count


class StatsRun(Base):
    """The one row saying when the cache was filled and which answers it had seen."""

    __tablename__ = "stats_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime]
    last_answer_id: Mapped[int] = mapped_column(default=0)
    answers: Mapped[int] = mapped_column(default=0)
    stale: Mapped[bool] = mapped_column(default=False)           # set by a regrade: refresh at once
    forms: Mapped[list] = mapped_column(JSON, default=list)      # test statistics per mock form and the bank


class ProblemReport(Base):
    """A learner's "there is a problem with this question", and what the trainer did about it."""

    __tablename__ = "problem_reports"
    __table_args__ = (
        Index("ix_problem_reports_user_created", "user_id", "created_at"),
        Index("ix_problem_reports_question_status", "question_id", "status"),
        # One open report per learner and version, held by the database.
        Index("uq_problem_reports_one_open", "user_id", "question_version_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")     # open | fixed | dismissed
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(Text)                   # what the reporter is told

    question_version: Mapped[QuestionVersion] = relationship()


class Regrade(Base):
    """A published version's key corrected by a trainer; its answers rescored against `right_key`."""

    __tablename__ = "regrades"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    wrong_key: Mapped[int]
    right_key: Mapped[int]
    fixed_version_id: Mapped[int | None] = mapped_column(ForeignKey("question_versions.id"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    learners: Mapped[int] = mapped_column(default=0)
    answers_changed: Mapped[int] = mapped_column(default=0)
