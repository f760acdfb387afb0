"""Loading the syllabus and the question bank from their files into the database."""

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from studyapp.domain.bank import BankCheck, OptionSpec, QuestionSpec, SyllabusIndex, check_bank, dump_bank, read_bank_dir
from studyapp.domain.problems import ContentError
from studyapp.domain.syllabus import Syllabus, load_syllabus, render_doc, word_count
from studyapp.domain.syllabus_check import check_syllabus
from studyapp.extensions import db
from studyapp.models import GlossaryTerm, Module, Page, Question, QuestionVersion, Topic


def syllabus_dir() -> Path:
    return Path(current_app.config["SYLLABUS_DIR"])


def bank_dir() -> Path:
    return Path(current_app.config["QUESTION_BANK_DIR"])


def read_syllabus(root: Path | None = None) -> Syllabus:
    return load_syllabus(root or syllabus_dir())


def syllabus_index(syllabus: Syllabus) -> SyllabusIndex:
    """Topic -> module, and each topic's heading anchors, for checking `topic` and `see`."""
    return SyllabusIndex(
        topic_modules={t.id: t.module_id for t in syllabus.topics},
        anchors={t.id: set(render_doc(t.body, syllabus).anchors) for t in syllabus.topics},
    )


def load_syllabus_into_db(syllabus: Syllabus) -> int:
    """Replace the stored syllabus with `syllabus` (checked first); returns topic count.

    Modules and topics are updated in place, never deleted: questions, answers and
    reading progress refer to them."""
    problems = check_syllabus(syllabus)
    if problems:
        raise ContentError(problems)
    for doc in syllabus.modules:
        _upsert(Module, doc.id, title=doc.title, weight=doc.weight, position=doc.order,
                html=render_doc(doc.body, syllabus).html)
    db.session.flush()
    for doc in syllabus.topics:
        rendered = render_doc(doc.body, syllabus)
        _upsert(Topic, doc.id, module_id=doc.module_id, slug=doc.slug, title=doc.title, position=doc.order,
                objectives=doc.objectives, html=rendered.html, toc=rendered.toc, word_count=word_count(doc.body))
    for doc in syllabus.pages:
        rendered = render_doc(doc.body, syllabus)
        _upsert(Page, doc.id, title=doc.title, html=rendered.html, toc=rendered.toc)
    db.session.flush()
    db.session.execute(delete(GlossaryTerm))
    for entry in syllabus.glossary:
        db.session.add(GlossaryTerm(term=entry.term, slug=entry.slug, definition=entry.definition, topic_id=entry.topic))
    db.session.flush()
    return len(syllabus.topics)


def _upsert(model, key: str, **values) -> None:
    row = db.session.get(model, key)
    if row is None:
        db.session.add(model(id=key, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)


def check_bank_files(files: list[tuple[str, bytes]], syllabus: Syllabus | None = None) -> BankCheck:
    return check_bank(files, syllabus_index(syllabus or read_syllabus()))


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed (new version), "
                f"{self.unchanged} unchanged, {len(self.retired)} retired")


def import_bank(check: BankCheck) -> ImportResult:
    """Store checked questions: same content changes nothing, changed content is a new version.

    Questions of the imported modules that the files no longer hold are retired
    (kept, with their answers, but no longer offered)."""
    if not check.ok:
        raise ContentError(check.problems)
    result = ImportResult()
    for spec in check.questions:
        _import_question(spec, result)
    imported_ids = {q.id for q in check.questions}
    modules = {q.module for q in check.questions}
    for question in db.session.scalars(select(Question).where(Question.module_id.in_(modules), Question.retired.is_(False))):
        if question.id not in imported_ids:
            question.retired = True
            result.retired.append(question.id)
    db.session.flush()
    return result


def _import_question(spec: QuestionSpec, result: ImportResult) -> None:
    question = db.session.get(Question, spec.id)
    digest = spec.content_hash()
    if question is None:
        question = Question(id=spec.id, topic_id=spec.topic, module_id=spec.module)
        db.session.add(question)
        db.session.flush()
        result.added.append(spec.id)
        number = 1
    elif question.current_version and question.current_version.content_hash == digest and not question.retired:
        result.unchanged += 1
        return
    else:
        result.changed.append(spec.id)
        number = (question.current_version.version if question.current_version else 0) + 1
    version = QuestionVersion(question_id=spec.id, version=number, content_hash=digest, **_version_fields(spec))
    db.session.add(version)
    db.session.flush()
    question.current_version_id = version.id
    question.topic_id, question.module_id, question.retired = spec.topic, spec.module, False


def _version_fields(spec: QuestionSpec) -> dict:
    content = spec.content()
    return {"topic_id": spec.topic, "level": spec.level, "stem": spec.stem, "options": content["options"],
            "explanation": spec.explanation, "see": spec.see, "tags": list(spec.tags)}


def export_bank() -> dict[str, str]:
    """YAML text per module of the current, unretired questions."""
    questions = db.session.scalars(
        select(Question).where(Question.retired.is_(False)).order_by(Question.module_id, Question.id)).all()
    by_module: dict[str, list[QuestionSpec]] = {}
    for question in questions:
        v = question.current_version
        options = tuple(OptionSpec(o["text"], o["correct"], o["why"]) for o in v.options)
        by_module.setdefault(question.module_id, []).append(QuestionSpec(
            id=question.id, module=question.module_id, topic=v.topic_id, level=v.level, stem=v.stem,
            options=options, explanation=v.explanation, see=v.see, tags=tuple(v.tags)))
    return {module: dump_bank(module, specs) for module, specs in by_module.items()}


def load_shipped_content() -> tuple[int, ImportResult]:
    """Load the configured syllabus and bank; raises ContentError on any problem."""
    syllabus = read_syllabus()
    topics = load_syllabus_into_db(syllabus)
    result = import_bank(check_bank_files(read_bank_dir(bank_dir()), syllabus))
    return topics, result

