"""The CSV template: one row per question, for trainers whose bank lives in a spreadsheet.

Columns (header row required, any order, names case-insensitive): id, topic, level,
stem, option_a, why_a, option_b, why_b, option_c, why_c, option_d, why_d (option_e/why_e
and option_f/why_f optional), correct (the letter), explanation, tags (comma separated),
see. Excel's UTF-8 BOM, `;` or `,` separators and quoted newlines are accepted. Texts
are Markdown. Written cells that a spreadsheet would run as a formula (starting with
= + - @, tab or CR) get a leading apostrophe, which reading takes off again."""

import csv
import io
import re

from studyapp.domain.formats.common import ImportedQuestion, Parsed, count_problem, make_values, structure_problems
from studyapp.domain.problems import Problem

CARRIES = frozenset({"stem", "options", "why", "explanation", "topic", "level", "tags", "see"})
LETTERS = "ABCDEF"
COLUMNS = ["id", "topic", "level", "stem"] + [f"{kind}_{letter.lower()}" for letter in "abcd"
                                               for kind in ("option", "why")] + ["correct", "explanation", "tags", "see"]
KNOWN = set(COLUMNS) | {f"{kind}_{letter}" for letter in "ef" for kind in ("option", "why")}
REQUIRED = ("stem", "option_a", "option_b", "correct")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The longest field a question holds is an 8,000-character explanation; csv's own limit is 131,072.
FIELD_LIMIT = 20_000


def parse(name: str, text: str) -> Parsed:
    """Every row of a CSV text as a question, or the row's line and the reason it is refused."""
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=separator, strict=True)
    parsed = Parsed(carries=CARRIES)
    try:
        header = [column.strip().lower() for column in next(reader, [])]
        problem = _header_problem(name, header)
        if problem:
            return Parsed(carries=CARRIES, problems=[problem])
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                _row(name, start, dict(zip(header, (_unguarded(cell) for cell in row))), parsed)
            start = reader.line_num + 1
    except csv.Error as error:
        return Parsed(carries=CARRIES, problems=[Problem(name, reader.line_num, f"the CSV is malformed: {error}")])
    too_many = count_problem(name, len(parsed.questions) + len(parsed.problems))
    return Parsed(carries=CARRIES, problems=[too_many]) if too_many else parsed


def _header_problem(name: str, header: list[str]) -> Problem | None:
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in KNOWN]
    if missing or unknown:
        parts = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
        return Problem(name, 1, "; ".join(parts) + f" (the template's columns: {', '.join(COLUMNS)})")
    return None


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _needs_guard(cell[1:]) else cell


def _row(name: str, line: int, row: dict, parsed: Parsed) -> None:
    if any(len(value) > FIELD_LIMIT for value in row.values()):
        parsed.problems.append(Problem(name, line, f"a cell is longer than {FIELD_LIMIT:,} characters"))
        return
    letter = row.get("correct", "").strip().upper()
    texts = [row.get(f"option_{x.lower()}", "") for x in LETTERS]
    count = len(texts) - next((n for n, t in enumerate(reversed(texts)) if t.strip()), len(texts))
    problems = []
    if any(not t.strip() for t in texts[:count]):
        problems.append("an option column is empty between filled ones")
    if letter and (len(letter) != 1 or letter not in LETTERS[:count]):
        problems.append(f"correct is {letter!r}, not the letter of an option (A to {LETTERS[max(count, 1) - 1]})")
    level = row.get("level", "").strip()
    if level not in ("", "1", "2"):
        problems.append("level must be 1 (know) or 2 (understand)")
    options = [{"text": texts[n], "correct": LETTERS[n] == letter, "why": row.get(f"why_{LETTERS[n].lower()}", "")}
               for n in range(count)]
    problems = problems or structure_problems(options, row.get("stem", ""))
    if problems:
        parsed.problems.append(Problem(name, line, "; ".join(problems)))
        return
    topic = row.get("topic", "").strip()
    tags = [t.strip() for t in re.split(r"[,;]", row.get("tags", "")) if t.strip()]
    values = make_values(row["stem"], options, row.get("explanation", ""), level=int(level) if level else None,
                         tags=tags, see=row.get("see", "").strip() or None)
    parsed.questions.append(ImportedQuestion(values, name, line, idnumber=row.get("id", "").strip(), category=topic))


def guard(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + cell if _needs_guard(cell) else cell


def _needs_guard(cell: str) -> bool:
    # A formula, or a text that looks guarded already (apostrophes before a formula
    # character): reading takes one apostrophe off such a cell, so writing adds one.
    return cell.lstrip("'").startswith(FORMULA_START)


def write(specs) -> str:
    """The CSV template for QuestionSpecs (comma separated, every text cell guarded)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    most = max((len(spec.options) for spec in specs), default=4)
    extra = [f"{kind}_{letter}" for letter in "ef"[: max(0, most - 4)] for kind in ("option", "why")]
    columns = COLUMNS[:12] + extra + COLUMNS[12:]
    writer.writerow(columns)
    for spec in specs:
        row = {"id": spec.id, "topic": spec.topic, "level": str(spec.level), "stem": spec.stem,
               "explanation": spec.explanation, "tags": ", ".join(spec.tags), "see": spec.see or "",
               "correct": LETTERS[next(n for n, o in enumerate(spec.options) if o.correct)]}
        for n, option in enumerate(spec.options):
            row[f"option_{LETTERS[n].lower()}"], row[f"why_{LETTERS[n].lower()}"] = option.text, option.why
        writer.writerow([guard(row.get(column, "")) for column in columns])
    return out.getvalue()
