"""The shipped question bank: what issue #4 asks of it, checked on every CI run."""

import re
from collections import Counter

import pytest

from studyapp.domain.question_rules import near_duplicate_pairs

TAGS = {"definition", "purpose", "best-describes", "classification", "list", "negative", "document", "roles",
        "scenario", "technique"}


def test_bank_check_finds_no_problem(bank):
    assert [str(p) for p in bank.problems] == []


def test_at_least_350_questions(bank):
    assert len(bank.questions) >= 350


def test_each_module_within_20_percent_of_its_exam_share(bank, syllabus):
    counts = Counter(q.module for q in bank.questions)
    total = len(bank.questions)
    for module in syllabus.modules:
        share = module.weight / 100 * total
        assert 0.8 * share <= counts[module.id] <= 1.2 * share, (module.id, counts[module.id], share)


def test_the_bank_holds_seven_full_mocks_without_repeats(bank, syllabus):
    counts = Counter(q.module for q in bank.questions)
    for module in syllabus.modules:
        assert counts[module.id] >= 7 * round(module.weight / 2), module.id


def test_every_topic_has_at_least_five_questions(bank, syllabus):
    counts = Counter(q.topic for q in bank.questions)
    assert {t.id: counts[t.id] for t in syllabus.topics if counts[t.id] < 5} == {}


def test_exam_style_four_options_one_correct_every_option_explained(bank):
    for q in bank.questions:
        assert len(q.options) == 4, q.id
        assert sum(o.correct for o in q.options) == 1, q.id
        assert all(o.why for o in q.options) and q.explanation and q.see, q.id
        assert q.level in (1, 2)


def test_no_all_or_none_of_the_above(bank):
    pattern = re.compile(r"\b(all|none|both) of the (above|following)\b|\ball of these\b", re.IGNORECASE)
    assert [q.id for q in bank.questions if any(pattern.search(o.text) for o in q.options)] == []


def test_negative_questions_put_not_in_capitals(bank):
    for q in bank.questions:
        if "negative" in q.tags:
            assert re.search(r"\b(NOT|LEAST|EXCEPT|OUTSIDE)\b", q.stem), q.id


def test_tags_come_from_the_vocabulary_and_every_style_is_used(bank):
    used = Counter(tag for q in bank.questions for tag in q.tags)
    assert set(used) <= TAGS
    for style in ("definition", "best-describes", "classification", "list", "negative", "document", "roles", "scenario"):
        assert used[style] >= 5, style


def test_both_levels_are_present(bank):
    levels = Counter(q.level for q in bank.questions)
    assert levels[1] >= 100 and levels[2] >= 100


@pytest.mark.parametrize("module", ["overview", "principles", "definition", "delivery", "roles", "documents", "implementation"])
def test_correct_answer_position_is_balanced(bank, module):
    positions = Counter(next(i for i, o in enumerate(q.options) if o.correct) for q in bank.questions if q.module == module)
    total = sum(positions.values())
    assert max(positions.values()) <= 0.3 * total, positions


def test_the_correct_option_is_not_usually_the_longest(bank):
    longest = sum(1 for q in bank.questions
                  if max(q.options, key=lambda o: len(o.text)).correct
                  and sorted(len(o.text) for o in q.options)[-1] > sorted(len(o.text) for o in q.options)[-2])
    assert longest <= 0.35 * len(bank.questions)


def near_duplicate_stems(questions):
    return near_duplicate_pairs([(q.id, q.stem) for q in questions])


def test_near_duplicate_detector_catches_a_reworded_copy(bank):
    original = bank.questions[0]
    copy = type(original)(**{**original.__dict__, "id": "XXX-999", "stem": "In MoP, " + original.stem})
    assert near_duplicate_stems([original, copy]) != []


def test_no_two_stems_are_near_duplicates(bank):
    assert near_duplicate_stems(bank.questions) == []


def test_bank_check_strict_passes_no_item_writing_cue_left_unacknowledged(bank):
    from studyapp.domain.bank import lint_warnings

    assert [str(w) for w in lint_warnings(bank.questions)] == []


def test_acknowledged_warnings_carry_a_reason(bank):
    assert all(reason.strip() for q in bank.questions for _, reason in q.lint_ok)
