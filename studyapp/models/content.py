"""Syllabus and question bank as loaded from the content files."""

from datetime import datetime

from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from studyapp.models.base import Base, utcnow


class Module(Base):
    __tablename__ = "modules"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int]
    position: Mapped[int]
    html: Mapped[str] = mapped_column(Text)

    topics: Mapped[list["Topic"]] = relationship(
        back_populates="module", order_by="Topic.position"
    )


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    module_id: Mapped[str] = mapped_column(ForeignKey("modules.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]
    objectives: Mapped[list] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list] = mapped_column(JSON)
    word_count: Mapped[int]

    module: Mapped[Module] = relationship(back_populates="topics")


class Page(Base):
    """A free-standing syllabus page such as "About the exam"."""

    __tablename__ = "pages"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list] = mapped_column(JSON)


class GlossaryTerm(Base):
    __tablename__ = "glossary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120))
    definition: Mapped[str] = mapped_column(Text)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"))


class Status(StrEnum):
    DRAFT = "draft"            # trainers only; never offered to learners
    PUBLISHED = "published"    # offered in practice and mocks
    RETIRED = "retired"        # out of new sessions; learners' history keeps it


class Question(Base):
    """A question's stable identity, status and bookkeeping; its content lives in versions."""

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    # None only for an imported draft whose category maps to no topic yet; publishing requires one.
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topics.id"), index=True)
    module_id: Mapped[str | None] = mapped_column(ForeignKey("modules.id"), index=True)
    # No foreign key: questions and versions would point at each other, which
    # makes table creation order circular. Set only by content.services.
    current_version_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default=Status.PUBLISHED, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Kept in the answer's own transaction so the bank can sort by answers, and each
    # topic's facility is a sum over the bank, without scanning the answer log
    # (see models.progress.count_answers).
    answer_count: Mapped[int] = mapped_column(default=0)
    correct_count: Mapped[int] = mapped_column(default=0)
    # "<content hash>:<status>" as last read from a bank file; an import that finds
    # the question changed since then (a web edit) reports a conflict, never overwrites.
    synced_state: Mapped[str | None] = mapped_column(String(80))
    # The identity an imported GIFT/Aiken/XML/CSV file gave it ("id:...", "name:...", "stem:..."),
    # so importing the file again updates this question instead of adding a copy.
    source_ref: Mapped[str | None] = mapped_column(String(200), index=True)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    current_version: Mapped["QuestionVersion | None"] = relationship(
        primaryjoin="foreign(Question.current_version_id) == QuestionVersion.id", viewonly=True
    )
    topic: Mapped[Topic] = relationship()


class QuestionVersion(Base):
    """Immutable content of one version of a question; answers point here."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), index=True)
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    topic_id: Mapped[str | None] = mapped_column(ForeignKey("topics.id"))   # None: a draft waiting for a topic
    level: Mapped[int]
    stem: Mapped[str] = mapped_column(Text)
    # [{"text", "correct", "why"}] in authored order.
    options: Mapped[list] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    see: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list] = mapped_column(JSON)
    # Item-writing warnings a reviewer accepted for this version: {code: reason}.
    lint_ok: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who made this version (None: a bank file) and how: file, web or restore.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(10), default="file")
    # Lower-cased stem, options, whys and explanation, and "|tag|tag|": the bank's
    # search and tag filter read these instead of parsing JSON per row.
    search_text: Mapped[str] = mapped_column(Text, default="")
    tags_key: Mapped[str] = mapped_column(String(600), default="")

    # The one thing that may change on a version: a trainer found its key wrong and
    # regraded it (analytics.regrade); answers on it are scored against this option.
    regraded_key: Mapped[int | None]

    author: Mapped["User | None"] = relationship()  # noqa: F821 (models.users)

    @property
    def authored_key(self) -> int:
        return authored_index(self.options)

    @property
    def correct_index(self) -> int:
        return correct_index(self.options, self.regraded_key)

    @property
    def keyed_options(self) -> list[dict]:
        return keyed_options(self.options, self.regraded_key)


def authored_index(options: list[dict]) -> int:
    """The option the author marked correct."""
    return next(i for i, option in enumerate(options) if option["correct"])


def correct_index(options: list[dict], regraded_key: int | None) -> int:
    """The right option as graded now: the authored key, or the one a regrade moved it to."""
    return authored_index(options) if regraded_key is None else regraded_key


def keyed_options(options: list[dict], regraded_key: int | None) -> list[dict]:
    """The options with `correct` as graded now (a regrade moves it); what learners are shown."""
    if regraded_key is None:
        return options
    return [{**option, "correct": i == regraded_key} for i, option in enumerate(options)]


class AuditEntry(Base):
    """Who changed what and when: every trainer and admin action that changes content or accounts."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))   # None: the command line
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(120))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped["User | None"] = relationship()  # noqa: F821


class ContentState(Base):
    """What was last loaded from the content folders, so an unchanged syllabus is not rendered again."""

    __tablename__ = "content_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
