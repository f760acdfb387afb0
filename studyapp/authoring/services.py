"""The trainer's question bank: finding, checking, saving, publishing and restoring questions.

Checks are the bank files' own (`domain.question_rules.check_question` plus the
near-duplicate stem rule), run against the syllabus as stored in the database.
Every change is a new version or a status change, each with its author, and leaves
an audit entry; answers keep pointing at the version they answered."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from studyapp.audit import audit
from studyapp.content.questions import store_version, version_content
from studyapp.content.services import stored_syllabus_index
from studyapp.domain.question_rules import (
    ID_PATTERN, FieldProblem, check_question, duplicate_stem_message, similar_stems,
)
from studyapp.domain.item_lint import LintWarning, lint_question
from studyapp.extensions import db
from studyapp.models import AuditEntry, Module, Question, QuestionVersion, Status, Topic, User

PREFIXES = {"overview": "OVW", "principles": "PRI", "definition": "DEF", "delivery": "DEL",
            "roles": "ROL", "documents": "DOC", "implementation": "IMP"}


class EditConflict(Exception):
    """The question gained a version since the editor was opened; saving would overwrite it."""

    def __init__(self, current: QuestionVersion):
        self.current = current
        super().__init__(f"version {current.version} was saved since you opened the editor")


def topics_by_module() -> list[tuple[Module, list[Topic]]]:
    modules = db.session.scalars(select(Module).order_by(Module.position)).all()
    return [(module, list(module.topics)) for module in modules]


def check(values: dict, question_id: str | None) -> list[FieldProblem]:
    """Every problem `bank check` would report for these values, plus near-duplicate stems."""
    problems = check_question(values, stored_syllabus_index())
    stem = values.get("stem")
    if isinstance(stem, str) and stem.strip():
        others = db.session.execute(
            select(Question.id, QuestionVersion.stem).join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.id != (question_id or ""), Question.status != Status.RETIRED)).all()
        problems += [FieldProblem("stem", duplicate_stem_message(other, ratio))
                     for other, ratio in similar_stems(stem, others)]
    return problems


def lint(values: dict) -> list[LintWarning]:
    """The item-writing warnings `bank check` prints for one question (they warn; they never block a save)."""
    return lint_question({**values, "id": values.get("id") or "NEW-001"})


def get_question(question_id: str, lock: bool = False) -> Question | None:
    statement = select(Question).where(Question.id == question_id)
    if lock:
        statement = statement.with_for_update()
    return db.session.scalar(statement)


def next_id(module_id: str) -> str:
    """The next free id of a module's prefix (PRI-386 after PRI-385)."""
    prefix = PREFIXES.get(module_id, re.sub(r"[^A-Z]", "", module_id.upper())[:3].ljust(3, "X"))
    ids = db.session.scalars(select(Question.id).where(Question.id.startswith(f"{prefix}-"))).all()
    numbers = [int(i.split("-", 1)[1]) for i in ids if i.split("-", 1)[1].isdigit()]
    return f"{prefix}-{max(numbers, default=0) + 1:03d}"


def earlier_save(reserved_id: str | None, content: dict, author: User) -> Question | None:
    """The question a double-clicked "save" already made: the editor's reserved id, same author, same content."""
    if not reserved_id or not ID_PATTERN.match(reserved_id):
        return None
    existing = get_question(reserved_id)
    if existing is not None and existing.updated_by_id == author.id and version_content(existing.current_version) == content:
        return existing
    return None


