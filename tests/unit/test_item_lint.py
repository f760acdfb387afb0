"""Item-writing lint: each rule catches a flawed item and passes a sound one."""

import pytest

from studyapp.domain.bank import SyllabusIndex, check_bank, dump_bank, lint_warnings
from studyapp.domain.item_lint import CODES, acknowledgement_problems, lint_bank, lint_question
from studyapp.domain.question_rules import check_question
from tests.unit.test_bank_parsing import GOOD, INDEX


def item(stem: str, key: str, *distractors: str, question_id: str = "PRI-001", **extra) -> dict:
    options = [{"text": key, "correct": True, "why": "Right."}] + [{"text": d, "why": "Wrong."} for d in distractors]
    return {"id": question_id, "topic": "principles.strategy", "level": 1, "stem": stem, "options": options,
            "explanation": "Because.", **extra}


def codes(values: dict) -> set[str]:
    return {w.code for w in lint_question(values)}


SOUND = item("Which principle asks that every investment serves a business goal?",
             "Strategy alignment", "Governance alignment", "Portfolio office", "Senior management commitment")

FLAWED = [
    ("absolute-in-distractors", item("What does the portfolio office do?", "It supports decisions with analysis",
                                     "It always takes the final decision", "It must approve every project plan",
                                     "It reports to project managers")),
    ("absolute-in-distractors", item("Which statement about the dashboard is NOT correct?",
                                     "It can never change once approved", "It shows actual figures",
                                     "It is prepared regularly", "It compares forecasts with plans")),
    ("key-shares-stem-words", item("Which practice tracks the benefits realized by initiatives?",
                                   "Benefits management", "Risk management", "Financial management", "Categorize")),
    ("key-odd-form", item("Which of these is a practice of the definition cycle?", "Categorize",
                          "Risk management", "Resource management", "Financial management")),
    ("key-odd-form", item("Which element sits at the core of the model?", "Organizational energy",
                          "The strategy alignment principle of the model", "The definition cycle of the model",
                          "The delivery cycle of the model")),
    ("key-longest", item("Which technique traces an initiative to the goals it serves?",
                         "Driver-based strategic contribution analysis", "Three-point estimating",
                         "Payback period", "Reference class forecasting")),
    ("all-none-above", item("Which of these are principles?", "All of the above", "Portfolio office",
                            "Strategy alignment", "Governance alignment")),
    ("negative-not-capitals", item("Which of these is not one of the five principles?", "Organizational governance",
                                   "Portfolio office", "Strategy alignment", "Governance alignment")),
]


@pytest.mark.parametrize(("code", "values"), FLAWED, ids=[f"{c}-{i}" for i, (c, _) in enumerate(FLAWED)])
def test_flawed_item_is_caught_with_a_reason_for_the_guesser(code, values):
    assert check_question(values, SyllabusIndex({"principles.strategy": "principles"})) == []
    [warning] = [w for w in lint_question(values) if w.code == code]
    assert "guess" in warning.message
    assert warning.field == "stem" or warning.field.startswith("options.")


def test_sound_item_passes_every_rule():
    assert lint_question(SOUND) == []


@pytest.mark.parametrize("values", [
    item("What does the portfolio office do?", "It always supports decisions", "It never advises anyone",
         "It only writes reports", "It sets the budgets"),  # the key is as firm as the distractors
    item("How often is the strategy refreshed?", "At least annually", "Every five years", "Each decade",
         "When a project closes"),  # "every five years" is a frequency, not a sweeping claim
    item("Which body approves it?", "Portfolio Direction Group", "Portfolio Progress Group",
         "Portfolio office", "Programme board"),  # "portfolio" echoes every stem and is no cue
    item("A scenario says it was not approved. Which principle applies?", "Governance alignment",
         "Strategy alignment", "Portfolio office", "Energized change culture"),  # "not" outside the question
    item("How often should the plan be refreshed, at least?", "Annually", "Monthly", "Weekly", "Daily"),
])
def test_look_alikes_are_not_flagged(values):
    assert lint_question(values) == []


def test_field_points_at_the_offending_option():
    values = FLAWED[0][1]
    [warning] = lint_question(values)
    assert warning.field == "options.1.text"


def test_acknowledgement_silences_exactly_that_code():
    values = {**FLAWED[5][1], "lint_ok": {"key-longest": "The technique's name is four words long in MoP."}}
    assert "key-longest" not in codes(values)
    both = item("Which practice tracks the benefits realized?", "Benefits management tracking everything fully",
                "Risk", "Balance", "Plan")
    assert {"key-longest", "key-shares-stem-words"} <= codes(both)
    assert codes({**both, "lint_ok": {"key-longest": "reason"}}) == codes(both) - {"key-longest"}


