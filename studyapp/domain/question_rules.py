"""The rules every question meets, whether it comes from a bank file or the trainer's editor.

One code path: `bank.parse_question` turns YAML nodes into plain values and calls
`check_question`; the web form does the same with its fields. Each problem names
the field it belongs to ("stem", "options.2.why"), so a file reports the line of
that field and a form shows the message beside it."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ID_PATTERN = re.compile(r"^[A-Z]{2,5}-\d{3,}$")
STATUSES = ("draft", "published", "retired")
MIN_OPTIONS, MAX_OPTIONS = 2, 6
# Bounds that keep one question a page, not a book (a 50 MB explanation is refused).
MAX_LENGTHS = {"stem": 4000, "explanation": 8000, "text": 1000, "why": 2000, "see": 200, "tag": 40}
MAX_TAGS = 12


@dataclass
class SyllabusIndex:
    """What the question checks need to know of the syllabus."""

    topic_modules: dict[str, str]
    anchors: dict[str, set[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


def check_question(values: Mapping, index: SyllabusIndex, module: str | None = None) -> list[FieldProblem]:
    """Every problem with one question's plain values (id, topic, level, stem, options, ...).

    `module` is the module the file says the question belongs to; the editor leaves
    it out because there the module follows from the topic."""
    problems = _identity_problems(values, index, module)
    problems += _text_problems(values)
    problems += _see_and_tag_problems(values, index)
    problems += check_options(values.get("options"))
    problems += _acknowledgement_problems(values)
    return problems


def _acknowledgement_problems(values: Mapping) -> list[FieldProblem]:
    # item_lint builds on this module (FieldProblem, similar_stems), so it is imported on use.
    from studyapp.domain.item_lint import acknowledgement_problems

    return acknowledgement_problems(values.get("lint_ok"))


def _identity_problems(values: Mapping, index: SyllabusIndex, module: str | None) -> list[FieldProblem]:
    problems = []
    question_id = values.get("id")
    if not (isinstance(question_id, str) and ID_PATTERN.match(question_id)):
        problems.append(FieldProblem("id", f"id {question_id!r} must look like ABC-001"))
    topic = values.get("topic")
    if topic not in index.topic_modules:
        problems.append(FieldProblem("topic", f"unknown topic {topic!r}"))
    elif module is not None and index.topic_modules[topic] != module:
        problems.append(FieldProblem("topic", f"topic {topic!r} belongs to module {index.topic_modules[topic]!r}, not {module!r}"))
    level = values.get("level")
    if level not in (1, 2) or isinstance(level, bool):
        problems.append(FieldProblem("level", "level must be 1 (know) or 2 (understand)"))
    status = values.get("status", "published")
    if status not in STATUSES:
        problems.append(FieldProblem("status", f"status must be one of {', '.join(STATUSES)}"))
    return problems


def _text_problems(values: Mapping) -> list[FieldProblem]:
    problems = []
    for key in ("stem", "explanation"):
        text = values.get(key)
        if not (isinstance(text, str) and text.strip()):
            problems.append(FieldProblem(key, f"{key} must be non-empty text"))
        elif len(text) > MAX_LENGTHS[key]:
            problems.append(FieldProblem(key, f"{key} is {len(text):,} characters; keep it under {MAX_LENGTHS[key]:,}"))
    return problems


def _see_and_tag_problems(values: Mapping, index: SyllabusIndex) -> list[FieldProblem]:
    problems = []
    see = values.get("see")
    if see is not None:
        message = see_problem(see, index)
        if message:
            problems.append(FieldProblem("see", message))
    tags = values.get("tags")
    if tags is not None:
        if not (isinstance(tags, (list, tuple)) and all(isinstance(t, str) and t.strip() for t in tags)):
            problems.append(FieldProblem("tags", "tags must be a list of words"))
        elif len(tags) > MAX_TAGS or any(len(t) > MAX_LENGTHS["tag"] for t in tags):
            problems.append(FieldProblem("tags", f"at most {MAX_TAGS} tags of up to {MAX_LENGTHS['tag']} characters"))
    return problems


def see_problem(see, index: SyllabusIndex) -> str | None:
    """Why a `see` link (module.topic#anchor) does not point at a syllabus section, or None."""
    if not isinstance(see, str) or len(see) > MAX_LENGTHS["see"]:
        return "see must be text like module.topic#anchor"
    topic, _, anchor = see.partition("#")
    if topic not in index.topic_modules:
        return f"see points to unknown topic {topic!r}"
    if anchor and anchor not in index.anchors.get(topic, set()):
        return f"see points to #{anchor}, which is not a heading of {topic!r}"
    return None


def check_options(options) -> list[FieldProblem]:
    """Two to six options, each with text and why, exactly one correct, no two alike."""
    if not isinstance(options, (list, tuple)) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        return [FieldProblem("options", f"options must be a list of {MIN_OPTIONS} to {MAX_OPTIONS} options")]
    problems = []
    for number, option in enumerate(options):
        problems += _option_problems(number, option)
    if not all(isinstance(o, Mapping) for o in options):
        return problems
    correct = sum(o.get("correct") is True for o in options)
    if correct != 1:
        what = "no option is" if correct == 0 else f"{correct} options are"
        problems.append(FieldProblem("options", f"{what} marked correct; exactly one must be"))
    texts = [o["text"].strip().casefold() for o in options if isinstance(o.get("text"), str) and o["text"].strip()]
    if len(set(texts)) != len(texts):
        problems.append(FieldProblem("options", "two options have the same text"))
    return problems


def _option_problems(number: int, option) -> list[FieldProblem]:
    if not isinstance(option, Mapping):
        return [FieldProblem(f"options.{number}", "each option is a mapping with text and why")]
    problems = []
    for key, what in (("text", "text"), ("why", "rationale (why)")):
        value = option.get(key)
        if not (isinstance(value, str) and value.strip()):
            problems.append(FieldProblem(f"options.{number}.{key}", f"option has an empty {what}"))
        elif len(value) > MAX_LENGTHS[key]:
            problems.append(FieldProblem(f"options.{number}.{key}", f"option {what} is too long (over {MAX_LENGTHS[key]:,} characters)"))
    if not isinstance(option.get("correct", False), bool):
        problems.append(FieldProblem(f"options.{number}.correct", "correct must be true or false"))
    return problems


# --- near-duplicate stems --------------------------------------------------------------

# Measured on the shipped bank: unrelated stems that share a template ("Which of the
# following is NOT one of ...") stay below 0.7; a reworded copy of one question scored 0.77.
SIMILAR_STEMS = 0.75


def stem_words(stem: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", stem.lower())


def similar_stems(stem: str, others: Iterable[tuple[str, str]], threshold: float = SIMILAR_STEMS) -> list[tuple[str, float]]:
    """(id, likeness) of each other stem whose word sequence is at least `threshold` alike."""
    return _similar_words(stem_words(stem), ((other_id, stem_words(other)) for other_id, other in others), threshold)


def _similar_words(words: list[str], others: Iterable[tuple[str, list[str]]], threshold: float) -> list[tuple[str, float]]:
    import difflib

    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(words)
    found = []
    for other_id, other_words in others:
        matcher.set_seq1(other_words)
        # The two cheap upper bounds rule out nearly every pair before the real ratio.
        if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
            ratio = matcher.ratio()
            if ratio >= threshold:
                found.append((other_id, round(ratio, 2)))
    return found


def near_duplicate_pairs(items: list[tuple[str, str]], threshold: float = SIMILAR_STEMS) -> list[tuple[str, str, float]]:
    """(first id, later id, likeness) for each pair of near-duplicate stems, in list order.

    Each stem is split into words once; the pairs then compare word lists."""
    words = [(item_id, stem_words(stem)) for item_id, stem in items]
    pairs = []
    for position, (later_id, later_words) in enumerate(words):
        pairs += [(first_id, later_id, ratio) for first_id, ratio in _similar_words(later_words, words[:position], threshold)]
    return pairs


def duplicate_stem_message(other_id: str, ratio: float) -> str:
    return (f"stem nearly repeats {other_id}'s ({ratio:.0%} alike): a mock could ask the same thing twice; "
            "test a different fact or reword it")
