"""Importing question files trainers already have, and exporting the bank in their formats.

An import is planned first (what would be created, updated, left unchanged, or
refused and why) and applied only when asked: the preview page and the command line
share the plan. Atomic by default: a plan with any refused question applies nothing;
`skip_bad` applies the good ones and lists the others. New questions arrive as drafts;
one whose category (or tag) maps to no topic arrives as a draft waiting for a topic
(topic None), which publishing refuses until a trainer gives it one.
A re-import finds its question again by our id, else by the file's own identity
(`Question.source_ref`), and never silently overwrites a web edit (see questions.py)."""

import io
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import select

from studyapp.audit import audit
from studyapp.authoring.services import check, get_question, next_id
from studyapp.content.services import stored_syllabus_index
from studyapp.content.questions import spec_of, state_of, store_version, version_content
from studyapp.domain.bank import dump_bank
from studyapp.domain.formats import ImportedQuestion, aiken, anki, csv_format, gift, moodle_xml, parse_file
from studyapp.domain.formats.mapping import category_keys, resolve_topic
from studyapp.domain.problems import Problem
from studyapp.domain.question_rules import ID_PATTERN, SyllabusIndex, check_question
from studyapp.domain.version_diff import changed_fields
from studyapp.extensions import db
from studyapp.models import Question, Status, utcnow


WRITERS = {"gift": gift.write, "aiken": aiken.write, "moodlexml": moodle_xml.write, "csv": csv_format.write}


@dataclass
class PlannedQuestion:
    imported: ImportedQuestion
    action: str                 # create, update, unchanged, conflict
    content: dict
    question_id: str | None     # None: a new id is given when it is created
    differs: list[str] = field(default_factory=list)

    @property
    def waiting_for_topic(self) -> bool:
        return self.content["topic"] is None


@dataclass
class ImportPlan:
    items: list[PlannedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)   # categories (or tags) no topic is known for
    formats: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(item.action == action for item in self.items)

    def summary(self) -> str:
        waiting = sum(item.waiting_for_topic and item.action in ("create", "update") for item in self.items)
        return (f"{self.count('create')} new (as drafts), " + (f"{waiting} waiting for a topic, " if waiting else "") +
                f"{self.count('update')} updated, "
                f"{self.count('unchanged')} unchanged, {self.count('conflict')} conflicts, {len(self.problems)} refused")


def plan_import(files: list[tuple[str, bytes]], mapping: dict[str, str] | None = None, text_format: str | None = None,
                overwrite: bool = False) -> ImportPlan:
    """Read every file and decide, question by question, what an import would do; changes nothing."""
    plan, index, seen = ImportPlan(), stored_syllabus_index(), {}
    for name, raw in files:
        fmt, parsed = parse_file(name, raw, text_format)
        plan.formats.append(fmt or "unknown")
        if fmt == "yaml":
            plan.problems.append(Problem(name, 1, "YAML banks are imported with `studyapp bank import` (they keep "
                                                  "their ids and status); this page reads GIFT, Aiken, Moodle XML and CSV"))
        plan.problems += parsed.problems
        for imported in parsed.questions:
            _plan_question(plan, imported, parsed.carries, mapping or {}, index, seen, overwrite)
    plan.problems.sort()
    return plan


def _plan_question(plan: ImportPlan, imported: ImportedQuestion, carries: frozenset[str], mapping: dict,
                   index: SyllabusIndex, seen: dict, overwrite: bool) -> None:
    where = (imported.file, imported.line)
    if imported.identity in seen:
        first = seen[imported.identity]
        plan.problems.append(Problem(*where, f"the same question ({imported.identity}) appears twice "
                                             f"(first at {first[0]}:{first[1]})"))
        return
    seen[imported.identity] = where
    existing = _existing(imported)
    topic = resolve_topic(imported, mapping, index) or (existing.current_version.topic_id if existing else None)
    if topic is None:  # a draft waiting for a topic; the preview offers its category for mapping
        plan.unmapped += [k for k in category_keys(imported)[:1] if k not in plan.unmapped]
    content = _content(imported, carries, topic, existing)
    problems = _draft_problems(content, index)
    if problems:
        plan.problems.append(Problem(*where, "; ".join(problems)))
        return
    plan.items.append(_decide(imported, content, existing, overwrite))


def _existing(imported: ImportedQuestion) -> Question | None:
    if ID_PATTERN.match(imported.idnumber):
        found = get_question(imported.idnumber)
        if found is not None:
            return found
    return db.session.scalar(select(Question).where(Question.source_ref == imported.identity[:200]))


def _content(imported: ImportedQuestion, carries: frozenset[str], topic: str | None, existing: Question | None) -> dict:
    """The version the file describes; what its format cannot hold (Aiken's whys, GIFT's `see`) kept from the current one."""
    values = imported.values
    current = version_content(existing.current_version) if existing else None
    options = [dict(o) for o in values["options"]]
    if "why" not in carries and current and [o["text"] for o in current["options"]] == [o["text"] for o in options]:
        options = [{**o, "why": old["why"]} for o, old in zip(options, current["options"])]
    kept = lambda key, default: values[key] if key in carries else (current[key] if current else default)  # noqa: E731
    content = {"topic": topic, "level": values.get("level") or (current["level"] if current else 1),
               "stem": values["stem"], "options": options, "explanation": kept("explanation", ""),
               "see": kept("see", None), "tags": kept("tags", [])}
    if current and current.get("lint_ok"):  # accepted lint warnings stay with the question, as in the editor
        content["lint_ok"] = current["lint_ok"]
    return content


