"""Which format a file is in: named by the trainer, else its extension, else its content."""

import re
from pathlib import PurePath

from studyapp.domain.formats import aiken, csv_format, gift, moodle_xml
from studyapp.domain.formats.common import Parsed, decode
from studyapp.domain.problems import Problem

READERS = {"gift": gift.parse, "aiken": aiken.parse, "moodlexml": moodle_xml.parse, "csv": csv_format.parse}
FORMATS = (*READERS, "yaml")
_EXTENSIONS = {".gift": "gift", ".xml": "moodlexml", ".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}


def detect_format(name: str, text: str) -> str | None:
    """gift, aiken, moodlexml, csv or yaml; None when neither the extension nor the content tells."""
    by_extension = _EXTENSIONS.get(PurePath(name).suffix.lower())
    if by_extension:
        return by_extension
    head = text.lstrip()[:4096]
    if head.startswith("<"):
        return "moodlexml"
    if re.search(r"^module:", head, re.MULTILINE) and re.search(r"^questions:", text, re.MULTILINE):
        return "yaml"
    first_line = head.split("\n", 1)[0].lower()
    if "stem" in first_line and ("," in first_line or ";" in first_line):
        return "csv"
    if re.search(r"^ANSWER:", text, re.MULTILINE) and "{" not in text:
        return "aiken"
    if "{" in text:
        return "gift"
    return None


def parse_file(name: str, raw: bytes, text_format: str | None = None) -> tuple[str | None, Parsed]:
    """(format, what was read) for one uploaded file; YAML is returned unread (it needs the syllabus)."""
    text, problems = decode(name, raw)
    if problems:
        return text_format, Parsed(problems=problems)
    chosen = text_format or detect_format(name, text)
    if chosen is None:
        return None, Parsed(problems=[Problem(name, 1, "cannot tell the format: name it (GIFT, Aiken, Moodle XML, "
                                                       "CSV or YAML) or use the file extension")])
    if chosen == "yaml":
        return chosen, Parsed()
    return chosen, READERS[chosen](name, text)
