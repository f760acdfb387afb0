"""GIFT, Moodle's text format, for single-answer multiple choice: our own small parser and writer.

No maintained Python GIFT parser exists; this one follows Moodle's reading
(question/format/gift) and is stricter where Moodle is silently wrong: a question
with no right answer, unbalanced braces or an unknown escape is refused, with the
question's first line. Questions are separated by blank lines; `//` lines are
comments that may carry `[id:...]` and `[tag:...]`; `$CATEGORY:` sets the category
of the questions that follow."""

import re

from studyapp.domain.formats.common import (
    ImportedQuestion, Parsed, count_problem, export_tags, level_and_tags, make_values, structure_problems,
)
from studyapp.domain.formats.text import to_markdown
from studyapp.domain.problems import Problem

CARRIES = frozenset({"stem", "options", "why", "explanation", "topic", "level", "tags"})
_ESCAPES = {":": ":", "#": "#", "=": "=", "{": "{", "}": "}", "~": "~", "\\": "\\", "n": "\n"}
# Escaped characters stand in the text as private-use characters while it is split on the special ones.
_HIDDEN = {char: chr(0xE100 + n) for n, char in enumerate(_ESCAPES.values())}
_SHOWN = {hidden: char for char, hidden in _HIDDEN.items()}
_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)
_FORMAT = re.compile(r"\s*\[(html|moodle|plain|markdown)\]")
_COMMENT_ID = re.compile(r"\[id:([^\]]{1,100})\]")
_COMMENT_TAG = re.compile(r"\[tag:([^\]]{1,40})\]")
_TRUE_FALSE = {"T", "TRUE", "F", "FALSE"}


class GiftError(ValueError):
    """One question cannot be read; the message says why."""


def parse(name: str, text: str) -> Parsed:
    """Every multiple-choice question of a GIFT text, or the reason each other one is refused."""
    parsed, category = Parsed(carries=CARRIES), ""
    for line, comments, body in _blocks(text):
        if body.startswith("$CATEGORY:"):
            first, _, body = body.partition("\n")
            category = first[len("$CATEGORY:"):].strip()
            if not body.strip():
                continue
            line += 1
        try:
            parsed.questions.append(_question(name, line, comments, body, category))
        except GiftError as error:
            parsed.problems.append(Problem(name, line, str(error)))
    too_many = count_problem(name, len(parsed.questions) + len(parsed.problems))
    return Parsed(carries=CARRIES, problems=[too_many]) if too_many else parsed


def _blocks(text: str):
    """(first line, comment lines, question text) of each blank-line separated block."""
    comments: list[str] = []
    body: list[str] = []
    start = 0
    for number, line in enumerate([*text.split("\n"), ""], 1):
        stripped = line.strip()
        if not stripped:
            if body:
                yield start, comments, "\n".join(body)
            comments, body = [], []  # a comment block of its own belongs to no question
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            start = start if body else number
            body.append(line)


def _unescape_marks(text: str) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char not in _ESCAPES:
            raise GiftError(f"unknown escape \\{char}: only \\: \\# \\= \\{{ \\}} \\~ \\n and \\\\ are escapes"
                            if char else "a \\ ends the question: escape it as \\\\")
        return _HIDDEN[_ESCAPES[char]]

    return _ESCAPE.sub(replace, text)


def _restored(text: str) -> str:
    return "".join(_SHOWN.get(c, c) for c in text).strip()


def _shown(text: str, text_format: str) -> str:
    return to_markdown(_restored(text), text_format)


def _question(name: str, line: int, comments: list[str], body: str, category: str) -> ImportedQuestion:
    text = _unescape_marks(body).strip()
    title = ""
    if text.startswith("::"):
        title, separator, text = text[2:].partition("::")
        if not separator:
            raise GiftError("the title has no closing ::")
    marker = _FORMAT.match(text)
    text_format = f"[{marker.group(1)}]" if marker else ""
    text = text[marker.end():] if marker else text
    before, answers, after = _split_answers(text)
    stem = before.rstrip() + (" _____ " + after.strip() if after.strip() else "")
    options, general = _answers(answers)
    options = [{key: _shown(value, text_format) if key != "correct" else value for key, value in o.items()}
               for o in options]
    stem, explanation = _shown(stem, text_format), _shown(general, text_format)
    problems = structure_problems(options, stem)
    if problems:
        raise GiftError("; ".join(problems))
    ids = [m.group(1).strip() for c in comments for m in _COMMENT_ID.finditer(c)]
    level, tags = level_and_tags([m.group(1).strip() for c in comments for m in _COMMENT_TAG.finditer(c)])
    return ImportedQuestion(make_values(stem, options, explanation, level=level, tags=tags), name, line,
                            title=_restored(title), idnumber=ids[-1] if ids else "",
                            category=category)


