import random
from datetime import datetime, timedelta, timezone

import pytest

from studyapp.domain.practice import Candidate, NothingToPractise, choose_questions, shuffled_order

NOW = datetime(2026, 5, 1, 12, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)


def pool():
    return [
        Candidate("Q1", "a.x", "a", due=NOW - 3 * HOUR, last_correct=False, last_answered=NOW - 5 * HOUR),
        Candidate("Q2", "a.x", "a", due=NOW - HOUR, last_correct=True, last_answered=NOW - 48 * HOUR),
        Candidate("Q3", "a.y", "a", due=NOW + 24 * HOUR, last_correct=False, last_answered=NOW - 2 * HOUR),
        Candidate("Q4", "b.z", "b"),
        Candidate("Q5", "b.z", "b"),
    ]


def choose(kind, **kwargs):
    return choose_questions(kind, pool(), now=NOW, size=kwargs.pop("size", 10), rng=random.Random(1), **kwargs)


def test_due_session_holds_only_due_cards_most_overdue_first():
    assert choose("due") == ["Q1", "Q2"]


def test_mistakes_session_holds_last_answered_wrong_most_recent_first():
    assert choose("mistakes") == ["Q3", "Q1"]


def test_mixed_session_puts_due_before_new_before_the_rest():
    chosen = choose("mixed")
    assert chosen[:2] == ["Q1", "Q2"]
    assert set(chosen[2:4]) == {"Q4", "Q5"}
    assert chosen[4] == "Q3"


def test_topic_and_module_sessions_stay_in_scope():
    assert set(choose("topic", scope="a.x")) == {"Q1", "Q2"}
    assert set(choose("module", scope="b")) == {"Q4", "Q5"}


def test_weak_session_uses_the_given_topics():
    assert set(choose("weak", weak_topics=("a.y", "b.z"))) == {"Q3", "Q4", "Q5"}


def test_size_limits_the_session():
    assert len(choose("mixed", size=3)) == 3


def test_empty_choice_raises_nothing_to_practise():
    with pytest.raises(NothingToPractise):
        choose_questions("due", [Candidate("Q4", "b.z", "b")], now=NOW, size=10, rng=random.Random())
    with pytest.raises(NothingToPractise):
        choose("weak", weak_topics=())


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        choose("everything")


def test_shuffled_order_is_a_permutation_that_varies_between_presentations():
    rng = random.Random(3)
    orders = {tuple(shuffled_order(4, rng)) for _ in range(30)}
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert len(orders) > 5
