"""Practice sessions: choosing questions, recording answers, updating FSRS cards."""

import random
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import and_, bindparam, func, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from studyapp.domain.practice import Candidate, choose_questions, shuffled_order
from studyapp.domain.scheduling import (
    CardState, Review, exam_cap, make_scheduler, new_card, rating_for, rebuild_card, review,
)
from studyapp.extensions import db, execute_core
from studyapp.models import (
    Answer, Card, Membership, MockExam, MockItem, PracticeSession, Question, QuestionVersion, SessionItem, Status,
    Topic, User, count_answers, exam_date_for, group_exam_date_statement,
)
from studyapp.models.content import correct_index, keyed_options


class NotInSession(Exception):
    """An answer names a question that is not the one at this place in the session."""


def candidates(user_id: int) -> list[Candidate]:
    """Every offered question with this learner's card and last result.

    Each question's latest answer is one seek in ix_answers_user_question (latest first),
    so this costs the size of the bank, not of the learner's history."""
    dues = dict(db.session.execute(select(Card.question_id, Card.due).where(Card.user_id == user_id)).all())
    rows = db.session.execute(select(Question.id, Question.topic_id, Question.module_id,
                                     _latest(Answer.correct, user_id), _latest(Answer.answered_at, user_id))
                              .where(Question.status == Status.PUBLISHED).order_by(Question.id))
    return [Candidate(question_id, topic_id, module_id, due=dues.get(question_id), last_correct=correct,
                      last_answered=moment)
            for question_id, topic_id, module_id, correct, moment in rows]


def _latest(column, user_id: int):
    """`column` of the learner's latest answer to the outer query's question (NULL if none)."""
    return (select(column).where(Answer.user_id == user_id, Answer.question_id == Question.id)
            .order_by(Answer.answered_at.desc(), Answer.id.desc()).limit(1).correlate(Question).scalar_subquery())


def start_session(user: User, kind: str, scope: str | None, *, now: datetime, rng: random.Random,
                  size: int, weak_topics: tuple[str, ...] = (), questions: tuple[str, ...] = ()) -> PracticeSession:
    """Create a session of `kind` with freshly shuffled options for every question."""
    chosen = choose_questions(kind, candidates(user.id), now=now, size=size, rng=rng, scope=scope,
                              weak_topics=weak_topics, questions=questions)
    session = PracticeSession(user_id=user.id, kind=kind, scope=scope, created_at=now)
    db.session.add(session)
    db.session.flush()
    versions = {question_id: (version_id, len(options)) for question_id, version_id, options in db.session.execute(
        select(Question.id, QuestionVersion.id, QuestionVersion.options)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id).where(Question.id.in_(chosen)))}
    for position, question_id in enumerate(chosen, start=1):
        version_id, option_count = versions[question_id]
        db.session.add(SessionItem(session_id=session.id, position=position, question_id=question_id,
                                   question_version_id=version_id, option_order=shuffled_order(option_count, rng)))
    db.session.flush()
    return session


def mock_mistakes(user: User, exam_id: int) -> tuple[str, ...]:
    """Questions answered wrong in one of the learner's submitted mocks (blanks excluded), in mock order."""
    items = db.session.scalars(select(MockItem).join(MockExam).where(
        MockExam.id == exam_id, MockExam.user_id == user.id, MockExam.submitted_at.is_not(None))
        .order_by(MockItem.position))
    return tuple(i.question_id for i in items if i.chosen_shown is not None and not i.correct)


@dataclass(frozen=True)
class OpenSession:
    session_id: int
    position: int          # the first question not yet answered
    answered: int
    total: int


