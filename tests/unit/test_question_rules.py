"""The question rules: one table of broken questions, the same message from a file and from values."""

import pytest

from studyapp.domain.bank import parse_bank_file
from studyapp.domain.question_rules import SyllabusIndex, check_question, near_duplicate_pairs, similar_stems
from tests.question_cases import BROKEN, GOOD_VALUES, as_yaml

INDEX = SyllabusIndex(topic_modules={"alpha.first": "alpha", "alpha.second": "alpha"},
                      anchors={"alpha.first": {"key-idea"}, "alpha.second": set()})


def test_good_values_have_no_problem():
    assert check_question(GOOD_VALUES, INDEX) == []


@pytest.mark.parametrize(("name", "changes", "field", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_values_and_file_report_the_same_problem(name, changes, field, message):
    values = {**GOOD_VALUES, **changes}
    problems = check_question(values, INDEX)
    assert any(p.field == field and message in p.message for p in problems), problems
    questions, file_problems = parse_bank_file("bank.yaml", as_yaml(values), INDEX)
    assert questions == []
    assert any(message in p.message for p in file_problems), file_problems


def test_a_file_problem_names_the_line_of_its_field():
    values = {**GOOD_VALUES, "options": [*GOOD_VALUES["options"][:2], {"text": "Circle", "correct": False, "why": ""},
                                         GOOD_VALUES["options"][3]]}
    _, problems = parse_bank_file("bank.yaml", as_yaml(values), INDEX)
    text = as_yaml(values).decode().splitlines()
    [problem] = problems
    assert "why: ''" in text[problem.line - 1]


def test_editor_checks_skip_the_module_check_but_files_keep_it():
    assert check_question({**GOOD_VALUES, "topic": "alpha.second", "see": None}, INDEX, module="beta")[0].field == "topic"
    assert check_question({**GOOD_VALUES, "topic": "alpha.second", "see": None}, INDEX) == []


def test_similar_stems_finds_a_reworded_copy_and_passes_a_different_question():
    others = [("A-1", GOOD_VALUES["stem"]), ("A-2", "Which colour do you get by mixing blue and yellow?")]
    assert [found for found, _ in similar_stems("Which shape has exactly three straight sides in geometry?", others)] == ["A-1"]
    assert near_duplicate_pairs(others) == []
