import random

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from studyapp.domain.practice import KINDS, NothingToPractise
from studyapp.domain.syllabus import see_url
from studyapp.extensions import db
from studyapp.models import Topic, utcnow
from studyapp.practice import services
from studyapp.practice.forms import AnswerForm, StartForm
from studyapp.reader.services import modules
from studyapp.report.services import weak_topic_ids

bp = Blueprint("practice", __name__, url_prefix="/practice")

EMPTY_MESSAGES = {
    "due": "Nothing is due for review right now. Well done: try new questions instead.",
    "mistakes": "You have no mistakes to revisit yet.",
    "weak": "There are no weak topics yet: answer a few questions first.",
    "mock": "That mock has no wrong answers to practise.",
}


@bp.get("/")
@login_required
def choose():
    form = StartForm()
    counts = services.choice_counts(current_user, utcnow(), tuple(weak_topic_ids(current_user.id)))
    _fill_scope_choices(form, counts)
    return render_template("practice/choose.html", form=form, kinds=KINDS, counts=counts,
                           open_session=services.open_session(current_user))


def _fill_scope_choices(form: StartForm, counts: dict[str, int] | None = None) -> None:
    all_modules = modules()
    held = (lambda key: f" ({counts.get(key, 0)})") if counts is not None else (lambda key: "")
    form.module.choices = [SelectChoice(m.id, m.title + held(m.id)) for m in all_modules]
    form.topic.choices = [SelectChoice(t.id, f"{m.title}: {t.title}{held(t.id)}") for m in all_modules for t in m.topics]


@bp.post("/start")
@login_required
def start():
    form = StartForm()
    _fill_scope_choices(form)
    if not form.validate_on_submit():
        abort(400)
    kind = form.kind.data
    scope = form.scope.data or {"module": form.module.data, "topic": form.topic.data}.get(kind)
    if kind in ("module", "topic") and not _valid_scope(kind, scope):
        abort(400)
    questions = _mock_mistakes(scope) if kind == "mock" else ()
    size = current_app.config["PRACTICE_SESSION_SIZE"]
    try:
        session = services.start_session(
            current_user, kind, scope, now=utcnow(), rng=random.Random(), size=max(size, len(questions)),
            weak_topics=tuple(weak_topic_ids(current_user.id)) if kind == "weak" else (), questions=questions)
    except NothingToPractise:
        flash(EMPTY_MESSAGES.get(kind, "There are no questions for that choice yet."), "info")
        return redirect(url_for("practice.choose"))
    db.session.commit()
    return redirect(url_for("practice.item", session_id=session.id, position=1))


def _mock_mistakes(scope: str | None) -> tuple[str, ...]:
    """The wrong answers of the learner's own mock named by `scope`; another's looks empty."""
    if not scope or not scope.isascii() or not scope.isdigit() or len(scope) > 9:
        abort(400)
    return services.mock_mistakes(current_user, int(scope))


def _valid_scope(kind: str, scope: str | None) -> bool:
    if not scope:
        return False
    return any(m.id == scope for m in modules()) if kind == "module" else db.session.get(Topic, scope) is not None


@bp.route("/<id:session_id>/<id:position>", methods=["GET", "POST"])
@login_required
def item(session_id: int, position: int):
    now = utcnow()
    answering_on = now.date() if request.method == "POST" else None
    item = services.find_item(current_user, session_id, position, answering_on) or abort(404)
    posted = None
    if request.method == "POST" and item.answer is None:
        # The form is built for a submit only: the page writes its few inputs itself,
        # which costs a fraction of rendering WTForms widgets on every question shown.
        posted = AnswerForm(request.form)
        posted.choice.choices = [SelectChoice(shown, str(shown + 1)) for shown in range(len(item.option_order))]
        if posted.validate():
            submission = services.Submission(posted.question_id.data, posted.choice.data, posted.guessed.data,
                                             posted.elapsed_ms.data)
            try:
                services.record_answer(current_user, item, submission, now)
            except services.NotInSession:
                abort(400, "That question is not part of this practice session.")
            db.session.commit()
            return redirect(url_for("practice.item", session_id=session_id, position=position))
        if not posted.errors:
            abort(400)
    return render_template("practice/item.html", item=item, options=item.shown_options, answer=item.answer,
                           see_url=see_url(item.see or item.topic_id),
                           choice_errors=posted.choice.errors if posted else [],
                           guessed=bool(posted and posted.guessed.data))


@bp.get("/<id:session_id>/summary")
@login_required
def summary(session_id: int):
    session = services.get_session(current_user, session_id) or abort(404)
    summary = services.summarize(session)
    missed = [db.session.get(Topic, t) for t in summary.topics_missed]
    return render_template("practice/summary.html", session=session, summary=summary,
                           missed_topics=missed)
