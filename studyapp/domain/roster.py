"""A class list a trainer pastes or uploads: CSV rows of email and name.

Pure: returns the learners and every problem with its line number, so a list with any
bad row creates nothing and the trainer sees all that is wrong at once."""

import csv
import io
import re
from dataclasses import dataclass

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_ROWS = 500
MAX_NAME = 80
HEADER_WORDS = {"email", "e-mail", "mail"}


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    name: str


@dataclass(frozen=True)
class RosterProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_roster(text: str) -> tuple[list[RosterRow], list[RosterProblem]]:
    """Rows of `email,name` (a header row naming the columns is allowed, as are blank lines).

    Emails are compared without case; a repeated email is a problem on its second line."""
    rows, problems, seen = [], [], {}
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")))
    for index, fields in enumerate(reader):
        line = index + 1
        cells = [cell.strip() for cell in fields]
        if not any(cells):
            continue
        if not rows and not problems and cells[0].lower() in HEADER_WORDS:
            continue
        problem = _row_problem(cells)
        email = cells[0].lower()
        if problem is None and email in seen:
            problem = f"{email} is already on line {seen[email]}."
        if problem:
            problems.append(RosterProblem(line, problem))
            continue
        seen[email] = line
        rows.append(RosterRow(line, email, cells[1]))
    if len(rows) + len(problems) > MAX_ROWS:
        problems.append(RosterProblem(MAX_ROWS + 1, f"A list may hold at most {MAX_ROWS} learners; split it."))
    if not rows and not problems:
        problems.append(RosterProblem(1, "The list is empty: give one learner per line as email,name."))
    return rows, problems


def _row_problem(cells: list[str]) -> str | None:
    if len(cells) != 2:
        return f"expected 2 columns (email,name), found {len(cells)}."
    email, name = cells
    if len(email) > 254 or not EMAIL.match(email):
        return f"{email[:60]!r} is not an email address."
    if not name:
        return "the name is empty."
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters."
    return None