def _split_answers(text: str) -> tuple[str, str, str]:
    """Question text before the answer block, the block, and text after it (a missing-word question)."""
    opening = text.find("{")
    closing = text.find("}")
    if opening < 0:
        raise GiftError("unbalanced braces: a } with no {" if closing >= 0 else
                        "no answers in braces { }: descriptions and essays are not imported")
    if closing < 0:
        raise GiftError("unbalanced braces: the { of the answers is never closed")
    if closing < opening:
        raise GiftError("unbalanced braces: a } before the answers' {")
    nested = text.find("{", opening + 1)
    if 0 <= nested < closing:
        raise GiftError("unbalanced braces: a { inside the answers (write \\{ for a brace in the text)")
    after = text[closing + 1:]
    if "{" in after or "}" in after:
        raise GiftError("unbalanced braces: more than one answer block (write \\{ and \\} for braces in the text)")
    return text[:opening], text[opening + 1:closing], after


def _answers(block: str) -> tuple[list[dict], str]:
    """The options and the general feedback (####) of an answer block; other question types refused."""
    body, _, general = block.partition("####")
    _refuse_other_types(body)
    parts = re.split(r"(?=[=~])", body)
    if parts[0].strip():
        raise GiftError(f"text {parts[0].strip()[:30]!r} before the first answer: answers start with = or ~")
    return [_option(part) for part in parts[1:]], general


def _refuse_other_types(body: str) -> None:
    """Moodle's order of guessing the type: essay, numerical, then any ~ makes it multiple choice."""
    stripped = body.strip()
    if not stripped:
        raise GiftError("essay questions (empty braces) are not supported: only single-answer multiple choice")
    if stripped.startswith("#"):
        raise GiftError("numerical questions are not supported: only single-answer multiple choice")
    if "~" in body:
        return
    if "->" in body:
        raise GiftError("matching questions are not supported: only single-answer multiple choice")
    if stripped.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        raise GiftError("true/false questions are not supported: the exam asks one of four options")
    raise GiftError("short-answer questions (only = answers) are not supported: add wrong options with ~"
                    if "=" in body else "no answers: each answer starts with = (right) or ~ (wrong)")


def _option(part: str) -> dict:
    mark, content = part[0], part[1:]
    weight = re.match(r"%(-?\d+(?:\.\d+)?)%", content)
    correct = mark == "="
    if weight:
        content = content[weight.end():]
        value = float(weight.group(1))
        if value not in (0.0, 100.0):
            raise GiftError(f"partial-credit answers (%{weight.group(1)}%) are not supported: one option is right")
        correct = value == 100.0
    text, _, why = content.partition("#")
    return {"text": text, "correct": correct, "why": why}


# --- writing -----------------------------------------------------------------------------------

def escape(text: str) -> str:
    """Text as GIFT holds it: the special characters and newlines escaped."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _mark(option) -> str:
    """= or ~, with the weight written out when the text itself starts with % (GIFT has no escape for it)."""
    mark = "=" if option.correct else "~"
    if option.text.startswith("%"):
        mark += "%100%" if option.correct else "%0%"
    return mark


def write(specs) -> str:
    """GIFT for QuestionSpecs: one $CATEGORY per topic, [id:] and [tag:] comments, Markdown texts."""
    out, category = [], None
    for spec in specs:
        wanted = f"$course$/top/{spec.module}/{spec.topic}"
        if wanted != category:
            out.append(f"$CATEGORY: {wanted}\n")
            category = wanted
        tags = " ".join(f"[tag:{tag}]" for tag in export_tags(spec.level, spec.tags))
        lines = [f"// [id:{spec.id}] {tags}", f"::{escape(spec.id)}::[markdown]{escape(spec.stem)} {{"]
        lines += [f"\t{_mark(o)}{escape(o.text)}" + (f"#{escape(o.why)}" if o.why else "") for o in spec.options]
        if spec.explanation:
            lines.append(f"\t####{escape(spec.explanation)}")
        out.append("\n".join(lines) + "\n}\n")
    return "\n".join(out)
