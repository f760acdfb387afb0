"""Reading and checking question-bank YAML files (format in docs/authoring.md).

Every problem is reported as `file:line: message`, all at once; a bank with any
problem yields no questions, so a bad file imports nothing."""

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from studyapp.domain.item_lint import LintWarning, lint_bank, lint_question
from studyapp.domain.problems import Problem
from studyapp.domain.question_rules import (
    ID_PATTERN, MAX_LENGTHS, SyllabusIndex, check_question, duplicate_stem_message, near_duplicate_pairs,
)
from studyapp.domain.safe_yaml import LOADER, plain_yaml_problem

__all__ = ["ID_PATTERN", "BankCheck", "OptionSpec", "QuestionSpec", "SyllabusIndex", "check_bank", "content_hash",
           "dump_bank", "lint_warnings", "parse_bank_file", "read_bank_dir"]

REQUIRED_FIELDS = ("id", "topic", "level", "stem", "options", "explanation")
OPTIONAL_FIELDS = ("see", "tags", "status", "lint_ok")
OPTION_FIELDS = ("text", "correct", "why")
# The largest shipped file is about 100 kB; a bank file past this is a mistake or an attack.
MAX_FILE_BYTES = 2 * 1024 * 1024
# No scalar may be longer than the longest field allows (an explanation).
MAX_SCALAR = max(MAX_LENGTHS.values())
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
    # draft, published or retired: the question's, not the version's, so not in content().
    status: str = "published"
    # Acknowledged lint warnings, (code, reason): stored with the version, in content() only when present.
    lint_ok: tuple[tuple[str, str], ...] = ()
    file: str = ""
    line: int = 0
    # (field path, line) of the fields a lint warning can name, so a warning points at its line.
    field_lines: tuple[tuple[str, int], ...] = ()

    def content(self) -> dict:
        """What a version is made of: everything but identity and location."""
        content = {
            "topic": self.topic, "level": self.level, "stem": self.stem,
            "options": [asdict(o) for o in self.options], "explanation": self.explanation,
            "see": self.see, "tags": list(self.tags),
        }
        # Only when present, so questions without acknowledgements keep the hashes they always had.
        if self.lint_ok:
            content["lint_ok"] = dict(self.lint_ok)
        return content

    def values(self) -> dict:
        """The plain values `check_question` and `item_lint` take, as the editor has them."""
        return {"id": self.id, **self.content(), "status": self.status, "lint_ok": dict(self.lint_ok)}

    def line_of(self, field: str) -> int:
        """The line of `field` ("options.2.text"), else of the question."""
        return dict(self.field_lines).get(field, self.line)

    def content_hash(self) -> str:
        return content_hash(self.content())


