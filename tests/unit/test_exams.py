import random
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from studyapp.domain.exams import (
    ExamClock, ItemOutcome, NotEnoughQuestions, PoolQuestion, mock_exam_blueprint, pass_mark_for, sample_mock,
    score_mock, time_allowed,
)

WEIGHTS = {"overview": 12, "principles": 14, "definition": 22, "delivery": 22, "roles": 12, "documents": 8,
           "implementation": 10}
NOW = datetime(2026, 11, 1, 10, tzinfo=timezone.utc)


def pool(per_module=12, met=()):
    return [PoolQuestion(f"{m}-{i}", m, f"{m}-{i}" in met) for m in WEIGHTS for i in range(per_module)]


def test_blueprint_gives_the_exact_counts_of_the_real_exam():
    assert mock_exam_blueprint(WEIGHTS) == {"overview": 6, "principles": 7, "definition": 11, "delivery": 11,
                                            "roles": 6, "documents": 4, "implementation": 5}


@pytest.mark.parametrize("length", [1, 5, 7, 13, 50, 51])
def test_blueprint_always_adds_up_to_the_length(length):
    counts = mock_exam_blueprint(WEIGHTS, length)
    assert sum(counts.values()) == length
    for module, count in counts.items():
        assert abs(count - length * WEIGHTS[module] / 100) < 1


def test_sample_has_exact_counts_per_module_and_no_repeats():
    chosen = sample_mock(pool(), mock_exam_blueprint(WEIGHTS), random.Random(1))
    assert len(chosen) == len(set(chosen)) == 50
    assert Counter(q.split("-")[0] for q in chosen) == Counter(mock_exam_blueprint(WEIGHTS))


def test_sample_is_reproducible_with_a_seed_and_varies_without():
    blueprint = mock_exam_blueprint(WEIGHTS)
    assert sample_mock(pool(), blueprint, random.Random(42)) == sample_mock(pool(), blueprint, random.Random(42))
    assert sample_mock(pool(), blueprint, random.Random(1)) != sample_mock(pool(), blueprint, random.Random(2))


def test_questions_not_yet_met_in_a_mock_come_first():
    met = {f"documents-{i}" for i in range(8)}
    chosen = sample_mock(pool(met=met), mock_exam_blueprint(WEIGHTS), random.Random(3))
    assert {q for q in chosen if q.startswith("documents")} == {f"documents-{i}" for i in range(8, 12)}


def test_a_module_with_too_few_questions_is_a_clear_error():
    short = [q for q in pool() if not (q.module_id == "definition" and int(q.question_id.split("-")[1]) >= 9)]
    with pytest.raises(NotEnoughQuestions) as error:
        sample_mock(short, mock_exam_blueprint(WEIGHTS), random.Random())
    assert (error.value.module, error.value.needed, error.value.available) == ("definition", 11, 9)
    assert "needs 11 questions for a mock but has only 9" in str(error.value)


def test_pass_mark_scales_with_length_and_time_with_extra_time():
    assert pass_mark_for(50) == 25 and pass_mark_for(5) == 3
    assert time_allowed(40, extra_time=False) == timedelta(minutes=40)
    assert time_allowed(40, extra_time=True) == timedelta(minutes=50)


def test_clock_expires_exactly_at_the_deadline():
    clock = ExamClock(NOW, NOW + timedelta(minutes=40))
    assert not clock.expired(NOW + timedelta(minutes=39, seconds=59))
    assert clock.remaining(NOW + timedelta(minutes=30)) == timedelta(minutes=10)
    assert clock.expired(NOW + timedelta(minutes=40))
    assert clock.remaining(NOW + timedelta(hours=5)) == timedelta(0)


def test_score_counts_blanks_as_wrong_and_splits_by_module():
    outcomes = ([ItemOutcome("roles", True, True)] * 20 + [ItemOutcome("roles", True, False)] * 5
                + [ItemOutcome("documents", False, False)] * 25)
    score = score_mock(outcomes, WEIGHTS, pass_mark=25)
    assert (score.score, score.total, score.passed) == (20, 50, False)
    assert [(m.module_id, m.right, m.total) for m in score.modules] == [("roles", 20, 25), ("documents", 0, 25)]
    assert score_mock([ItemOutcome("roles", True, True)] * 25, WEIGHTS, 25).passed
