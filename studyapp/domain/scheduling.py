"""Spaced repetition through the `fsrs` library (FSRS-6, default parameters).

An answer maps to an FSRS rating: wrong = Again, right = Good, right but guessed
= Hard. Fuzzing is off so that a card's state is a pure function of its answer
log: rebuild_card() replays the log and must give the stored card back."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State


@dataclass(frozen=True)
class CardState:
    """The schedulable part of a card, as stored in the database."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


@dataclass(frozen=True)
class Review:
    """One logged answer, enough to replay the schedule."""

    answered_at: datetime
    correct: bool
    guessed: bool = False


def rating_for(correct: bool, guessed: bool) -> Rating:
    """Wrong = Again, right = Good, right but guessed = Hard."""
    if not correct:
        return Rating.Again
    return Rating.Hard if guessed else Rating.Good


def make_scheduler(desired_retention: float = 0.9) -> Scheduler:
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


# fsrs.Card without an id makes one from the clock and then sleeps a millisecond so the
# next is unique. We never read the id (cards are keyed by learner and question), so a
# fixed one spares every answer, and every step of a replay, that sleep.
CARD_ID = 1


def new_card(now: datetime) -> CardState:
    """A card the learner has never answered: due at once."""
    return _to_state(FsrsCard(card_id=CARD_ID, due=now))


def review(card: CardState, answer: Review, scheduler: Scheduler, cap: datetime | None = None) -> CardState:
    """Schedule the next review after one answer; `cap` keeps the due date at or before it."""
    updated, _ = scheduler.review_card(_to_fsrs(card), rating_for(answer.correct, answer.guessed),
                                       review_datetime=_utc(answer.answered_at))
    state = _to_state(updated)
    if cap is not None and state.due > cap:
        state = CardState(state.state, state.step, state.stability, state.difficulty, max(cap, state.last_review), state.last_review)
    return state


def rebuild_card(reviews: list[Review], scheduler: Scheduler, cap: datetime | None = None) -> CardState | None:
    """Replay an answer log, oldest first; None if there is nothing to replay.

    The cap only ever moves `due`, which later reviews do not read, so applying
    it to the last state gives what capping at every step would have given."""
    ordered = sorted(reviews, key=lambda r: r.answered_at)
    if not ordered:
        return None
    card = new_card(ordered[0].answered_at)
    for answer in ordered[:-1]:
        card = review(card, answer, scheduler)
    return review(card, ordered[-1], scheduler, cap)


def recall_probability(card: CardState, now: datetime, scheduler: Scheduler) -> float:
    """FSRS's predicted chance that the learner still recalls the card at `now`."""
    return scheduler.get_card_retrievability(_to_fsrs(card), current_datetime=_utc(now))


def exam_cap(exam_date: date | None, now: datetime) -> datetime | None:
    """Latest due date allowed: the day before the exam, so nothing falls due after it."""
    if exam_date is None:
        return None
    cap = datetime.combine(exam_date - timedelta(days=1), time(12, 0), tzinfo=timezone.utc)
    return cap if cap > now else None


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _to_fsrs(card: CardState) -> FsrsCard:
    return FsrsCard(card_id=CARD_ID, state=State(card.state), step=card.step, stability=card.stability,
                    difficulty=card.difficulty, due=_utc(card.due),
                    last_review=_utc(card.last_review) if card.last_review else None)


def _to_state(card: FsrsCard) -> CardState:
    return CardState(int(card.state), card.step, card.stability, card.difficulty, card.due, card.last_review)


def count_lapses(reviews: list[Review], scheduler: Scheduler) -> int:
    """Lapses in a replayed log: wrong answers given while the card was in review (as update_card counts them)."""
    ordered = sorted(reviews, key=lambda r: r.answered_at)
    if not ordered:
        return 0
    card, lapses = new_card(ordered[0].answered_at), 0
    for answer in ordered:
        lapses += int(card.state == 2 and not answer.correct)
        card = review(card, answer, scheduler)
    return lapses
