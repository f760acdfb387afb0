"""Bank files are operator input, but still must not hang the check or blow up a page:
aliases are refused, nesting, file size and every value are capped, each with file:line."""

import time

from studyapp.domain.bank import MAX_FILE_BYTES, MAX_SCALAR, check_bank
from studyapp.domain.safe_yaml import MAX_DEPTH, plain_yaml_problem
from tests.unit.test_bank_parsing import GOOD, INDEX

BOMB = "module: principles\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
    f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]\n" for n in range(12)) + \
    "questions: [*m]\n"


def check(text: str | bytes):
    raw = text if isinstance(text, bytes) else text.encode()
    return [str(p) for p in check_bank([("bank.yaml", raw)], INDEX).problems]


def test_an_alias_bomb_is_refused_at_once_with_its_line():
    started = time.perf_counter()
    assert check(BOMB) == ["bank.yaml:2: YAML anchor &a is not allowed: write the value out in full"]
    assert time.perf_counter() - started < 1


def test_a_self_referencing_alias_is_refused_not_a_recursion_error():
    assert check("module: principles\nquestions: &q\n  - *q\n") == [
        "bank.yaml:2: YAML anchor &q is not allowed: write the value out in full"]


def test_an_alias_is_refused_with_its_line_even_without_an_anchor():
    assert check("module: principles\nquestions: [*nothing]\n") == [
        "bank.yaml:2: YAML alias *nothing is not allowed: write the value out in full"]


def test_nesting_deeper_than_any_bank_needs_is_refused():
    deep = "module: principles\nquestions: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert check(deep) == [f"bank.yaml:2: nested more than {MAX_DEPTH} levels deep"]


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed():
    assert check(b"#" * (MAX_FILE_BYTES + 1)) == [
        f"bank.yaml:1: file is {MAX_FILE_BYTES + 1:,} bytes; a bank file may hold at most {MAX_FILE_BYTES:,} "
        "(split the module into several files)"]


def test_a_huge_explanation_is_refused_at_its_line():
    text = GOOD.replace("explanation: Strategy alignment.", "explanation: " + "y" * 50_000)
    problems = check(text)
    assert f"bank.yaml:17: value is 50,000 characters; no field may hold more than {MAX_SCALAR:,}" in problems


def test_plain_data_passes():
    assert plain_yaml_problem(GOOD) is None and check(GOOD) == []
