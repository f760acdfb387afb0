"""Reading the syllabus: modules with progress, topic neighbours, reading marks, glossary."""

from dataclasses import dataclass

from sqlalchemy import Row, case, delete, func, select

from studyapp.extensions import db
from studyapp.models import Answer, GlossaryTerm, Module, Page, Topic, TopicRead


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    topics: int
    read: int
    answered: int
    correct: int

    @property
    def read_share(self) -> float:
        return self.read / self.topics if self.topics else 0.0


def modules() -> list[Module]:
    return list(db.session.scalars(select(Module).order_by(Module.position)))


def module_progress(user_id: int | None) -> list[ModuleProgress]:
    """Every module with how much of it this learner has read and answered."""
    read = _counts_by_module(select(Topic.module_id, func.count()).join(TopicRead, TopicRead.topic_id == Topic.id)
                             .where(TopicRead.user_id == user_id).group_by(Topic.module_id))
    answered, correct = {}, {}
    for module_id, total, right in db.session.execute(
            select(Topic.module_id, func.count(), func.sum(case((Answer.correct, 1), else_=0)))
            .join(Answer, Answer.topic_id == Topic.id).where(Answer.user_id == user_id).group_by(Topic.module_id)):
        answered[module_id], correct[module_id] = total, int(right or 0)
    topics = _counts_by_module(select(Topic.module_id, func.count()).group_by(Topic.module_id))
    return [ModuleProgress(m, topics.get(m.id, 0), read.get(m.id, 0), answered.get(m.id, 0), correct.get(m.id, 0))
            for m in modules()]


def _counts_by_module(query) -> dict[str, int]:
    return {module_id: count for module_id, count in db.session.execute(query)}


def read_topic_ids(user_id: int | None) -> set[str]:
    if user_id is None:
        return set()
    return set(db.session.scalars(select(TopicRead.topic_id).where(TopicRead.user_id == user_id)))


def find_topic(module_id: str, slug: str) -> Topic | None:
    return db.session.get(Topic, f"{module_id}.{slug}")


def neighbours(topic: Topic) -> tuple[Row | None, Row | None]:
    """Previous and next topic in reading order, across module boundaries, as rows of
    (id, module_id, slug, title): two links need neither the pages' HTML nor ORM objects."""
    ordered = db.session.execute(select(Topic.id, Topic.module_id, Topic.slug, Topic.title).join(Module)
                                 .order_by(Module.position, Topic.position)).all()
    index = next(i for i, t in enumerate(ordered) if t.id == topic.id)
    return (ordered[index - 1] if index > 0 else None,
            ordered[index + 1] if index + 1 < len(ordered) else None)


def has_read(user_id: int | None, topic_id: str) -> bool:
    if user_id is None:
        return False
    return db.session.scalar(select(TopicRead.topic_id).where(TopicRead.user_id == user_id,
                                                               TopicRead.topic_id == topic_id)) is not None


def set_read(user_id: int, topic_id: str, read: bool) -> None:
    db.session.execute(delete(TopicRead).where(TopicRead.user_id == user_id, TopicRead.topic_id == topic_id))
    if read:
        db.session.add(TopicRead(user_id=user_id, topic_id=topic_id))
    db.session.flush()


def page(page_id: str) -> Page | None:
    return db.session.get(Page, page_id)


def glossary(query: str = "") -> list[GlossaryTerm]:
    """Terms in order; with a query, those whose term or definition contains it."""
    statement = select(GlossaryTerm).order_by(func.lower(GlossaryTerm.term))
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(func.lower(GlossaryTerm.term).like(like) | func.lower(GlossaryTerm.definition).like(like))
    return list(db.session.scalars(statement))


def topic_titles() -> dict[str, str]:
    """Topic id -> title, to name links after their topic."""
    return dict(db.session.execute(select(Topic.id, Topic.title)).all())
