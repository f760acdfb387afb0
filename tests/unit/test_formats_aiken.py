"""Aiken reading: option styles, CRLF and BOM, and each refusal with its exact message and line."""

import pytest

from studyapp.domain.formats import aiken, detect


def read(text: str):
    return aiken.parse("q.txt", text)


def test_both_option_styles_with_and_without_a_space():
    parsed = read("Which comes first?\nA) Understand\nB)Categorize\nC. Prioritize\nD.Balance\nANSWER: A\n")
    assert parsed.problems == []
    [question] = parsed.questions
    assert question.values["stem"] == "Which comes first?"
    assert [(o["text"], o["correct"]) for o in question.values["options"]] == [
        ("Understand", True), ("Categorize", False), ("Prioritize", False), ("Balance", False)]
    assert question.identity == "stem:Which comes first?"


def test_crlf_and_bom_are_read_like_plain_lf():
    raw = "\ufeffFirst?\r\nA. x\r\nB. y\r\nANSWER: B\r\n\r\nSecond?\r\nA. p\r\nB. q\r\nANSWER: A\r\n".encode()
    fmt, parsed = detect.parse_file("bank.txt", raw)
    assert fmt == "aiken" and parsed.problems == []
    assert [(q.values["stem"], q.line) for q in parsed.questions] == [("First?", 1), ("Second?", 6)]
    assert parsed.questions[0].values["options"][1]["correct"] is True


def test_a_question_may_run_over_several_lines_before_its_options():
    [question] = read("A scenario:\nthe board meets.\nWhat next?\nA. x\nB. y\nANSWER: A\n").questions
    assert question.values["stem"] == "A scenario:\nthe board meets.\nWhat next?"


BAD = [
    ("Q?\nA. x\nANSWER: A", "a question needs at least 2 options; this one has 1"),
    ("Q?\nA. x\nB. y\nANSWER: C", "ANSWER: C is past the last option (B)"),
    ("Q?\nA. x\nB. y\nANSWER: b", "the answer must be one capital letter, not 'b'"),
    ("Q?\nA. x\nB. y\nAnswer: B", "write ANSWER: in capitals at the start of the line"),
    ("Q?\nA. x\nC. y\nANSWER: A", "option C where B was expected (options are lettered A, B, C, ...)"),
    ("Q?\nA. x\nB. y\nANSWER: AB", "the answer must be one capital letter, not 'AB'"),
    ("Q?\nA. x\nB. x\nANSWER: A", None),  # two equal options are a publishing problem, not an import one
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_aiken_is_refused_with_its_first_line(text, message):
    parsed = read("Fine?\nA. a\nB. b\nANSWER: A\n\n" + text + "\n")
    expected = [] if message is None else [("q.txt", 6, message)]
    assert [(p.file, p.line, p.message) for p in parsed.problems] == expected


def test_a_question_without_answer_before_the_next_one_is_refused():
    parsed = read("First?\nA. a\nB. b\nSecond?\nA. c\nB. d\nANSWER: B\n")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (1, "the question has no ANSWER: line before the next question starts on line 4")]
    assert [q.values["stem"] for q in parsed.questions] == ["Second?"]


def test_a_file_ending_mid_question_is_refused():
    assert [(p.line, p.message) for p in read("Q?\nA. a\nB. b\n").problems] == [
        (1, "the file ends before this question's ANSWER: line")]
