"""The trainer's bank: list, question page, editor with live preview, status, versions and diff.

Every route is for trainers and admins (one gate below); CSRFProtect guards every POST. Question ids are checked
against the id pattern before any query; the list's query string goes through a
form, so a bookmarked filter is validated like any other input."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from studyapp.analytics import services as analytics, stats
from studyapp.authoring import bank_query, services
from studyapp.authoring.forms import BankQueryForm, QuestionForm
from studyapp.content.questions import version_content
from studyapp.content.services import stored_syllabus_index, toc_entries
from studyapp.domain.question_rules import ID_PATTERN
from studyapp.domain.syllabus import see_url
from studyapp.domain.version_diff import diff_versions
from studyapp.extensions import db
from studyapp.models import Role, Status, utcnow
from studyapp.security import role_required

bp = Blueprint("authoring", __name__, url_prefix="/trainer")
LIST_ARGS = ("q", "module", "topic", "level", "status", "tag", "attention", "flag", "sort", "dir", "page")


@bp.before_request
@role_required(Role.TRAINER, Role.ADMIN, hide=True)
def _trainers_and_admins_only():
    """The one gate of this blueprint: anonymous -> login; learners -> 404, as for a page that
    does not exist, so a guessed draft id answers exactly like a missing one."""


def _list_query() -> tuple[BankQueryForm, bank_query.BankQuery]:
    form = BankQueryForm(request.args)
    grouped = services.topics_by_module()
    form.module.choices = [SelectChoice("", "any module")] + [SelectChoice(m.id, m.title) for m, _ in grouped]
    form.topic.choices = [SelectChoice("", "any topic"), SelectChoice(bank_query.NO_TOPIC, "waiting for a topic")] + [
        SelectChoice(t.id, t.title, optgroup=m.title) for m, topics in grouped for t in topics]
    if not form.validate():
        abort(400, "That filter has a value the bank does not know: " +
              "; ".join(f"{name} ({', '.join(errors)})" for name, errors in form.errors.items()))
    return form, form.to_query()


def _list_args() -> dict:
    """The list's filter, carried to a question page so previous / next stay inside it."""
    return {key: value for key, value in request.args.items() if key in LIST_ARGS and value}


@bp.get("/")
def bank():
    form, query = _list_query()
    _refresh_statistics()
    page = bank_query.find(query)
    return render_template("authoring/bank.html", form=form, page=page, query=query, args=_list_args(),
                           tags=bank_query.tags_in_use(), stats_run=stats.latest_run(), flag_names=stats.FLAG_NAMES)


def _refresh_statistics() -> None:
    """The item statistics cache, refreshed by its rule (analytics.stats) before a trainer reads it."""
    if stats.refresh_if_stale(utcnow(), current_app.config["STATS_MAX_AGE_SECONDS"]):
        db.session.commit()


def _question_or_404(question_id: str, lock: bool = False):
    if len(question_id) > 20 or not ID_PATTERN.match(question_id):
        abort(404)
    return services.get_question(question_id, lock=lock) or abort(404)


@bp.get("/questions/<question_id>")
def question(question_id: str):
    question = _question_or_404(question_id)
    _, query = _list_query()
    _refresh_statistics()
    previous, following = bank_query.neighbours(query, question.id)
    return render_template("authoring/question.html", question=question, version=question.current_version,
                           panel=analytics.question_panel(question),
                           warnings=services.lint({**version_content(question.current_version), "id": question.id}),
                           history=services.history(question.id), versions=services.versions_of(question.id),
                           previous=previous, following=following, args=_list_args(), see_url=see_url)


def _editor_form(content: dict | None = None) -> QuestionForm:
    form = QuestionForm()
    grouped = services.topics_by_module()
    form.topic.choices = [SelectChoice(t.id, t.title, optgroup=m.title) for m, topics in grouped for t in topics]
    if content is not None and content["topic"] is None:  # an imported draft waiting for a topic: no topic preselected
        form.topic.choices.insert(0, SelectChoice("", "— choose a topic —"))
    form.see.choices = [SelectChoice("", "The topic page (no section)")] + [
        SelectChoice(f"{t.id}#{anchor['id']}", f"{t.title} › {anchor['name']}", render_kw={"data-topic": t.id})
        for _, topics in grouped for t in topics for anchor in toc_entries(t.toc)]
    form.options.min_entries = max(form.options.min_entries, len((content or {}).get("options", [])))
    if content is not None and not form.is_submitted():
        form.fill(content)
    form.correct.choices = [SelectChoice(str(i), f"Option {i + 1}") for i in range(len(form.options))]
    return form


def _validated_content(form: QuestionForm, question_id: str | None, accepted: dict | None = None) -> dict | None:
    """The form's content if every field and every bank rule passes; else None, errors on the form.

    `accepted` are the lint warnings a reviewer acknowledged on the version being edited; they stay."""
    valid = form.validate()
    content = {**form.content(), **({"lint_ok": accepted} if accepted else {})}
    problems = services.check({**content, "id": question_id or "NEW-001"}, question_id)
    form.show_problems(problems)
    return content if valid and not problems else None


