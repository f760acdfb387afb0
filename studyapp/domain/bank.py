"""Reading and checking question-bank YAML files (format in docs/authoring.md).

Every problem is reported as `file:line: message`, all at once; a bank with any
problem yields no questions, so a bad file imports nothing."""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from studyapp.domain.problems import Problem

ID_PATTERN = re.compile(r"^[A-Z]{2,5}-\d{3,}$")
REQUIRED_FIELDS = ("id", "topic", "level", "stem", "options", "explanation")
OPTIONAL_FIELDS = ("see", "tags")
OPTION_FIELDS = ("text", "correct", "why")
_SAFE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


@dataclass(frozen=True)
class OptionSpec:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class QuestionSpec:
    id: str
    module: str
    topic: str
    level: int
    stem: str
    options: tuple[OptionSpec, ...]
    explanation: str
    see: str | None = None
    tags: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def content(self) -> dict:
        """What a version is made of: everything but identity and location."""
        return {
            "topic": self.topic, "level": self.level, "stem": self.stem,
            "options": [asdict(o) for o in self.options], "explanation": self.explanation,
            "see": self.see, "tags": list(self.tags),
        }

    def content_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class SyllabusIndex:
    """What the bank checker needs to know of the syllabus."""

    topic_modules: dict[str, str]
    anchors: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class BankCheck:
    questions: list[QuestionSpec]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_bank(files: list[tuple[str, bytes]], index: SyllabusIndex) -> BankCheck:
    """Parse and validate (name, raw bytes) files together; questions only if all is well."""
    questions, problems = [], []
    for name, raw in files:
        file_questions, file_problems = parse_bank_file(name, raw, index)
        questions += file_questions
        problems += file_problems
    problems += _duplicate_ids(questions)
    return BankCheck(questions=[] if problems else questions, problems=sorted(problems))


def read_bank_dir(folder: Path) -> list[tuple[str, bytes]]:
    return [(str(path), path.read_bytes()) for path in sorted(folder.glob("*.yaml"))]


def parse_bank_file(name: str, raw: bytes, index: SyllabusIndex) -> tuple[list[QuestionSpec], list[Problem]]:
    """One file: encoding, tabs, YAML syntax, unsafe tags, then every field of every question."""
    text, problems = _decode(name, raw)
    if problems:
        return [], problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        return [], [Problem(name, line, f"YAML syntax error: {error.problem or error}")]
    problems = _unsafe_tags(name, root) + _duplicate_keys(name, root)
    if problems:
        return [], problems
    return _parse_root(name, root, index)