def open_session(user: User) -> OpenSession | None:
    """The learner's latest practice session if it still has unanswered questions."""
    session = db.session.scalar(select(PracticeSession).where(PracticeSession.user_id == user.id)
                                .order_by(PracticeSession.created_at.desc(), PracticeSession.id.desc()).limit(1))
    if session is None:
        return None
    answered = set(db.session.scalars(select(SessionItem.position).join(Answer, Answer.session_item_id == SessionItem.id)
                                      .where(SessionItem.session_id == session.id)))
    open_positions = [i.position for i in session.items if i.position not in answered]
    if not open_positions:
        return None
    return OpenSession(session.id, open_positions[0], len(answered), len(session.items))


def choice_counts(user: User, now: datetime, weak_topics: tuple[str, ...]) -> dict[str, int]:
    """How many questions each practice choice holds now (module and topic ids count their own)."""
    pool = candidates(user.id)
    counts = {"mixed": len(pool), "due": sum(1 for c in pool if c.due is not None and c.due <= now),
              "mistakes": sum(1 for c in pool if c.last_correct is False),
              "weak": sum(1 for c in pool if c.topic_id in weak_topics)}
    for c in pool:
        counts[c.module_id] = counts.get(c.module_id, 0) + 1
        counts[c.topic_id] = counts.get(c.topic_id, 0) + 1
    return counts


def get_session(user: User, session_id: int) -> PracticeSession | None:
    """The learner's own session, or None (another learner's looks the same as none)."""
    session = db.session.get(PracticeSession, session_id)
    return session if session is not None and session.user_id == user.id else None


@dataclass(frozen=True)
class ShownAnswer:
    chosen_option: int      # index in the authored list
    correct: bool
    guessed: bool


@dataclass(frozen=True)
class StoredCard:
    """A learner's card as an answer reads it: its row is locked until the answer commits."""
    id: int
    state: CardState
    reviews: int
    lapses: int


@dataclass(frozen=True)
class PracticeItem:
    """One question of a session as its page shows it and a submit records it: plain values
    read with one Core query (loading ORM objects for it cost more than the rest of the page)."""
    id: int
    session_id: int
    position: int
    total: int                  # items in the session
    question_id: str
    option_order: list[int]     # option_order[shown position] = index in the authored list
    version_id: int
    topic_id: str
    topic_title: str | None
    level: int
    stem: str
    options: list[dict]         # as graded now (content.keyed_options)
    correct_index: int
    explanation: str
    see: str | None
    answer: ShownAnswer | None
    # Read only for an answer (find_item with answering_on): the nearest exam date of the
    # learner's groups on that day, which caps the card's next interval; and the learner's
    # card for the question, locked (None if they have never answered it).
    group_exam_date: date | None = None
    card: StoredCard | None = None

    @property
    def shown_options(self) -> list[dict]:
        return [self.options[i] for i in self.option_order]


def find_item(user: User, session_id: int, position: int, answering_on: date | None = None) -> PracticeItem | None:
    """The learner's item at `position` of their session, with its question and answer, the
    number of items in the session and the title of the question's topic: one query.
    Another learner's session looks the same as none.

    With `answering_on` (an answer is being recorded that day) the item row and the learner's
    card for its question are locked, and the card and the learner's group exam date come
    with it, for record_answer."""
    answering = answering_on is not None
    parameters = {"session_id": session_id, "position": position, "user_id": user.id, "today": answering_on}
    row = execute_core(_item_statement(answering, db.engine.dialect.name), parameters).first()
    if row is None:
        return None
    answer = ShownAnswer(row.chosen_option, row.correct, row.guessed) if row.chosen_option is not None else None
    return PracticeItem(row.id, row.session_id, row.position, row.total, row.question_id, row.option_order,
                        row.version_id, row.topic_id, row.topic_title, row.level, row.stem,
                        keyed_options(row.options, row.regraded_key), correct_index(row.options, row.regraded_key),
                        row.explanation, row.see, answer, group_exam_date=row.group_exam_date if answering else None,
                        card=_stored_card(row) if answering else None)