def content_hash(content: dict) -> str:
    """Identity of a version's content: equal content, equal hash, wherever it came from."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    problems += _duplicate_ids(questions) + _duplicate_stems(questions)
    return BankCheck(questions=[] if problems else questions, problems=sorted(problems))


def read_bank_dir(folder: Path) -> list[tuple[str, bytes]]:
    return [(str(path), path.read_bytes()) for path in sorted(folder.glob("*.yaml"))]


def parse_bank_file(name: str, raw: bytes, index: SyllabusIndex) -> tuple[list[QuestionSpec], list[Problem]]:
    """One file: size, encoding, tabs, YAML syntax and aliases, unsafe tags, then every field."""
    if len(raw) > MAX_FILE_BYTES:
        return [], [Problem(name, 1, f"file is {len(raw):,} bytes; a bank file may hold at most "
                                     f"{MAX_FILE_BYTES:,} (split the module into several files)")]
    text, problems = _decode(name, raw)
    if problems:
        return [], problems
    try:
        unsafe = plain_yaml_problem(text)
        if unsafe:
            return [], [Problem(name, *unsafe)]
        root = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        return [], [Problem(name, line, f"YAML syntax error: {error.problem or error}")]
    problems = _unsafe_tags(name, root) + _duplicate_keys(name, root) + _oversized_scalars(name, root)
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


def _oversized_scalars(name: str, root: Node | None) -> list[Problem]:
    return [Problem(name, _line(node), f"value is {len(node.value):,} characters; no field may hold more than {MAX_SCALAR:,}")
            for node in _walk(root) if isinstance(node, ScalarNode) and len(node.value) > MAX_SCALAR]


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
    """Validate one question mapping; return it with no problems, or None with reasons.

    The structure (a mapping, known fields) is checked here; the rules themselves
    are `question_rules.check_question`, the same the trainer's editor runs."""
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
    problems += _option_structure_problems(name, fields.get("options"), label)
    if problems:
        return None, problems
    values = {key: _value(value) for key, value in fields.items()}
    problems = [Problem(name, _field_line(fields, p.field, line), f"{label}: {p.message}")
                for p in check_question(values, index, module)]
    if problems:
        return None, problems
    options = tuple(OptionSpec(o["text"].strip(), o.get("correct", False), o["why"].strip()) for o in values["options"])
    paths = ["stem", "options", "lint_ok"] + [f"options.{n}.text" for n in range(len(options))]
    return QuestionSpec(
        id=values["id"], module=module, topic=values["topic"], level=values["level"],
        stem=values["stem"].strip(), options=options, explanation=values["explanation"].strip(),
        see=values.get("see"), tags=tuple(values.get("tags") or ()), status=values.get("status", "published"),
        lint_ok=tuple((code, reason.strip()) for code, reason in (values.get("lint_ok") or {}).items()),
        file=name, line=line, field_lines=tuple((p, _field_line(fields, p, line)) for p in paths),
    ), []


def _option_structure_problems(name: str, node: Node | None, label: str) -> list[Problem]:
    """Options that are not mappings, or carry unknown fields: things only a file can get wrong."""
    if not isinstance(node, SequenceNode):
        return []
    problems = []
    for option_node in node.value:
        if isinstance(option_node, MappingNode):
            problems += [Problem(name, _line(key), f"{label}: unknown option field {key.value!r}")
                         for key, _ in option_node.value if key.value not in OPTION_FIELDS]
    return problems


def _field_line(fields: dict[str, Node], path: str, default: int) -> int:
    """The line of the node a problem's field path ("options.2.why") names, as deep as it exists."""
    node: Node | None = None
    parts = path.split(".")
    current = fields
    for part in parts:
        if isinstance(current, dict) and part in current:
            node = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            node = current[int(part)]
        else:
            break
        current = _fields(node) if isinstance(node, MappingNode) else node.value if isinstance(node, SequenceNode) else None
    return _line(node) if node is not None else default


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


def _duplicate_stems(questions: list[QuestionSpec]) -> list[Problem]:
    """The same check the editor runs: a stem nearly repeating an earlier one is a problem."""
    by_id = {q.id: q for q in questions}
    pairs = near_duplicate_pairs([(q.id, q.stem) for q in questions])
    return [Problem(by_id[later].file, by_id[later].line, f"question {later}: {duplicate_stem_message(first, ratio)}")
            for first, later, ratio in pairs if first != later]  # a repeated id is reported already


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
        if q.status != "published":
            item["status"] = q.status
        if q.lint_ok:
            item["lint_ok"] = dict(q.lint_ok)
        items.append(item)
    return yaml.safe_dump({"module": module, "questions": items}, sort_keys=False, allow_unicode=True, width=100)


def lint_warnings(questions: list[QuestionSpec]) -> list[Problem]:
    """Item-writing warnings for checked questions, as `file:line: warning [code]: ...` at the field's line.

    Not part of `check_bank`: warnings never stop an import, and the bank-wide
    comparisons are only worth their time when an author asks (`bank check`)."""
    by_id = {q.id: q for q in questions}
    found = [(q.id, w) for q in questions for w in lint_question(q.values())]
    found += lint_bank([q.values() for q in questions])
    return sorted(_warning_problem(by_id[question_id], warning) for question_id, warning in found)


def _warning_problem(question: QuestionSpec, warning: LintWarning) -> Problem:
    return Problem(question.file, question.line_of(warning.field),
                   f"warning [{warning.code}]: question {question.id}: {warning.message}")
