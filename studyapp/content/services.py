"""Loading the syllabus and the question bank from their files into the database."""

import hashlib
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from studyapp.content.questions import ImportResult, import_bank
from studyapp.domain.bank import BankCheck, SyllabusIndex, check_bank, read_bank_dir
from studyapp.domain.problems import ContentError
from studyapp.domain.syllabus import Syllabus, load_syllabus, render_doc, word_count
from studyapp.domain.syllabus_check import check_syllabus
from studyapp.extensions import db
from studyapp.models import ContentState, GlossaryTerm, Module, Page, Topic, utcnow


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


def stored_syllabus_index() -> SyllabusIndex:
    """The index as stored (topics, modules, every heading anchor in the table of contents),
    without reading or rendering the syllabus files."""
    topics = db.session.execute(select(Topic.id, Topic.module_id, Topic.toc)).all()
    return SyllabusIndex(topic_modules={t.id: t.module_id for t in topics},
                         anchors={t.id: {entry["id"] for entry in toc_entries(t.toc)} for t in topics})


def toc_entries(toc: list[dict]):
    """Every heading of a stored table of contents (h2 and h3), in page order."""
    for entry in toc:
        yield entry
        yield from entry["children"]


def folder_digest(folder: Path, pattern: str = "**/*") -> str:
    """SHA-256 over every file's relative path and bytes: equal digests, equal content."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.glob(pattern) if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _loaded(name: str, digest: str) -> bool:
    state = db.session.get(ContentState, name)
    return state is not None and state.digest == digest


def _remember(name: str, digest: str) -> None:
    state = db.session.get(ContentState, name) or ContentState(name=name)
    state.digest, state.loaded_at = digest, utcnow()
    db.session.add(state)


def load_shipped_content(force: bool = False) -> tuple[int | None, ImportResult | None]:
    """Load the configured syllabus and bank, skipping either when its files are as last loaded.

    Returns (topics loaded, import result), None for a part skipped. Raises ContentError on
    any problem. Never overwrites a web edit and never retires anything: conflicts are in
    the result, and a bank with conflicts is read again at the next start so they stay in view."""
    syllabus_digest = folder_digest(syllabus_dir())
    bank_digest = hashlib.sha256((syllabus_digest + folder_digest(bank_dir(), "*.yaml")).encode()).hexdigest()
    topics = syllabus = result = None
    if force or not _loaded("syllabus", syllabus_digest):
        syllabus = read_syllabus()
        topics = load_syllabus_into_db(syllabus)
        _remember("syllabus", syllabus_digest)
    if force or not _loaded("bank", bank_digest):
        index = syllabus_index(syllabus) if syllabus else stored_syllabus_index()
        result = import_bank(check_bank(read_bank_dir(bank_dir()), index))
        if not result.conflicts:
            _remember("bank", bank_digest)
    return topics, result