@cache
def _item_statement(answering: bool, dialect: str):
    """find_item's statement, built once per dialect (building it cost more than running it);
    a shared statement is safe to run from every thread."""
    items, sessions, versions = SessionItem.__table__, PracticeSession.__table__, QuestionVersion.__table__
    answers, topics, siblings = Answer.__table__, Topic.__table__, SessionItem.__table__.alias("siblings")
    total = select(func.count()).where(siblings.c.session_id == items.c.session_id).scalar_subquery()
    title = select(topics.c.title).where(topics.c.id == versions.c.topic_id).scalar_subquery()
    statement = (
        select(items.c.id, items.c.session_id, items.c.position, total.label("total"), items.c.question_id,
               items.c.option_order, versions.c.id.label("version_id"), versions.c.topic_id, title.label("topic_title"),
               versions.c.level, versions.c.stem, versions.c.options, versions.c.regraded_key, versions.c.explanation,
               versions.c.see, answers.c.chosen_option, answers.c.correct, answers.c.guessed)
        .select_from(items.join(sessions, sessions.c.id == items.c.session_id)
                     .join(versions, versions.c.id == items.c.question_version_id)
                     .outerjoin(answers, answers.c.session_item_id == items.c.id))
        .where(items.c.session_id == bindparam("session_id"), items.c.position == bindparam("position"),
               sessions.c.user_id == bindparam("user_id")))
    if not answering:
        return statement
    # Two statements fewer per answer than asking exam_date_for() and reading the card afterwards.
    group_exam_date = group_exam_date_statement().where(Membership.user_id == sessions.c.user_id).scalar_subquery()
    card_of_item = and_(_cards.c.user_id == sessions.c.user_id, _cards.c.question_id == items.c.question_id)
    if dialect == "sqlite":
        # The request already holds SQLite's write lock (extensions.begin_write): a plain join will do.
        card, join_on = _cards, card_of_item
    else:
        # PostgreSQL cannot lock the nullable side of an outer join (the answer's, or the
        # card's), so the card is locked in a subquery of its own, and the item by name.
        card, join_on = select(_cards).where(card_of_item).with_for_update().lateral("card"), true()
    return (statement.outerjoin(card, join_on)
            .add_columns(group_exam_date.label("group_exam_date"), *_card_columns(card))
            .with_for_update(of=items))


def _card_columns(card) -> list:
    """A card's columns as locked_card() and find_item() read them, each labelled card_<name>."""
    return [card.c[name].label(f"card_{name}") for name in ("id", *_CARD_VALUES)]


def _stored_card(row) -> StoredCard | None:
    if row is None or row.card_id is None:
        return None
    values = row._mapping
    return StoredCard(row.card_id, CardState(**{name: values[f"card_{name}"] for name in _CARD_STATE}),
                      row.card_reviews, row.card_lapses)


def locked_card(user_id: int, question_id: str) -> StoredCard | None:
    """The learner's card for the question, its row locked for an answer; None if there is none yet."""
    return _stored_card(execute_core(_CARD_FOR_UPDATE, {"user_id": user_id, "question_id": question_id}).first())


@dataclass(frozen=True)
class Submission:
    question_id: str
    shown_choice: int
    guessed: bool
    duration_ms: int | None = None


