import random

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from studyapp.auth.forms import EmptyForm
from studyapp.domain.exams import NotEnoughQuestions
from studyapp.domain.syllabus import see_url
from studyapp.exams import services
from studyapp.exams.forms import MockAnswerForm
from studyapp.extensions import begin_write, db
from studyapp.models import Module, utcnow

bp = Blueprint("exams", __name__, url_prefix="/mock")


@bp.get("/")
@login_required
def index():
    running = services.active_exam(current_user)
    if running is not None and services.needs_auto_submit(running, utcnow()):
        running = _lock_for_auto_submit(running.id)
        if services.submit_if_expired(current_user, running, utcnow()):
            db.session.commit()
        running = None
    return render_template("exams/index.html", running=running, history=services.history(current_user),
                           readiness=services.readiness_for(current_user), form=EmptyForm(),
                           extra_time=services.has_extra_time(current_user),
                           length=current_app.config["MOCK_QUESTIONS"], minutes=current_app.config["MOCK_MINUTES"])


@bp.post("/start")
@login_required
def start():
    if not EmptyForm().validate_on_submit():
        abort(400)
    config = current_app.config
    try:
        exam = services.start_mock(current_user, utcnow(), random.Random(), config["MOCK_QUESTIONS"],
                                   config["MOCK_MINUTES"])
    except NotEnoughQuestions as error:
        flash(f"A mock cannot be drawn yet: {error}.", "error")
        return redirect(url_for("exams.index"))
    db.session.commit()
    return redirect(url_for("exams.item", exam_id=exam.id, position=1))


def _open_exam(exam_id: int, lock: bool = False):
    """The learner's exam, submitted first if its time ran out while they were away."""
    exam = services.get_exam(current_user, exam_id, lock=lock) or abort(404)
    if not lock and services.needs_auto_submit(exam, utcnow()):
        exam = _lock_for_auto_submit(exam_id)
    if services.submit_if_expired(current_user, exam, utcnow()):
        db.session.commit()
        flash("Time is up: your exam was submitted.", "info")
    return exam


def _lock_for_auto_submit(exam_id: int):
    """Re-read the exam holding the locks a POST takes, before a GET submits it.

    Several tabs may open an expired exam at once: each must wait for the write lock
    (SQLite) or the row (PostgreSQL) and then find it submitted, instead of failing with
    "database is locked" or a duplicate answer."""
    db.session.rollback()
    begin_write()  # before anything, current_user included, touches the database again
    return services.get_exam(current_user, exam_id, lock=True) or abort(404)


@bp.route("/<id:exam_id>/<id:position>", methods=["GET", "POST"])
@login_required
def item(exam_id: int, position: int):
    exam = _open_exam(exam_id, lock=request.method == "POST")
    if not exam.in_progress:
        return redirect(url_for("exams.result", exam_id=exam.id))
    if not 1 <= position <= exam.length:
        abort(404)
    item = exam.items[position - 1]
    form = MockAnswerForm()
    if form.validate_on_submit():
        try:
            services.save_answer(exam, item, form.choice.data, form.flagged.data, utcnow())
        except services.TimeUp:
            services.submit(current_user, exam, utcnow(), automatic=True)
            db.session.commit()
            flash("Time was up: that last answer was not counted.", "info")
            return redirect(url_for("exams.result", exam_id=exam.id))
        except ValueError:
            abort(400)
        target = _next_position(exam, position, form.go.data)
        if target is not None:
            exam.last_position = target
        db.session.commit()
        return redirect(_next_url(exam, position, form.go.data))
    if request.method == "POST":
        abort(400)
    version = item.question_version
    return render_template("exams/item.html", exam=exam, item=item, version=version,
                           options=[version.options[i] for i in item.option_order], form=form,
                           grid=services.grid(exam), remaining=services.clock(exam).remaining(utcnow()))


def _next_position(exam, position: int, go: str) -> int | None:
    """The question a button leads to; None for the review page."""
    if go == "review":
        return None
    target = {"next": position + 1, "previous": position - 1}.get(go)
    if target is None:
        target = int(go) if go.isascii() and go.isdigit() else position
    return min(max(target, 1), exam.length)


def _next_url(exam, position: int, go: str) -> str:
    target = _next_position(exam, position, go)
    if target is None:
        return url_for("exams.review", exam_id=exam.id)
    return url_for("exams.item", exam_id=exam.id, position=target)


@bp.post("/<id:exam_id>/<id:position>/save")
@login_required
def autosave(exam_id: int, position: int):
    """A choice or flag saved as it is made (app.js), so time-up or a menu link loses nothing."""
    exam = services.get_exam(current_user, exam_id, lock=True) or abort(404)
    if not 1 <= position <= exam.length:
        abort(404)
    form = MockAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.save_answer(exam, exam.items[position - 1], form.choice.data, form.flagged.data, utcnow())
    except services.TimeUp:
        abort(409, "Time is up: this exam takes no more answers.")
    except ValueError:
        abort(400)
    exam.last_position = position
    db.session.commit()
    return "", 204


@bp.get("/<id:exam_id>/review")
@login_required
def review(exam_id: int):
    exam = _open_exam(exam_id)
    if not exam.in_progress:
        return redirect(url_for("exams.result", exam_id=exam.id))
    return render_template("exams/review.html", exam=exam, grid=services.grid(exam), form=EmptyForm(),
                           remaining=services.clock(exam).remaining(utcnow()))


@bp.post("/<id:exam_id>/submit")
@login_required
def submit(exam_id: int):
    exam = _open_exam(exam_id, lock=True)
    if EmptyForm().validate_on_submit() and exam.in_progress:
        services.submit(current_user, exam, utcnow())
        db.session.commit()
    return redirect(url_for("exams.result", exam_id=exam.id))


@bp.get("/<id:exam_id>/result")
@login_required
def result(exam_id: int):
    exam = _open_exam(exam_id)
    if exam.in_progress:
        return redirect(url_for("exams.item", exam_id=exam.id, position=1))
    titles = dict(db.session.execute(db.select(Module.id, Module.title)).all())
    show = request.args.get("show", "all")
    if show not in RESULT_FILTERS:
        abort(400)
    items = [i for i in exam.items if RESULT_FILTERS[show](i)]
    return render_template("exams/result.html", exam=exam, score=services.result(exam), titles=titles,
                           time_used=services.time_used(exam), see_url=see_url, items=items, show=show,
                           counts={name: sum(map(keep, exam.items)) for name, keep in RESULT_FILTERS.items()},
                           form=EmptyForm())


RESULT_FILTERS = {
    "all": lambda item: True,
    "wrong": lambda item: item.chosen_shown is not None and not item.correct,
    "blank": lambda item: item.chosen_shown is None,
    "flagged": lambda item: item.flagged,
}
