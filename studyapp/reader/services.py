"""Reading the syllabus: modules with progress, topic neighbours, reading marks, glossary."""

from collections import namedtuple
from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, case, delete, func, or_, select

from studyapp.extensions import db, execute_core
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


@dataclass(frozen=True)
class TopicLink:
    module_id: str
    slug: str
    title: str


TopicRow = namedtuple("TopicRow", [column.name for column in Topic.__table__.c])


@dataclass(frozen=True)
class TopicPage:
    """A topic with what its page shows around it: the module's title, the previous and
    next topic in reading order (across module boundaries) and whether this learner has
    marked it read. `topic` holds the Topic's columns as plain values: loading an ORM
    object cost about as much as the page's query."""
    topic: TopicRow
    module_title: str
    previous: TopicLink | None
    following: TopicLink | None
    is_read: bool


def topic_page(module_id: str, slug: str, user_id: int | None) -> TopicPage | None:
    row = execute_core(_topic_page_statement(), {"topic_id": f"{module_id}.{slug}", "user_id": user_id}).first()
    if row is None:
        return None
    topic, (module_title, *links, is_read) = TopicRow(*row[:len(TopicRow._fields)]), row[len(TopicRow._fields):]
    previous, following = (TopicLink(*link) if link[0] is not None else None for link in (links[:3], links[3:]))
    return TopicPage(topic, module_title, previous, following, bool(is_read))


@cache
def _topic_page_statement():
    """One query, built once. Each neighbour is the nearest topic before or after this one
    in reading order, found by a subquery that stops at the first row; LAG/LEAD over the
    whole reading order cost five times as much on SQLite (130 against 25 µs)."""
    previous, following = Topic.__table__.alias("previous"), Topic.__table__.alias("following")
    is_read = (select(TopicRead.topic_id).where(TopicRead.user_id == bindparam("user_id"),
                                                  TopicRead.topic_id == Topic.id).exists())
    return (select(*Topic.__table__.c, Module.title, previous.c.module_id, previous.c.slug, previous.c.title,
                   following.c.module_id, following.c.slug, following.c.title, is_read)
            .join(Module, Module.id == Topic.module_id)
            .outerjoin(previous, previous.c.id == _nearest_topic(after=False))
            .outerjoin(following, following.c.id == _nearest_topic(after=True))
            .where(Topic.id == bindparam("topic_id")))


def _nearest_topic(after: bool):
    """The id of the topic just after (or before) the outer query's topic: reading order is
    module position, then topic position."""
    other, other_module = Topic.__table__.alias("other"), Module.__table__.alias("other_module")
    if after:
        beyond = or_(other_module.c.position > Module.position,
                     and_(other_module.c.position == Module.position, other.c.position > Topic.position))
        order = (other_module.c.position, other.c.position)
    else:
        beyond = or_(other_module.c.position < Module.position,
                     and_(other_module.c.position == Module.position, other.c.position < Topic.position))
        order = (other_module.c.position.desc(), other.c.position.desc())
    return (select(other.c.id).join(other_module, other_module.c.id == other.c.module_id)
            .where(beyond).order_by(*order).limit(1).correlate(Topic, Module).scalar_subquery())


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
