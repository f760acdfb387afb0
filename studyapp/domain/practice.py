"""Which questions a practice session holds, and in what option order they show."""

import random
from dataclasses import dataclass
from datetime import datetime

KINDS = {
    "mixed": "Mixed: due reviews first, then new questions",
    "due": "Due for review",
    "weak": "My weak topics",
    "mistakes": "My mistakes",
    "module": "One module",
    "topic": "One topic",
    "mock": "The questions I got wrong in a mock",
}


@dataclass(frozen=True)
class Candidate:
    """A question as seen by one learner."""

    question_id: str
    topic_id: str
    module_id: str
    due: datetime | None = None          # None: never answered
    last_correct: bool | None = None
    last_answered: datetime | None = None


class NothingToPractise(Exception):
    """The chosen kind of session has no questions right now."""


def choose_questions(kind: str, candidates: list[Candidate], *, now: datetime, size: int,
                     rng: random.Random, scope: str | None = None,
                     weak_topics: tuple[str, ...] = (), questions: tuple[str, ...] = ()) -> list[str]:
    """Question ids for a session of `kind`; raises NothingToPractise when empty.

    For "mock", `questions` are the ones to practise (a mock's wrong answers), in mock order."""
    if kind not in KINDS:
        raise ValueError(f"unknown practice kind {kind!r}")
    if kind == "due":
        pool = sorted((c for c in candidates if _is_due(c, now)), key=lambda c: c.due)
    elif kind == "mock":
        offered = {c.question_id for c in candidates}
        pool = [c for c in (Candidate(q, "", "") for q in questions) if c.question_id in offered]
    elif kind == "mistakes":
        wrong = [c for c in candidates if c.last_correct is False]
        pool = sorted(wrong, key=lambda c: c.last_answered, reverse=True)
    else:
        pool = _due_then_new_then_rest(_in_scope(kind, candidates, scope, weak_topics), now, rng)
    chosen = [c.question_id for c in pool[:size]]
    if not chosen:
        raise NothingToPractise(kind)
    return chosen


def _in_scope(kind: str, candidates: list[Candidate], scope: str | None, weak_topics: tuple[str, ...]):
    if kind == "module":
        return [c for c in candidates if c.module_id == scope]
    if kind == "topic":
        return [c for c in candidates if c.topic_id == scope]
    if kind == "weak":
        return [c for c in candidates if c.topic_id in weak_topics]
    return candidates


def _due_then_new_then_rest(candidates: list[Candidate], now: datetime, rng: random.Random) -> list[Candidate]:
    due = sorted((c for c in candidates if _is_due(c, now)), key=lambda c: c.due)
    new = [c for c in candidates if c.due is None]
    rng.shuffle(new)
    rest = sorted((c for c in candidates if c.due is not None and c.due > now), key=lambda c: c.due)
    return due + new + rest


def _is_due(candidate: Candidate, now: datetime) -> bool:
    return candidate.due is not None and candidate.due <= now


def shuffled_order(option_count: int, rng: random.Random) -> list[int]:
    """A fresh option order for one presentation: order[shown] = authored index."""
    order = list(range(option_count))
    rng.shuffle(order)
    return order