def create_question(content: dict, author: User, now: datetime, reserved_id: str | None = None) -> Question:
    """A new draft under the id the editor reserved, or the next free one if that was taken meanwhile.

    Only a copy of a draft waiting for a topic has none (no module either); its id gets the prefix NEW-."""
    module_id = db.session.get(Topic, content["topic"]).module_id if content["topic"] else None
    question_id = reserved_id if reserved_id and ID_PATTERN.match(reserved_id) else next_id(module_id or "new")
    if not question_id.startswith(PREFIXES.get(module_id, "")) or get_question(question_id) is not None:
        question_id = next_id(module_id or "new")
    question = Question(id=question_id, topic_id=content["topic"], module_id=module_id, status=Status.DRAFT,
                        updated_at=now, updated_by_id=author.id)
    db.session.add(question)
    try:
        db.session.flush()
    except IntegrityError:  # the same save arrived twice at once (PostgreSQL): the first one won
        db.session.rollback()
        return get_question(question_id)
    store_version(question, content, author_id=author.id, source="web", now=now)
    audit(author.id, "create", "question", question.id, version=1)
    return question


def save_question(question: Question, content: dict, base_version: int, author: User, now: datetime) -> QuestionVersion | None:
    """A new version of a locked question; None if nothing changed (a double-clicked save).

    Refuses with EditConflict when someone saved a newer version since the editor opened."""
    current = question.current_version
    if version_content(current) == content:
        return None
    if current.version != base_version:
        raise EditConflict(current)
    version = store_version(question, content, author_id=author.id, source="web", now=now)
    question.module_id = db.session.get(Topic, content["topic"]).module_id
    audit(author.id, "edit", "question", question.id, version=version.version)
    return version


def duplicate_question(question: Question, author: User, now: datetime) -> Question:
    """A draft copy of the current version under the next free id (its stem must then change)."""
    return create_question(version_content(question.current_version), author, now)


def set_status(question: Question, status: Status, author: User, now: datetime) -> list[FieldProblem]:
    """Publish, retire or return to draft; publishing re-runs every check first."""
    if status == Status.PUBLISHED:
        problems = check({**version_content(question.current_version), "id": question.id}, question.id)
        if problems:
            return problems
    if question.status != status:
        audit(author.id, {"published": "publish", "retired": "retire", "draft": "unpublish"}[status],
              "question", question.id, version=question.current_version.version)
        question.status, question.updated_at, question.updated_by_id = status, now, author.id
    return []


def restore_version(question: Question, number: int, author: User, now: datetime) -> QuestionVersion | None:
    """Make an older version's content current again, as a new version (history is never rewritten)."""
    old = db.session.scalar(select(QuestionVersion).where(QuestionVersion.question_id == question.id,
                                                          QuestionVersion.version == number))
    if old is None:
        return None
    version = store_version(question, version_content(old), author_id=author.id, source="restore", now=now)
    if version is not None:
        audit(author.id, "restore", "question", question.id, version=version.version, restored=number)
    return version


def versions_of(question_id: str) -> list[QuestionVersion]:
    return list(db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question_id)
                                   .order_by(QuestionVersion.version.desc())))


def version_of(question_id: str, number: int) -> QuestionVersion | None:
    return db.session.scalar(select(QuestionVersion).where(QuestionVersion.question_id == question_id,
                                                           QuestionVersion.version == number))


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str


def history(question_id: str) -> list[HistoryEntry]:
    """Versions and status changes, newest first, each with who and when."""
    entries = [HistoryEntry(v.created_at, v.author.display_name if v.author else "bank file",
                            f"version {v.version} ({_SOURCES.get(v.source, v.source)})") for v in versions_of(question_id)]
    events = db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "question",
                                                         AuditEntry.target_id == question_id,
                                                         AuditEntry.action.not_in(("create", "edit", "restore"))))
    entries += [HistoryEntry(e.at, e.actor.display_name if e.actor else "command line", _ACTIONS.get(e.action, e.action))
                for e in events]
    return sorted(entries, key=lambda e: e.at, reverse=True)


_SOURCES = {"file": "from a bank file", "web": "edited in the browser", "restore": "restored"}
_ACTIONS = {"publish": "published", "retire": "retired", "unpublish": "returned to draft",
            "retire-missing": "retired by an import (absent from the file)",
            "import-overwrite": "overwritten by an import (--overwrite)"}
