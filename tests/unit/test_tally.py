"""A stored tally advanced by newer answers equals a tally of the whole log."""

import random
from datetime import datetime, timedelta, timezone

from studyapp.domain.tally import EMPTY, NewAnswer, advance

START = datetime(2026, 3, 1, tzinfo=timezone.utc)


def _log(count: int, seed: int) -> list[NewAnswer]:
    rng = random.Random(seed)
    return [NewAnswer(rng.choice("abc"), f"Q{rng.randrange(12)}", rng.random() < 0.6, START + timedelta(minutes=n))
            for n in range(count)]


def _latest(answers: list[NewAnswer]) -> dict[str, bool]:
    return {a.question_id: a.correct for a in answers}


def test_a_tally_advanced_in_two_steps_equals_one_of_the_whole_log():
    log = _log(300, 1)
    whole = advance(EMPTY, log, {})
    first = advance(EMPTY, log[:170], {})
    touched = {a.question_id for a in log[170:]}
    before = {q: c for q, c in _latest(log[:170]).items() if q in touched}
    stepped = advance(first, log[170:], before)
    assert stepped.learner[2] == whole.learner[2] == 300
    assert abs(stepped.learner[0] - whole.learner[0]) < 1e-9 and abs(stepped.learner[1] - whole.learner[1]) < 1e-9
    assert stepped.topics.keys() == whole.topics.keys()
    for topic, (right, wrong, answers) in whole.topics.items():
        got = stepped.topics[topic]
        assert abs(got[0] - right) < 1e-9 and abs(got[1] - wrong) < 1e-9 and got[2] == answers
    assert stepped.last_answered_at == log[-1].answered_at


def test_questions_met_and_open_mistakes_follow_each_questions_latest_answer():
    log = _log(200, 2)
    tally = advance(EMPTY, log, {})
    latest = _latest(log)
    assert tally.questions_met == len(latest)
    assert tally.open_mistakes == sum(not correct for correct in latest.values()) > 0


def test_a_mistake_put_right_closes_and_a_new_wrong_answer_opens():
    moment = START
    tally = advance(EMPTY, [NewAnswer("a", "Q1", False, moment), NewAnswer("a", "Q2", True, moment)], {})
    assert (tally.questions_met, tally.open_mistakes) == (2, 1)
    later = advance(tally, [NewAnswer("a", "Q1", True, moment), NewAnswer("b", "Q2", False, moment),
                            NewAnswer("b", "Q3", False, moment)], {"Q1": False, "Q2": True})
    assert (later.questions_met, later.open_mistakes) == (3, 2)


def test_advancing_by_nothing_changes_nothing():
    tally = advance(EMPTY, _log(20, 3), {})
    assert advance(tally, [], {}) == tally


def test_a_signature_plus_new_answers_explains_only_a_log_that_simply_grew():
    from studyapp.domain.tally import Signature, explains

    old = Signature().plus([(1, True), (2, False)])
    assert old == Signature(2, 1, 2)
    new = [(3, True, START), (5, False, START)]
    assert explains(old, START, new, Signature(4, 4, 5))
    assert not explains(old, START, new, Signature(4, 9, 5))                        # an old answer was regraded
    assert not explains(old, START + timedelta(days=1), new, Signature(4, 4, 5))    # a late answer
    assert not explains(old, START, new[:1], Signature(4, 4, 5))                    # one was not read
