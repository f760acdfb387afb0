"""Storing questions: versions, status, the audit trail, and the files <-> database sync.

Both ways in (a bank file and the trainer's editor) store content through
`store_version`, so every version gets its hash, search text and author the same way.
An import never silently overwrites a web edit: each question remembers the state it
had when last read from a file (`synced_state`), and a file that differs from a
question changed since then is reported as a conflict and skipped."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from studyapp.audit import audit
from studyapp.domain.bank import BankCheck, OptionSpec, QuestionSpec, content_hash, dump_bank
from studyapp.domain.problems import ContentError
from studyapp.domain.question_index import search_text, tags_key
from studyapp.domain.version_diff import changed_fields
from studyapp.extensions import db
from studyapp.models import Question, QuestionVersion, Status, utcnow


def version_content(version: QuestionVersion) -> dict:
    """A stored version as the plain content dict (QuestionSpec.content() has the same shape)."""
    content = {"topic": version.topic_id, "level": version.level, "stem": version.stem,
               "options": [dict(o) for o in version.options], "explanation": version.explanation,
               "see": version.see, "tags": list(version.tags)}
    if version.lint_ok:
        content["lint_ok"] = dict(version.lint_ok)
    return content


def store_version(question: Question, content: dict, *, author_id: int | None, source: str,
                  now: datetime) -> QuestionVersion | None:
    """Make `content` the question's current version; None if it is the current one already."""
    digest = content_hash(content)
    current = question.current_version
    if current is not None and current.content_hash == digest:
        return None
    version = QuestionVersion(
        question_id=question.id, version=(current.version if current else 0) + 1, content_hash=digest,
        topic_id=content["topic"], level=content["level"], stem=content["stem"], options=content["options"],
        explanation=content["explanation"], see=content["see"], tags=content["tags"],
        lint_ok=content.get("lint_ok") or {}, created_at=now,
        author_id=author_id, source=source, tags_key=tags_key(content["tags"]),
        search_text=search_text(content["stem"], content["options"], content["explanation"]))
    db.session.add(version)
    db.session.flush()
    question.current_version_id = version.id
    question.topic_id = content["topic"]
    question.updated_at, question.updated_by_id = now, author_id
    db.session.expire(question, ["current_version"])
    return version


def state_of(question: Question) -> str:
    return f"{question.current_version.content_hash}:{question.status}"


def file_state(spec: QuestionSpec) -> str:
    return f"{spec.content_hash()}:{spec.status}"


@dataclass(frozen=True)
class Conflict:
    question_id: str
    differs: list[str]

    def __str__(self) -> str:
        return (f"{self.question_id}: changed in the web since the last import, and the file differs "
                f"({', '.join(self.differs)}); skipped (export first, or use --overwrite)")


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed (new version), "
                f"{self.unchanged} unchanged, {len(self.retired)} retired, {len(self.conflicts)} conflicts")


def import_bank(check: BankCheck, *, overwrite: bool = False, retire_missing: bool = False,
                actor_id: int | None = None) -> ImportResult:
    """Store checked questions: same content changes nothing, changed content is a new version.

    A question changed in the web since the last import is skipped as a conflict unless
    `overwrite`. Questions of the imported modules that the files do not hold are
    retired only with `retire_missing` (kept with their answers, no longer offered)."""
    if not check.ok:
        raise ContentError(check.problems)
    result, now = ImportResult(), utcnow()
    # One query for every question and its current version, not two per question.
    known = {q.id: q for q in db.session.scalars(select(Question).options(selectinload(Question.current_version)))}
    for spec in check.questions:
        _import_question(spec, known.get(spec.id), result, overwrite, actor_id, now)
    if retire_missing:
        _retire_missing(check, result, actor_id, now)
    db.session.flush()
    return result


def _import_question(spec: QuestionSpec, question: Question | None, result: ImportResult, overwrite: bool,
                     actor_id: int | None, now: datetime) -> None:
    if question is None:
        question = Question(id=spec.id, topic_id=spec.topic, module_id=spec.module, status=spec.status)
        db.session.add(question)
        db.session.flush()
        result.added.append(spec.id)
    elif state_of(question) == file_state(spec):
        question.synced_state = file_state(spec)
        result.unchanged += 1
        return
    elif question.synced_state != state_of(question) and not overwrite:
        differs = changed_fields(version_content(question.current_version), spec.content())
        result.conflicts.append(Conflict(spec.id, differs + (["status"] if question.status != spec.status else [])))
        return
    else:
        if question.synced_state != state_of(question):
            audit(actor_id, "import-overwrite", "question", spec.id, replaced_version=question.current_version.version)
        result.changed.append(spec.id)
    store_version(question, spec.content(), author_id=actor_id, source="file", now=now)
    question.module_id, question.status, question.synced_state = spec.module, spec.status, file_state(spec)


def _retire_missing(check: BankCheck, result: ImportResult, actor_id: int | None, now: datetime) -> None:
    imported = {q.id for q in check.questions}
    modules = {q.module for q in check.questions}
    missing = select(Question).where(Question.module_id.in_(modules), Question.status != Status.RETIRED,
                                     Question.id.not_in(imported)).order_by(Question.id)
    for question in db.session.scalars(missing):
        question.status, question.updated_at, question.updated_by_id = Status.RETIRED, now, actor_id
        audit(actor_id, "retire-missing", "question", question.id)
        result.retired.append(question.id)


def waiting_for_topic(question_ids: list[str] | None = None, module: str | None = None) -> int:
    """How many of these questions (all when None) are drafts waiting for a topic, which no export can hold."""
    if module:
        return 0  # a question without a topic has no module either
    statement = select(func.count()).select_from(Question).where(Question.topic_id.is_(None))
    if question_ids is not None:
        statement = statement.where(Question.id.in_(question_ids))
    return db.session.scalar(statement)


def spec_of(question: Question) -> QuestionSpec:
    """The question as a bank file holds it (current version and status)."""
    v = question.current_version
    return QuestionSpec(
        id=question.id, module=question.module_id, topic=v.topic_id, level=v.level, stem=v.stem,
        options=tuple(OptionSpec(o["text"], o["correct"], o["why"]) for o in v.options),
        explanation=v.explanation, see=v.see, tags=tuple(v.tags), status=question.status,
        lint_ok=tuple((v.lint_ok or {}).items()))


def export_bank() -> dict[str, str]:
    """YAML text per module of every question with its status, web edits included.

    Drafts and retired questions are written too (with `status:`), so an export read
    back by `bank import` gives the same bank. Drafts waiting for a topic are left out:
    a bank file holds every question under its module and topic (see `waiting_for_topic`)."""
    questions = db.session.scalars(select(Question).where(Question.topic_id.is_not(None))
                                   .order_by(Question.module_id, Question.id)).all()
    by_module: dict[str, list[QuestionSpec]] = {}
    for question in questions:
        by_module.setdefault(question.module_id, []).append(spec_of(question))
    return {module: dump_bank(module, specs) for module, specs in by_module.items()}
