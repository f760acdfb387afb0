"""Side-by-side differences between two versions of a question, word by word.

Works on the plain content dicts a version is made of (QuestionSpec.content()), so
the trainer's diff page, an import conflict report and tests all use one function."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SCALAR_FIELDS = (("topic", "Topic"), ("level", "Level"), ("stem", "Stem"))
TRAILING_FIELDS = (("explanation", "Explanation"), ("see", "Syllabus section"), ("tags", "Tags"),
                   ("lint_ok", "Accepted warnings"))
Part = tuple[str, str]  # ("same" | "del" | "ins", text)


@dataclass(frozen=True)
class FieldDiff:
    label: str
    old: str
    new: str
    old_parts: tuple[Part, ...]
    new_parts: tuple[Part, ...]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def diff_versions(old: dict, new: dict) -> list[FieldDiff]:
    """Every comparable field of two versions in reading order, each marked word by word."""
    pairs = [(label, _text(old.get(key)), _text(new.get(key))) for key, label in SCALAR_FIELDS]
    for number in range(max(len(old.get("options", [])), len(new.get("options", [])))):
        before, after = _option(old, number), _option(new, number)
        for key, label in (("text", "text"), ("correct", "correct?"), ("why", "why")):
            pairs.append((f"Option {number + 1} {label}", before[key], after[key]))
    pairs += [(label, _text(old.get(key)), _text(new.get(key))) for key, label in TRAILING_FIELDS]
    return [FieldDiff(label, a, b, *_word_parts(a, b)) for label, a, b in pairs]


def changed_fields(old: dict, new: dict) -> list[str]:
    """The labels of the fields that differ, for a one-line conflict report."""
    return [field.label for field in diff_versions(old, new) if field.changed]


def _option(content: dict, number: int) -> dict[str, str]:
    options = content.get("options", [])
    if number >= len(options):
        return {"text": "", "correct": "", "why": ""}
    option = options[number]
    return {"text": option["text"], "correct": "correct" if option.get("correct") else "", "why": option["why"]}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return "; ".join(f"{key}: {reason}" for key, reason in sorted(value.items()))
    return str(value)


def _word_parts(old: str, new: str) -> tuple[tuple[Part, ...], tuple[Part, ...]]:
    a, b = re.findall(r"\s+|\S+", old), re.findall(r"\s+|\S+", new)
    old_parts, new_parts = [], []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            old_parts.append(("same", "".join(a[i1:i2])))
            new_parts.append(("same", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_parts.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            new_parts.append(("ins", "".join(b[j1:j2])))
    return tuple(old_parts), tuple(new_parts)