@bp.route("/questions/new", methods=["GET", "POST"])
def new():
    form = _editor_form()
    if not form.is_submitted():
        topic = request.args.get("topic", "")
        form.topic.data = topic if topic in {choice.value for choice in form.topic.choices} else None
        module = stored_syllabus_index().topic_modules.get(form.topic.data or "", "overview")
        form.reserved_id.data = services.next_id(module)
    elif request.form.get("action") != "preview":
        earlier = services.earlier_save(form.reserved_id.data, form.content(), current_user)
        if earlier is not None:
            return redirect(url_for("authoring.question", question_id=earlier.id))
        content = _validated_content(form, None)
        if content is not None:
            question = services.create_question(content, current_user, utcnow(), form.reserved_id.data)
            db.session.commit()
            flash(f"Saved {question.id} as a draft. Preview it, then publish it when it is ready.", "success")
            return redirect(url_for("authoring.question", question_id=question.id))
    return _editor(form, None)


@bp.route("/questions/<question_id>/edit", methods=["GET", "POST"])
def edit(question_id: str):
    question = _question_or_404(question_id, lock=request.method == "POST")
    form = _editor_form(version_content(question.current_version))
    if not form.is_submitted():
        form.base_version.data = str(question.current_version.version)
    elif request.form.get("action") != "preview":
        accepted = version_content(question.current_version).get("lint_ok")
        content = _validated_content(form, question.id, accepted)
        if content is not None:
            try:
                version = services.save_question(question, content, _base_version(form), current_user, utcnow())
            except services.EditConflict as conflict:
                form.stem.errors = [*form.stem.errors, f"Someone saved version {conflict.current.version} since you "
                                    "opened this editor; compare it with yours before saving again."]
                return _editor(form, question, status=409)
            db.session.commit()
            flash(f"Saved version {version.version}." if version else "Nothing had changed.", "success")
            return redirect(url_for("authoring.question", question_id=question.id))
    return _editor(form, question)


def _base_version(form: QuestionForm) -> int:
    value = form.base_version.data or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 9 else -1


def _editor(form: QuestionForm, question, status: int = 200):
    preview = _preview_context(form) if form.is_submitted() else None
    warnings = services.lint(form.content()) if form.is_submitted() else []
    form.show_warnings(warnings)
    return render_template("authoring/edit.html", form=form, question=question, preview=preview,
                           warnings=warnings), status


def _preview_context(form: QuestionForm) -> dict:
    """The learner's view of the form's content, before and after answering (a wrong answer if there is one)."""
    content = form.content()
    options = content["options"]
    correct = next((i for i, o in enumerate(options) if o["correct"]), None)
    chosen = next((i for i in range(len(options)) if i != correct), 0)
    return {"stem": content["stem"], "options": options, "chosen_shown": chosen, "correct": chosen == correct,
            "explanation": content["explanation"], "see_url": see_url(content["see"] or content["topic"] or "")}


@bp.post("/preview")
def preview():
    """The live preview's fragment: the same learner partials, from the editor's unsaved fields."""
    form = _editor_form()
    form.validate()
    return render_template("authoring/_preview.html", preview=_preview_context(form),
                           warnings=services.lint(form.content()))


@bp.post("/questions/<question_id>/duplicate")
def duplicate(question_id: str):
    question = _question_or_404(question_id)
    copy = services.duplicate_question(question, current_user, utcnow())
    db.session.commit()
    flash(f"{copy.id} is a draft copy of {question.id}: change what it asks before publishing.", "success")
    return redirect(url_for("authoring.edit", question_id=copy.id))


@bp.post("/questions/<question_id>/status")
def change_status(question_id: str):
    question = _question_or_404(question_id, lock=True)
    wanted = request.form.get("status", "")
    if wanted not in {s.value for s in Status}:
        abort(400, "Unknown status.")
    problems = services.set_status(question, Status(wanted), current_user, utcnow())
    if problems:
        db.session.rollback()
        flash("Not published: " + "; ".join(p.message for p in problems), "error")
    else:
        db.session.commit()
        flash(f"{question.id} is now {wanted}.", "success")
    return redirect(url_for("authoring.question", question_id=question.id))


@bp.post("/questions/<question_id>/versions/<int:number>/restore")
def restore(question_id: str, number: int):
    question = _question_or_404(question_id, lock=True)
    if number > 100_000:
        abort(404)
    version = services.restore_version(question, number, current_user, utcnow())
    if version is None and services.version_of(question.id, number) is None:
        abort(404)
    db.session.commit()
    flash(f"Restored version {number} as version {version.version}." if version else
          f"Version {number} is already the current content.", "success")
    return redirect(url_for("authoring.question", question_id=question.id))


@bp.get("/questions/<question_id>/diff")
def diff(question_id: str):
    question = _question_or_404(question_id)
    numbers = [request.args.get(key, "") for key in ("a", "b")]
    if not all(n.isascii() and n.isdigit() and len(n) < 7 for n in numbers):
        abort(400, "Name two versions to compare, as ?a=1&b=2.")
    old, new = (services.version_of(question.id, int(n)) for n in numbers)
    if old is None or new is None:
        abort(404)
    return render_template("authoring/diff.html", question=question, old=old, new=new,
                           fields=diff_versions(version_content(old), version_content(new)))
