"""Syllabus and question bank as loaded from the content files."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
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


class Question(Base):
    """A question's stable identity; its content lives in versions."""

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"), index=True)
    module_id: Mapped[str] = mapped_column(ForeignKey("modules.id"), index=True)
    # No foreign key: questions and versions would point at each other, which
    # makes table creation order circular. Set only by content.services.
    current_version_id: Mapped[int | None]
    retired: Mapped[bool] = mapped_column(default=False)

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
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"))
    level: Mapped[int]
    stem: Mapped[str] = mapped_column(Text)
    # [{"text", "correct", "why"}] in authored order.
    options: Mapped[list] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    see: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def correct_index(self) -> int:
        return next(i for i, option in enumerate(self.options) if option["correct"])