def _decode(name: str, raw: bytes) -> tuple[str, list[Problem]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", [Problem(name, line, f"not valid UTF-8: byte 0x{raw[error.start]:02x} (save the file as UTF-8)")]
    tab_lines = [n for n, line in enumerate(text.splitlines(), 1) if "\t" in line]
    return text, [Problem(name, n, "tab character: indent with spaces") for n in tab_lines]


def _walk(node: Node | None):
    if node is None:
        return
    yield node
    if isinstance(node, SequenceNode):
        for child in node.value:
            yield from _walk(child)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _walk(key)
            yield from _walk(value)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _unsafe_tags(name: str, root: Node | None) -> list[Problem]:
    return [
        Problem(name, _line(node), f"unsafe or unknown YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')}")
        for node in _walk(root) if node.tag not in _SAFE_TAGS
    ]


def _duplicate_keys(name: str, root: Node | None) -> list[Problem]:
    problems = []
    for node in _walk(root):
        if isinstance(node, MappingNode):
            seen = set()
            for key, _ in node.value:
                if isinstance(key, ScalarNode) and key.value in seen:
                    problems.append(Problem(name, _line(key), f"key {key.value!r} appears twice"))
                seen.add(getattr(key, "value", None))
    return problems


def _value(node: Node):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _fields(node: MappingNode) -> dict[str, Node]:
    return {key.value: value for key, value in node.value}


def _parse_root(name: str, root: Node | None, index: SyllabusIndex) -> tuple[list[QuestionSpec], list[Problem]]:
    if not isinstance(root, MappingNode):
        return [], [Problem(name, 1, "a bank file is a mapping with 'module' and 'questions'")]
    top = _fields(root)
    module = _value(top["module"]) if "module" in top else None
    problems = []
    if module not in set(index.topic_modules.values()):
        problems.append(Problem(name, _line(top.get("module", root)), f"unknown module {module!r}"))
    questions_node = top.get("questions")
    if not isinstance(questions_node, SequenceNode) or not questions_node.value:
        return [], problems + [Problem(name, _line(questions_node or root), "'questions' must be a non-empty list")]
    questions = []
    for node in questions_node.value:
        question, question_problems = parse_question(name, node, str(module), index)
        problems += question_problems
        if question:
            questions.append(question)
    return questions, problems


def parse_question(name: str, node: Node, module: str, index: SyllabusIndex) -> tuple[QuestionSpec | None, list[Problem]]:
    """Validate one question mapping; return it with no problems, or None with reasons."""
    if not isinstance(node, MappingNode):
        return None, [Problem(name, _line(node), "each question must be a mapping")]
    fields = _fields(node)
    line = _line(node)
    label = f"question {_value(fields['id'])}" if "id" in fields else "question"
    problems = [Problem(name, line, f"{label}: missing field {f!r}") for f in REQUIRED_FIELDS if f not in fields]
    problems += [
        Problem(name, _line(fields[f]), f"{label}: unknown field {f!r}")
        for f in fields if f not in REQUIRED_FIELDS + OPTIONAL_FIELDS
    ]
    if problems:
        return None, problems
    values = {key: _value(value) for key, value in fields.items()}
    problems += _field_problems(name, fields, values, label, module, index)
    options, option_problems = _parse_options(name, fields["options"], label)
    problems += option_problems
    if problems:
        return None, problems
    return QuestionSpec(
        id=values["id"], module=module, topic=values["topic"], level=values["level"],
        stem=values["stem"].strip(), options=options, explanation=values["explanation"].strip(),
        see=values.get("see"), tags=tuple(values.get("tags") or ()), file=name, line=line,
    ), []


def _field_problems(name, fields, values, label, module, index) -> list[Problem]:
    problems = []

    def bad(key, message):
        problems.append(Problem(name, _line(fields[key]), f"{label}: {message}"))

    if not (isinstance(values["id"], str) and ID_PATTERN.match(values["id"])):
        bad("id", f"id {values['id']!r} must look like ABC-001")
    topic = values["topic"]
    if topic not in index.topic_modules:
        bad("topic", f"unknown topic {topic!r}")
    elif index.topic_modules[topic] != module:
        bad("topic", f"topic {topic!r} belongs to module {index.topic_modules[topic]!r}, not {module!r}")
    if values["level"] not in (1, 2) or isinstance(values["level"], bool):
        bad("level", "level must be 1 (know) or 2 (understand)")
    for key in ("stem", "explanation"):
        if not (isinstance(values[key], str) and values[key].strip()):
            bad(key, f"{key} must be non-empty text")
    if "see" in values and values["see"] is not None:
        message = _see_problem(values["see"], index)
        if message:
            bad("see", message)
    tags = values.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        bad("tags", "tags must be a list of words")
    return problems


def _see_problem(see, index: SyllabusIndex) -> str | None:
    if not isinstance(see, str):
        return "see must be text like module.topic#anchor"
    topic, _, anchor = see.partition("#")
    if topic not in index.topic_modules:
        return f"see points to unknown topic {topic!r}"
    if anchor and anchor not in index.anchors.get(topic, set()):
        return f"see points to #{anchor}, which is not a heading of {topic!r}"
    return None


def _parse_options(name: str, node: Node, label: str) -> tuple[tuple[OptionSpec, ...], list[Problem]]:
    if not isinstance(node, SequenceNode) or not 2 <= len(node.value) <= 6:
        return (), [Problem(name, _line(node), f"{label}: options must be a list of 2 to 6 options")]
    options, problems = [], []
    for option_node in node.value:
        option, option_problems = _parse_option(name, option_node, label)
        problems += option_problems
        if option:
            options.append(option)
    if problems:
        return (), problems
    correct = sum(o.correct for o in options)
    if correct != 1:
        what = "no option is" if correct == 0 else f"{correct} options are"
        problems.append(Problem(name, _line(node), f"{label}: {what} marked correct; exactly one must be"))
    texts = [o.text.casefold() for o in options]
    if len(set(texts)) != len(texts):
        problems.append(Problem(name, _line(node), f"{label}: two options have the same text"))
    return tuple(options), problems


def _parse_option(name: str, node: Node, label: str) -> tuple[OptionSpec | None, list[Problem]]:
    if not isinstance(node, MappingNode):
        return None, [Problem(name, _line(node), f"{label}: each option is a mapping with text and why")]
    fields = _fields(node)
    values = {key: _value(value) for key, value in fields.items()}
    problems = [Problem(name, _line(fields[k]), f"{label}: unknown option field {k!r}") for k in fields if k not in OPTION_FIELDS]
    for key, what in (("text", "text"), ("why", "rationale (why)")):
        if not (isinstance(values.get(key), str) and values[key].strip()):
            problems.append(Problem(name, _line(fields.get(key, node)), f"{label}: option has an empty {what}"))
    if not isinstance(values.get("correct", False), bool):
        problems.append(Problem(name, _line(fields["correct"]), f"{label}: correct must be true or false"))
    if problems:
        return None, problems
    return OptionSpec(values["text"].strip(), values.get("correct", False), values["why"].strip()), []


def _duplicate_ids(questions: list[QuestionSpec]) -> list[Problem]:
    first: dict[str, QuestionSpec] = {}
    problems = []
    for question in questions:
        if question.id in first:
            other = first[question.id]
            problems.append(Problem(question.file, question.line, f"duplicate id {question.id} (first used at {other.file}:{other.line})"))
        else:
            first[question.id] = question
    return problems


def dump_bank(module: str, questions: list[QuestionSpec]) -> str:
    """YAML for one module in the shipped format (the inverse of parse_bank_file)."""
    items = []
    for q in questions:
        item = {"id": q.id, "topic": q.topic, "level": q.level, "stem": q.stem, "options": []}
        for option in q.options:
            entry = {"text": option.text}
            if option.correct:
                entry["correct"] = True
            entry["why"] = option.why
            item["options"].append(entry)
        item["explanation"] = q.explanation
        if q.see:
            item["see"] = q.see
        item["tags"] = list(q.tags)
        items.append(item)
    return yaml.safe_dump({"module": module, "questions": items}, sort_keys=False, allow_unicode=True, width=100)