def record_answer(user: User, item: PracticeItem, submission: Submission, now: datetime) -> None:
    """Log one answer and reschedule the card; a second submit changes nothing.

    The caller must hold the item and its card locked (find_item with answering_on=now.date());
    on SQLite the request already holds the write lock (see extensions.begin_write). Written
    with statements built once rather than through the ORM's unit of work, which cost more
    than everything else an answer does: on PostgreSQL one statement for the answer, the
    card and the counts, where each would be a round trip; on SQLite, which has no
    data-modifying WITH and no round trips, one statement each."""
    if submission.question_id != item.question_id or not 0 <= submission.shown_choice < len(item.option_order):
        raise NotInSession(submission.question_id)
    chosen = item.option_order[submission.shown_choice]
    correct = chosen == item.correct_index
    guessed = submission.guessed and correct
    answer = {"user_id": user.id, "question_id": item.question_id, "question_version_id": item.version_id,
              "topic_id": item.topic_id, "session_item_id": item.id, "source": "practice", "chosen_option": chosen,
              "correct": correct, "guessed": guessed, "rating": int(rating_for(correct, guessed)), "answered_at": now,
              "duration_ms": submission.duration_ms}
    as_review = Review(now, correct, guessed)
    exam_date = user.exam_date or item.group_exam_date
    if db.engine.dialect.name == "postgresql":
        _record_in_one_statement(user, item, answer, as_review, exam_date)
    elif execute_core(_insert_unless_present(_answers, ("session_item_id",), "sqlite"), answer).first() is not None:
        update_card(user, item.question_id, as_review, now, exam_date, item.card)
        count_answers(db.session, [(item.question_id, correct)])
    # Otherwise the item was answered already: the first answer stands and no card moves.


def _record_in_one_statement(user: User, item: PracticeItem, answer: dict, as_review: Review,
                             exam_date: date | None) -> None:
    """PostgreSQL: the answer, the card and the question's counts written by one statement
    (_recording_statement), one round trip where there were three.

    An item answered already (another request answered it between this request's read
    and its lock on the item) writes nothing. A card created by another answer since this
    one found none is then locked and updated here."""
    now = as_review.answered_at
    values = _next_card(user, item.card, as_review, now, exam_date)
    written = execute_core(_recording_statement(item.card is not None), {
        **{f"answer_{name}": value for name, value in answer.items()},
        **{f"new_{name}": value for name, value in values.items()},
        "card_id": item.card.id if item.card else None, "right": int(as_review.correct)}).one()
    if written.answer_id is not None and written.card_id is None:
        update_card(user, item.question_id, as_review, now, exam_date, locked_card(user.id, item.question_id))


@cache
def _recording_statement(card_exists: bool):
    """WITH answer AS (INSERT ... ON CONFLICT DO NOTHING RETURNING id), card AS (UPDATE or
    INSERT the card if the answer went in), counts AS (UPDATE the question's counts if it
    went in) SELECT the answer's id and the card's. PostgreSQL runs each data-modifying
    sub-statement once, and the card's and counts' wait for the answer's RETURNING."""
    answer = (postgresql.insert(_answers)
              # Parameters named after no column: an UPDATE's SET would take in one that was.
              .values({name: bindparam(f"answer_{name}", type_=_answers.c[name].type) for name in _ANSWER_COLUMNS})
              .on_conflict_do_nothing(index_elements=[_answers.c.session_item_id])
              .returning(_answers.c.id).cte("answer"))
    went_in = select(answer.c.id).exists()
    new_values = {name: bindparam(f"new_{name}", type_=_cards.c[name].type) for name in _CARD_VALUES}
    if card_exists:
        card = update(_cards).where(_cards.c.id == bindparam("card_id"), went_in).values(new_values)
    else:
        card = (postgresql.insert(_cards)
                .from_select(["user_id", "question_id", *_CARD_VALUES],
                             select(bindparam("answer_user_id"), bindparam("answer_question_id"), *new_values.values())
                             .where(went_in))
                .on_conflict_do_nothing(index_elements=[_cards.c.user_id, _cards.c.question_id]))
    card = card.returning(_cards.c.id).cte("card")
    counts = (update(_questions).where(_questions.c.id == bindparam("answer_question_id"), went_in)
              .values(answer_count=_questions.c.answer_count + 1,
                      correct_count=_questions.c.correct_count + bindparam("right")).cte("counts"))
    return select(select(answer.c.id).scalar_subquery().label("answer_id"),
                  select(card.c.id).scalar_subquery().label("card_id")).add_cte(counts)