def test_acknowledgements_are_validated():
    assert acknowledgement_problems(None) == []
    assert acknowledgement_problems({"key-longest": "The MoP term is long."}) == []
    assert "unknown warning 'key-long'" in acknowledgement_problems({"key-long": "x"})[0].message
    [empty] = acknowledgement_problems({"key-longest": "  "})
    assert empty.field == "lint_ok.key-longest" and "reason" in empty.message
    assert acknowledgement_problems(["key-longest"])[0].field == "lint_ok"


NEAR_TWINS = [
    item("What is the other name for the Portfolio Progress Group?", "Change Delivery Committee",
         "Investment Committee", "Portfolio Board", "Programme Board", question_id="ROL-001"),
    item("The Portfolio Progress Group is also known by which other name?", "Change Delivery Committee",
         "Investment Committee", "Portfolio Board", "Programme Board", question_id="ROL-002"),
]


def test_the_same_fact_tested_twice_is_caught_on_the_later_question():
    found = lint_bank(NEAR_TWINS)
    assert [(qid, w.code) for qid, w in found] == [("ROL-002", "near-duplicate-key")]
    assert "ROL-001" in found[0][1].message and found[0][1].field == "options.0.text"


def test_questions_sharing_only_a_key_term_are_not_twins():
    first = item("Which body approves portfolio-level communications?", "Portfolio Progress Group",
                 "Portfolio Direction Group", "Portfolio office", "Programme board", question_id="ROL-001")
    second = item("Which body manages risks and dependencies during delivery?", "Portfolio Progress Group",
                  "Portfolio Direction Group", "Portfolio office", "Programme board", question_id="ROL-002")
    assert lint_bank([first, second]) == []


def test_near_duplicate_stems_need_alike_wording_and_alike_content():
    template = [item("Which of the following is NOT one of the five MoP principles?", "Organizational governance",
                     "Portfolio office", "Strategy alignment", "Governance alignment", question_id="PRI-001"),
                item("Which of the following is NOT typical content of a portfolio strategy?", "Actual spend",
                     "A vision", "Priorities", "Benefits", question_id="DOC-001")]
    assert lint_bank(template) == []
    reworded = [item("Which BEST describes the portfolio delivery plan when compared with the portfolio strategy?",
                     "A shorter-term baseline", "A vision", "A ranking", "A budget", question_id="DOC-001"),
                item("Which statement BEST distinguishes the portfolio benefits realization plan from the portfolio "
                     "strategy?", "A forecast of benefits", "A vision", "A ranking", "A budget", question_id="DOC-002")]
    assert [w.code for _, w in lint_bank(reworded)] == ["near-duplicate-stem"]


def test_bank_wide_acknowledgement_silences_the_later_question():
    acknowledged = [NEAR_TWINS[0], {**NEAR_TWINS[1], "lint_ok": {"near-duplicate-key": "Kept on purpose: recall drill."}}]
    assert lint_bank(acknowledged) == []


LINTED = GOOD.replace("a strategic objective?", "a business goal?").replace(
    "      - text: Portfolio office\n", "      - text: Portfolio office must decide\n")


def test_bank_file_warnings_name_the_line_of_the_field():
    result = check_bank([("bank.yaml", LINTED.encode())], INDEX)
    assert result.ok
    [warning] = lint_warnings(result.questions)
    assert str(warning).startswith("bank.yaml:13: warning [absolute-in-distractors]: question PRI-001: ")


def test_lint_ok_in_a_file_is_validated_silences_and_survives_a_round_trip():
    text = LINTED.replace("    tags: [definition]\n",
                          "    tags: [definition]\n    lint_ok:\n      absolute-in-distractors: A quoted claim.\n")
    [question] = check_bank([("bank.yaml", text.encode())], INDEX).questions
    assert lint_warnings([question]) == []
    again = check_bank([("bank.yaml", dump_bank("principles", [question]).encode())], INDEX).questions[0]
    assert again.lint_ok == (("absolute-in-distractors", "A quoted claim."),)
    assert again.content_hash() == question.content_hash()
    bad = check_bank([("bank.yaml", text.replace("absolute-in-distractors:", "absolute-words:").encode())], INDEX)
    assert any(p.line == 21 and "unknown warning 'absolute-words'" in p.message for p in bad.problems)


def test_every_code_is_documented_for_authors():
    from tests.conftest import ROOT

    authoring = (ROOT / "docs" / "authoring.md").read_text()
    assert [code for code in CODES if f"`{code}`" not in authoring] == []