def _draft_problems(content: dict, index: SyllabusIndex) -> list[str]:
    """The bank rules a draft must already meet: all but a missing why, explanation or topic (publishing asks for those)."""
    problems = check_question({**content, "id": "IMP-001"}, index)
    return [p.message for p in problems
            if not (p.field == "explanation" and not content["explanation"])
            and not (p.field.endswith(".why") and "empty" in p.message)
            and not (p.field in ("topic", "see") and content["topic"] is None)]


def _decide(imported: ImportedQuestion, content: dict, existing: Question | None, overwrite: bool) -> PlannedQuestion:
    if existing is None:
        wanted = imported.idnumber if ID_PATTERN.match(imported.idnumber) else None
        return PlannedQuestion(imported, "create", content, wanted)
    current = version_content(existing.current_version)
    if current == content:
        return PlannedQuestion(imported, "unchanged", content, existing.id)
    differs = changed_fields(current, content)
    if existing.synced_state != state_of(existing) and not overwrite:
        return PlannedQuestion(imported, "conflict", content, existing.id, differs)
    return PlannedQuestion(imported, "update", content, existing.id, differs)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)   # published questions whose new content fails a rule
    waiting: list[str] = field(default_factory=list)       # new or updated drafts without a topic
    skipped: list[Problem] = field(default_factory=list)


def apply_plan(plan: ImportPlan, actor_id: int | None, skip_bad: bool = False) -> ImportReport:
    """Store the planned creations and updates; nothing at all if the plan has a problem and not `skip_bad`."""
    report = ImportReport(skipped=list(plan.problems))
    if plan.problems and not skip_bad:
        return report
    now, modules = utcnow(), stored_syllabus_index().topic_modules
    for item in plan.items:
        if item.action == "create":
            report.created.append(_create(item, actor_id, now, modules.get(item.content["topic"])))
        elif item.action == "update":
            _update(item, actor_id, now, modules.get(item.content["topic"]), report)
        if item.waiting_for_topic and item.action in ("create", "update"):
            report.waiting.append((report.created if item.action == "create" else report.updated)[-1])
    db.session.flush()
    return report


def _create(item: PlannedQuestion, actor_id: int | None, now, module: str | None) -> str:
    """A new draft; one waiting for a topic has no module either, so its id gets the prefix NEW-."""
    question_id = (item.question_id if item.question_id and get_question(item.question_id) is None
                   else next_id(module or "new"))
    identity = item.imported.identity
    question = Question(id=question_id, topic_id=item.content["topic"], module_id=module, status=Status.DRAFT,
                        updated_at=now, updated_by_id=actor_id,
                        source_ref=None if identity == f"id:{question_id}" else identity[:200])
    db.session.add(question)
    db.session.flush()
    store_version(question, item.content, author_id=actor_id, source="file", now=now)
    question.synced_state = state_of(question)
    audit(actor_id, "import", "question", question_id, file=item.imported.file, line=item.imported.line)
    return question_id


def _update(item: PlannedQuestion, actor_id: int | None, now, module: str | None, report: ImportReport) -> None:
    question = get_question(item.question_id, lock=True)
    version = store_version(question, item.content, author_id=actor_id, source="file", now=now)
    question.module_id = module
    if question.status == Status.PUBLISHED and check({**item.content, "id": question.id}, question.id):
        question.status = Status.DRAFT
        report.unpublished.append(question.id)
    question.synced_state = state_of(question)
    audit(actor_id, "import-update", "question", question.id, version=version.version, file=item.imported.file)
    report.updated.append(question.id)


# --- export ---------------------------------------------------------------------------------------

EXPORTS = {  # format: (file extension, media type)
    "gift": ("gift", "text/plain; charset=utf-8"), "aiken": ("txt", "text/plain; charset=utf-8"),
    "moodlexml": ("xml", "application/xml"), "csv": ("csv", "text/csv; charset=utf-8"),
    "yaml": ("zip", "application/zip"), "apkg": ("apkg", "application/octet-stream"),
}


def specs_for(question_ids: list[str] | None = None, module: str | None = None) -> list:
    """QuestionSpecs of the given questions (all when None), in the given order (else by module and id).

    Drafts waiting for a topic are left out (no format holds a question without one; count them with
    `questions.waiting_for_topic`)."""
    statement = select(Question).where(Question.topic_id.is_not(None))
    if module:
        statement = statement.where(Question.module_id == module)
    if question_ids is None:
        return [spec_of(q) for q in db.session.scalars(statement.order_by(Question.module_id, Question.id))]
    found = {q.id: q for q in db.session.scalars(statement.where(Question.id.in_(question_ids)))}
    return [spec_of(found[i]) for i in question_ids if i in found]


def export_bytes(fmt: str, specs: list) -> bytes:
    """One file of `specs` in `fmt` (YAML: a zip of one file per module, the bank's own layout)."""
    if fmt == "apkg":
        return anki.write(specs)
    if fmt == "yaml":
        return _yaml_zip(specs)
    return WRITERS[fmt](specs).encode("utf-8")


def _yaml_zip(specs: list) -> bytes:
    by_module: dict[str, list] = {}
    for spec in specs:
        by_module.setdefault(spec.module, []).append(spec)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for module, items in by_module.items():
            archive.writestr(f"{module}.yaml", dump_bank(module, items))
    return buffer.getvalue()