def update_card(user: User, question_id: str, answer: Review, now: datetime, exam_date: date | None,
                card: StoredCard | None):
    """Apply one answer to the learner's FSRS card (created on first answer); returns the rating.

    `card` is the card as read and locked for this answer (locked_card, or find_item),
    None if there was none. `exam_date` is the learner's exam date on the answer's day
    (exam_date_for): the card's next review falls before it."""
    values = _next_card(user, card, answer, now, exam_date)
    if card is not None:
        execute_core(_UPDATE_CARD, {"card_id": card.id, **{f"new_{name}": v for name, v in values.items()}})
    elif execute_core(_insert_unless_present(_cards, ("user_id", "question_id"), db.engine.dialect.name),
                      {"user_id": user.id, "question_id": question_id, **values}).first() is None:
        # Another answer to the question created the card after this one found none (on
        # PostgreSQL; SQLite's writers take turns): the insert waited for it to commit, so
        # the card can now be locked, and this answer applied to it.
        return update_card(user, question_id, answer, now, exam_date, locked_card(user.id, question_id))
    return rating_for(answer.correct, answer.guessed)


def _next_card(user: User, card: StoredCard | None, answer: Review, now: datetime, exam_date: date | None) -> dict:
    """The card's columns after `answer` (_CARD_VALUES), from the card before it (None: a new card)."""
    before = card.state if card is not None else new_card(now)
    state = review(before, answer, make_scheduler(user.desired_retention), exam_cap(exam_date, now))
    return {**vars(state), "reviews": (card.reviews if card else 0) + 1,
            "lapses": (card.lapses if card else 0) + int(before.state == 2 and not answer.correct)}


_cards, _answers, _questions = Card.__table__, Answer.__table__, Question.__table__
_CARD_STATE = ("state", "step", "stability", "difficulty", "due", "last_review")
_CARD_VALUES = (*_CARD_STATE, "reviews", "lapses")
_ANSWER_COLUMNS = ("user_id", "question_id", "question_version_id", "topic_id", "session_item_id", "source",
                   "chosen_option", "correct", "guessed", "rating", "answered_at", "duration_ms")
_CARD_FOR_UPDATE = (select(*_card_columns(_cards))
                    .where(_cards.c.user_id == bindparam("user_id"), _cards.c.question_id == bindparam("question_id"))
                    .with_for_update())
# "new_" because a bind parameter may not share its column's name in an UPDATE's SET.
_UPDATE_CARD = (update(_cards).where(_cards.c.id == bindparam("card_id"))
                .values({name: bindparam(f"new_{name}") for name in _CARD_VALUES}))


@cache
def _insert_unless_present(table, key: tuple[str, ...], dialect: str):
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id: a row whose key is taken (a
    second answer to an item, a second new card) is skipped by the database instead of
    failing the transaction (both dialects have it). `key` names a unique constraint's columns."""
    insert_for = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    # RETURNING says whether the row went in (psycopg's rowcount does not).
    return (insert_for(table).on_conflict_do_nothing(index_elements=[table.c[name] for name in key])
            .returning(table.c.id))


def rebuilt_card(user: User, question_id: str, now: datetime) -> CardState | None:
    """The card as the answer log says it should be (for checks and repairs)."""
    answers = db.session.scalars(select(Answer).where(Answer.user_id == user.id, Answer.question_id == question_id))
    reviews = [Review(a.answered_at, a.correct, a.guessed) for a in answers]
    return rebuild_card(reviews, make_scheduler(user.desired_retention), exam_cap(exam_date_for(db.session, user, now.date()), now))


@dataclass(frozen=True)
class SessionSummary:
    total: int
    answered: int
    correct: int
    guessed: int
    topics_missed: list[str]


def summarize(session: PracticeSession) -> SessionSummary:
    answers = [item.answer for item in session.items if item.answer is not None]
    missed = sorted({a.topic_id for a in answers if not a.correct})
    return SessionSummary(len(session.items), len(answers), sum(a.correct for a in answers),
                          sum(a.guessed for a in answers), missed)
