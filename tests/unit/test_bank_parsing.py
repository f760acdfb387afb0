"""Bank files: every way a file can be broken, each with its precise message and line."""

import pytest
import yaml

from studyapp.domain.bank import OptionSpec, QuestionSpec, SyllabusIndex, check_bank, dump_bank

INDEX = SyllabusIndex(topic_modules={"principles.strategy": "principles", "roles.pdg": "roles"},
                      anchors={"principles.strategy": {"line-of-sight"}, "roles.pdg": set()})

GOOD = """\
module: principles
questions:
  - id: PRI-001
    topic: principles.strategy
    level: 1
    stem: Which principle asks that every investment serves a strategic objective?
    options:
      - text: Strategy alignment
        correct: true
        why: It is about the line of sight.
      - text: Governance alignment
        why: That one is about decision making.
      - text: Portfolio office
        why: That one is about support.
      - text: Senior management commitment
        why: That one is about leaders.
    explanation: Strategy alignment.
    see: principles.strategy#line-of-sight
    tags: [definition]
"""


def check(*texts: str | bytes):
    files = [(f"bank{i}.yaml", t if isinstance(t, bytes) else t.encode()) for i, t in enumerate(texts)]
    return check_bank(files, INDEX)


def test_a_good_file_gives_its_questions():
    result = check(GOOD)
    assert result.ok
    [question] = result.questions
    assert question.id == "PRI-001" and question.options[0].correct and question.line == 3


BROKEN = [
    ("yaml syntax error", GOOD.replace("    level: 1\n", "    level: [1\n"), 6, "YAML syntax error"),
    ("tab", GOOD.replace("    level: 1", "\tlevel: 1"), 5, "tab character"),
    ("unsafe tag", GOOD.replace("level: 1", "level: !!python/object/apply:os.system ['echo hi']"), 5, "unsafe or unknown YAML tag !!python/object/apply:os.system"),
    ("missing field", GOOD.replace("    explanation: Strategy alignment.\n", ""), 3, "missing field 'explanation'"),
    ("no correct option", GOOD.replace("        correct: true\n", ""), 8, "no option is marked correct"),
    ("two correct options", GOOD.replace("      - text: Portfolio office\n", "      - text: Portfolio office\n        correct: true\n"), 8, "2 options are marked correct"),
    ("unknown topic", GOOD.replace("topic: principles.strategy", "topic: principles.nothing"), 4, "unknown topic 'principles.nothing'"),
    ("topic of another module", GOOD.replace("topic: principles.strategy", "topic: roles.pdg"), 4, "belongs to module 'roles'"),
    ("empty rationale", GOOD.replace("why: That one is about support.", "why: ''"), 14, "option has an empty rationale (why)"),
    ("unknown field", GOOD.replace("    level: 1\n", "    level: 1\n    corect: true\n"), 6, "unknown field 'corect'"),
    ("missing anchor", GOOD.replace("#line-of-sight", "#nowhere"), 18, "#nowhere, which is not a heading"),
    ("bad level", GOOD.replace("level: 1", "level: 3"), 5, "level must be 1 (know) or 2 (understand)"),
    ("bad id", GOOD.replace("id: PRI-001", "id: question one"), 3, "must look like ABC-001"),
    ("duplicate key", GOOD.replace("    level: 1\n", "    level: 1\n    level: 2\n"), 6, "key 'level' appears twice"),
    ("unknown module", GOOD.replace("module: principles", "module: nonsense"), 1, "unknown module 'nonsense'"),
    ("no questions", "module: principles\nquestions: []\n", 2, "'questions' must be a non-empty list"),
    ("same option twice", GOOD.replace("text: Portfolio office", "text: Governance alignment"), 8, "two options have the same text"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_reported_precisely_and_yields_nothing(name, text, line, message):
    result = check(text)
    assert not result.ok
    assert result.questions == []
    assert any(p.line == line and message in p.message for p in result.problems), [str(p) for p in result.problems]
    assert all(str(p).startswith("bank0.yaml:") for p in result.problems)


def test_bad_encoding_names_the_line():
    raw = GOOD.replace("Portfolio office", "Portfolio \x00office").encode().replace(b"\x00", b"\xff")
    [problem] = check(raw).problems
    assert problem.line == 13 and "not valid UTF-8: byte 0xff" in problem.message


def test_duplicate_id_across_files_names_both_places():
    result = check(GOOD, GOOD)
    assert [str(p) for p in result.problems] == ["bank1.yaml:3: duplicate id PRI-001 (first used at bank0.yaml:3)"]
    assert result.questions == []


def test_every_problem_in_a_file_is_reported_at_once():
    text = GOOD.replace("level: 1", "level: 9").replace("#line-of-sight", "#nowhere")
    assert len(check(text).problems) == 2


def test_one_bad_file_means_no_questions_from_good_files_either():
    assert check(GOOD, "module: principles\nquestions: [").questions == []


def test_content_hash_changes_with_content_not_with_location():
    question = check(GOOD).questions[0]
    moved = QuestionSpec(**{**question.__dict__, "file": "elsewhere.yaml", "line": 99})
    edited = QuestionSpec(**{**question.__dict__, "stem": question.stem + " (edited)"})
    assert moved.content_hash() == question.content_hash()
    assert edited.content_hash() != question.content_hash()


def test_dump_bank_round_trips():
    question = check(GOOD).questions[0]
    again = check(dump_bank("principles", [question])).questions[0]
    assert again.content_hash() == question.content_hash()
    assert yaml.safe_load(dump_bank("principles", [question]))["questions"][0]["options"][1] == {
        "text": "Governance alignment", "why": "That one is about decision making."}
    assert isinstance(question.options[0], OptionSpec)
