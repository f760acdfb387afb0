"""Loading the syllabus and the question bank from their files into the database."""

from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from studyapp.content.questions import ImportResult, import_bank
from studyapp.domain.bank import BankCheck, SyllabusIndex, check_bank, read_bank_dir
from studyapp.domain.problems import ContentError
from studyapp.domain.syllabus import Syllabus, load_syllabus, render_doc, word_count
from studyapp.domain.syllabus_check import check_syllabus
from studyapp.extensions import db
from studyapp.models import GlossaryTerm, Module, Page, Topic


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


def load_shipped_content() -> tuple[int, ImportResult]:
    """Load the configured syllabus and bank; raises ContentError on any problem.

    Never overwrites a web edit and never retires anything: conflicts are in the result."""
    syllabus = read_syllabus()
    topics = load_syllabus_into_db(syllabus)
    result = import_bank(check_bank_files(read_bank_dir(bank_dir()), syllabus))
    return topics, result

