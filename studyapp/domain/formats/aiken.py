"""Aiken, the simplest Moodle format: a question, lettered options, `ANSWER: X`.

Our own parser (no maintained Python one exists), following Moodle's reading: option
lines `A)` or `A.` with or without a space, `ANSWER:` in capitals at the start of a
line, lines shorter than two characters skipped. Stricter than Moodle: an answer
letter that is lower case or past the last option, or options out of order, are
refused instead of importing a question with no right answer. A question may run
over several lines before its first option. Aiken holds no feedback, ids, topics,
levels or tags: a re-import keeps those of the current version."""

import re
from dataclasses import dataclass, field

from studyapp.domain.formats.common import ImportedQuestion, Parsed, count_problem, make_values, structure_problems
from studyapp.domain.problems import Problem

CARRIES = frozenset({"stem", "options"})
_OPTION = re.compile(r"^([A-Z])[).][ \t]?(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$", re.IGNORECASE)


@dataclass
class _Draft:
    line: int
    stem: list[str]
    options: list[str] = field(default_factory=list)


def parse(name: str, text: str) -> Parsed:
    """Every question of an Aiken text, or for each bad one its first line and the reason."""
    parsed = Parsed(carries=CARRIES)
    draft: _Draft | None = None
    for number, raw_line in enumerate(text.split("\n"), 1):
        line = raw_line.strip()
        if len(line) < 2:
            continue
        answer, option = _ANSWER.match(line), _OPTION.match(line)
        if answer:
            _finish(name, draft, answer.group(1).strip(), raw_line, parsed)
            draft = None
        elif option and draft is not None and (draft.options or option.group(1) == "A"):
            draft.options.append(line)
        elif draft is not None and draft.options:
            parsed.problems.append(Problem(name, draft.line, "the question has no ANSWER: line before the next "
                                                             f"question starts on line {number}"))
            draft = _Draft(number, [line])
        elif draft is not None:
            draft.stem.append(line)
        else:
            draft = _Draft(number, [line])
    if draft is not None:
        parsed.problems.append(Problem(name, draft.line, "the file ends before this question's ANSWER: line"))
    too_many = count_problem(name, len(parsed.questions) + len(parsed.problems))
    return Parsed(carries=CARRIES, problems=[too_many]) if too_many else parsed


def _finish(name: str, draft: _Draft | None, letter: str, raw_line: str, parsed: Parsed) -> None:
    if draft is None:
        parsed.problems.append(Problem(name, 1, f"ANSWER: {letter} with no question before it"))
        return
    problems = _option_order(draft.options)
    texts = [_OPTION.match(o).group(2) for o in draft.options]
    if not problems and len(texts) < 2:
        problems.append(f"a question needs at least 2 options; this one has {len(texts)}")
    if not problems and not raw_line.startswith("ANSWER:"):
        problems.append("write ANSWER: in capitals at the start of the line")
    if not problems and not re.fullmatch(r"[A-Z]", letter):
        problems.append(f"the answer must be one capital letter, not {letter!r}")
    elif not problems and ord(letter) - ord("A") >= len(texts):
        last = chr(ord("A") + len(texts) - 1)
        problems.append(f"ANSWER: {letter} is past the last option ({last})")
    options = [{"text": t, "correct": chr(ord("A") + n) == letter, "why": ""} for n, t in enumerate(texts)]
    problems = problems or structure_problems(options, " ".join(draft.stem))
    if problems:
        parsed.problems.append(Problem(name, draft.line, "; ".join(problems)))
    else:
        parsed.questions.append(ImportedQuestion(make_values("\n".join(draft.stem), options), name, draft.line))


def _option_order(lines: list[str]) -> list[str]:
    for n, line in enumerate(lines):
        letter = _OPTION.match(line).group(1)
        if letter != chr(ord("A") + n):
            return [f"option {letter} where {chr(ord('A') + n)} was expected (options are lettered A, B, C, ...)"]
    return []


def write(specs) -> str:
    """Aiken for QuestionSpecs: stems and options on one line each; whys, explanations, ids and topics are lost."""
    blocks = []
    for spec in specs:
        lines = [_one_line(spec.stem)]
        lines += [f"{chr(ord('A') + n)}. {_one_line(o.text)}" for n, o in enumerate(spec.options)]
        lines.append(f"ANSWER: {chr(ord('A') + next(n for n, o in enumerate(spec.options) if o.correct))}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
