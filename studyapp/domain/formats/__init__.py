"""Question files trainers already have: GIFT, Aiken, Moodle XML and CSV in; those and Anki out.

Every reader is a pure function `parse(name, text) -> Parsed`: the questions it could
read, as the plain values `question_rules.check_question` takes plus their outside
identity (title, idnumber, category), and every problem as file:line: message.
Writers take `bank.QuestionSpec`s and return text (or bytes for Anki)."""

from studyapp.domain.formats.common import (
    MAX_FILE_BYTES, MAX_QUESTIONS, ImportedQuestion, Parsed, decode, too_big,
)
from studyapp.domain.formats.detect import FORMATS, detect_format, parse_file

__all__ = ["FORMATS", "MAX_FILE_BYTES", "MAX_QUESTIONS", "ImportedQuestion", "Parsed", "decode", "detect_format",
           "parse_file", "too_big"]
