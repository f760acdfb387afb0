"""What every reader shares: the imported question, limits, decoding and the structural rules.

Imported questions arrive as drafts, so a missing `why` or explanation is allowed
here (publishing runs every bank rule and lists what is missing); what a draft can
never become a MoP question from is refused: fewer than two options, not exactly one
correct option, other question types."""

import re
from dataclasses import dataclass, field

from studyapp.domain.problems import Problem
from studyapp.domain.question_rules import MAX_LENGTHS, MAX_OPTIONS, MIN_OPTIONS

# A Moodle export of a whole course bank is a few megabytes; past these a file is a mistake or an attack.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_QUESTIONS = 5_000
# Bytes no text file holds: NUL and the C0 controls other than tab, newline, carriage return, form feed.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class ImportedQuestion:
    """One question read from a file: the values check_question takes, and where it came from."""

    values: dict          # stem, options [{text, correct, why}], explanation, topic, level, tags, see
    file: str
    line: int
    title: str = ""       # GIFT ::title::, XML <name>
    idnumber: str = ""    # GIFT [id:...], XML <idnumber>, CSV id
    category: str = ""    # GIFT $CATEGORY:, XML category question, CSV topic

    @property
    def identity(self) -> str:
        """How a re-import finds this question again: its id, else its name, else its stem (Moodle's default name)."""
        if self.idnumber:
            return f"id:{self.idnumber}"
        if self.title:
            return f"name:{self.title}"
        return f"stem:{' '.join(self.values['stem'].split())[:80]}"


@dataclass
class Parsed:
    questions: list[ImportedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Which content fields this format can carry; a re-import keeps the others from the current version.
    carries: frozenset[str] = frozenset()


def too_big(name: str, size: int) -> Problem | None:
    """The size cap, checked before a byte is decoded."""
    if size > MAX_FILE_BYTES:
        return Problem(name, 1, f"file is {size:,} bytes; an import file may hold at most {MAX_FILE_BYTES:,} "
                                "(split it into several files)")
    return None


def decode(name: str, raw: bytes) -> tuple[str, list[Problem]]:
    """UTF-8 text (Excel's BOM dropped, CRLF and CR made LF), or the reason it is not text."""
    problem = too_big(name, len(raw))
    if problem:
        return "", [problem]
    binary = _BINARY.search(raw[:65536])
    if binary:
        line = raw[: binary.start()].count(b"\n") + 1
        return "", [Problem(name, line, "this is a binary file, not a text file of questions")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", [Problem(name, line, f"the file is not UTF-8 (byte 0x{raw[error.start]:02x}); "
                                        "save it as UTF-8 and import it again")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def count_problem(name: str, count: int) -> Problem | None:
    if count > MAX_QUESTIONS:
        return Problem(name, 1, f"file holds {count:,} questions; an import file may hold at most {MAX_QUESTIONS:,} "
                                "(split it into several files)")
    return None


def structure_problems(options: list[dict], stem: str) -> list[str]:
    """Why these options cannot be a draft MoP question; empty when they can."""
    problems = []
    if not stem.strip():
        problems.append("the question has no text")
    if len(options) < MIN_OPTIONS:
        problems.append(f"a question needs at least {MIN_OPTIONS} options; this one has {len(options)}")
    elif len(options) > MAX_OPTIONS:
        problems.append(f"a question may have at most {MAX_OPTIONS} options; this one has {len(options)}")
    correct = sum(1 for option in options if option["correct"])
    if options and correct == 0:
        problems.append("no option is marked correct")
    elif correct > 1:
        problems.append(f"{correct} options are marked correct; exactly one must be")
    if any(not option["text"].strip() for option in options):
        problems.append("an option has no text")
    problems += _length_problems(options, stem)
    return problems


def _length_problems(options: list[dict], stem: str) -> list[str]:
    problems = []
    if len(stem) > MAX_LENGTHS["stem"]:
        problems.append(f"the question text is {len(stem):,} characters; at most {MAX_LENGTHS['stem']:,}")
    for key in ("text", "why"):
        if any(len(option[key]) > MAX_LENGTHS[key] for option in options):
            problems.append(f"an option's {key} is longer than {MAX_LENGTHS[key]:,} characters")
    return problems


def make_values(stem: str, options: list[dict], explanation: str = "", *, level: int | None = None,
                tags: list[str] | None = None, topic: str | None = None, see: str | None = None) -> dict:
    """The plain values of an imported question, whitespace trimmed as the editor trims it."""
    return {"stem": stem.strip(), "explanation": explanation.strip(), "topic": topic, "level": level,
            "see": see, "tags": list(tags or []),
            "options": [{"text": o["text"].strip(), "correct": bool(o["correct"]), "why": o.get("why", "").strip()}
                        for o in options]}


def level_and_tags(tags: list[str]) -> tuple[int | None, list[str]]:
    """Our exports carry the level as a `level-1` / `level-2` tag; split it from the real tags."""
    level = None
    rest = []
    for tag in tags:
        if tag in ("level-1", "level-2"):
            level = int(tag[-1])
        elif tag and tag not in rest:
            rest.append(tag)
    return level, rest


def export_tags(level: int, tags) -> list[str]:
    return [*tags, f"level-{level}"]
