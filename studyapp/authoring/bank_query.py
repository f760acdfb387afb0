"""The bank list: search, filters, sorting and paging as one query, and a question's neighbours.

The page reads one join (question -> current version -> topic -> module; outer to topic
and module, which an imported draft waiting for a topic lacks) filtered on
indexed or precomputed columns (status, module, topic, search_text, tags_key,
answer_count), so it costs the same at 5,000 questions and a million answers."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, select

from studyapp.analytics import stats
from studyapp.domain.question_index import search_terms, tags_key
from studyapp.extensions import db
from studyapp.models import ItemStat, Module, Question, QuestionVersion, Topic

PAGE_SIZE = 50
NO_TOPIC = "none"   # the topic filter's value for drafts waiting for a topic
SORTS = {
    "id": "Id", "topic": "Topic", "changed": "Last change", "answers": "Answers",
    "facility": "Facility", "discrimination": "Discrimination",
}


@dataclass(frozen=True)
class BankQuery:
    """A filtered, sorted view of the bank; every field comes validated from the URL."""

    q: str = ""
    module: str = ""
    topic: str = ""
    level: int | None = None
    status: str = ""
    tag: str = ""
    attention: bool = False
    flag: str = ""
    sort: str = "id"
    descending: bool = False
    page: int = 1


@dataclass(frozen=True)
class BankRow:
    id: str
    status: str
    version: int
    level: int
    stem: str
    tags: list
    topic_title: str | None     # None: a draft waiting for a topic
    module_title: str | None
    updated_at: datetime
    answer_count: int
    facility: float | None = None
    discrimination: float | None = None
    flag_codes: str | None = None

    @property
    def flags(self) -> list[str]:
        return [code for code in (self.flag_codes or "").split("|") if code]


@dataclass(frozen=True)
class BankPage:
    rows: list[BankRow]
    total: int
    page: int
    pages: int


def attention_condition():
    """"Needs attention": a statistics flag on the current version or an open learner report (analytics)."""
    return stats.attention_condition()


def _filtered(query: BankQuery, columns) -> Select:
    statement = (select(*columns).select_from(Question)
                 .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
                 .outerjoin(Topic, Topic.id == Question.topic_id).outerjoin(Module, Module.id == Question.module_id)
                 .outerjoin(ItemStat, ItemStat.question_version_id == Question.current_version_id))
    conditions = [QuestionVersion.search_text.contains(term, autoescape=True) for term in search_terms(query.q)]
    if query.module:
        conditions.append(Question.module_id == query.module)
    if query.topic == NO_TOPIC:
        conditions.append(Question.topic_id.is_(None))
    elif query.topic:
        conditions.append(Question.topic_id == query.topic)
    if query.level:
        conditions.append(QuestionVersion.level == query.level)
    if query.status:
        conditions.append(Question.status == query.status)
    if query.tag:
        conditions.append(QuestionVersion.tags_key.contains(tags_key([query.tag]), autoescape=True))
    if query.attention:
        conditions.append(attention_condition())
    if query.flag:
        conditions.append(stats.flag_condition(query.flag))
    return statement.where(and_(True, *conditions))


def _order(query: BankQuery):
    column = {"id": Question.id, "topic": Module.position, "changed": Question.updated_at,
              "answers": Question.answer_count, "facility": ItemStat.facility,
              "discrimination": ItemStat.discrimination}[query.sort]
    first = (column.desc() if query.descending else column.asc()).nulls_last()
    if query.sort == "topic":
        return [first, Topic.position.desc() if query.descending else Topic.position, Question.id]
    return [first, Question.id]


def find(query: BankQuery) -> BankPage:
    """One page (PAGE_SIZE rows) of the questions matching `query`, and the total."""
    total = db.session.scalar(_filtered(query, [func.count()]))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(query.page, pages)
    rows = db.session.execute(
        _filtered(query, [Question.id, Question.status, QuestionVersion.version, QuestionVersion.level,
                          QuestionVersion.stem, QuestionVersion.tags, Topic.title, Module.title,
                          Question.updated_at, Question.answer_count, ItemStat.facility, ItemStat.discrimination,
                          ItemStat.flag_codes])
        .order_by(*_order(query)).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return BankPage([BankRow(*row) for row in rows], total, page, pages)


def matching_ids(query: BankQuery) -> list[str]:
    """Every question id matching `query`, in its order (an export of a search result; no paging)."""
    return list(db.session.scalars(_filtered(query, [Question.id]).order_by(*_order(query))))


def neighbours(query: BankQuery, question_id: str) -> tuple[str | None, str | None]:
    """The previous and next question ids around `question_id` in the filtered, sorted list."""
    ids = matching_ids(query)
    if question_id not in ids:
        return None, None
    position = ids.index(question_id)
    return (ids[position - 1] if position > 0 else None, ids[position + 1] if position + 1 < len(ids) else None)


def tags_in_use() -> list[str]:
    """Every tag of a current version, for the filter's choices."""
    found = set()
    for tags in db.session.scalars(select(QuestionVersion.tags).join(Question, Question.current_version_id == QuestionVersion.id)):
        found.update(tags)
    return sorted(found)
