"""Learners report problems with questions; trainers read the queue, resolve reports and regrade keys.

The learner's POST names its own practice item or submitted mock item (kind + id);
anything else is the same 404. The trainer's routes sit under /trainer with the same
role gate as the workspace. Regrading commits once for the correction and once per learner."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from studyapp.analytics import regrade, services
from studyapp.analytics.forms import RegradeForm, ReportForm, ResolveForm
from studyapp.domain.question_rules import ID_PATTERN
from studyapp.extensions import db
from studyapp.models import Question, QuestionVersion, Role, utcnow
from studyapp.security import role_required

bp = Blueprint("analytics", __name__)
TRAINERS = (Role.TRAINER, Role.ADMIN)  # hide=True: the trainer's area answers 404 to learners


@bp.post("/report-problem")
@login_required
def report_problem():
    form = ReportForm()
    if not form.validate_on_submit():
        abort(400, "; ".join(e for errors in form.errors.values() for e in errors))
    target = services.reportable(current_user, form.kind.data, form.item.data) or abort(404)
    back = _back_to(target)
    try:
        services.file_report(current_user, target.version, form.reason.data, form.text.data or "", utcnow(),
                             current_app.config["REPORTS_PER_HOUR"])
    except services.AlreadyReported:
        flash("You have already reported this question; a trainer will look at it.", "info")
        return redirect(back)
    except services.Throttled:
        flash("You have sent many reports in the last hour: please try again later.", "error")
        return redirect(back)
    db.session.commit()
    flash("Thank you: a trainer will look at this question. Your dashboard will say what happened.", "success")
    return redirect(back)


def _back_to(target: services.Reportable) -> str:
    owner, position = target.place
    if target.kind == "practice":
        return url_for("practice.item", session_id=owner, position=position)
    return url_for("exams.result", exam_id=owner, _anchor=f"q{position}")


@bp.get("/trainer/reports")
@role_required(*TRAINERS, hide=True)
def queue():
    return render_template("analytics/queue.html", groups=services.queue(), form=ResolveForm())


def _question_or_404(question_id: str) -> Question:
    if len(question_id) > 20 or not ID_PATTERN.match(question_id):
        abort(404)
    return db.session.scalar(db.select(Question).where(Question.id == question_id).with_for_update()) or abort(404)


@bp.post("/trainer/reports/<question_id>/resolve")
@role_required(*TRAINERS, hide=True)
def resolve(question_id: str):
    question = _question_or_404(question_id)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash("Not resolved: " + "; ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("analytics.queue"))
    try:
        closed = services.resolve(question, form.action.data, (form.note.data or "").strip(), current_user, utcnow())
    except services.NotFixedYet:
        flash(f"{question.id} has no version newer than the one reported: edit it first, or dismiss.", "error")
        return redirect(url_for("analytics.queue"))
    db.session.commit()
    flash(f"{closed} report{'s' if closed != 1 else ''} on {question.id} {form.action.data}.", "success")
    return redirect(url_for("analytics.queue"))


@bp.post("/trainer/questions/<question_id>/regrade")
@role_required(*TRAINERS, hide=True)
def regrade_key(question_id: str):
    question = _question_or_404(question_id)
    form = RegradeForm()
    if not form.validate_on_submit():
        abort(400, "Name the version and the option that is right.")
    version = db.session.scalar(db.select(QuestionVersion).where(QuestionVersion.question_id == question.id,
                                                                 QuestionVersion.version == form.version.data))
    if version is None:
        abort(404)
    try:
        correction = regrade.correct_key(question, version, form.right.data, current_user, utcnow())
    except regrade.NothingToRegrade:
        flash(f"Option {regrade.LETTERS[form.right.data]} is already the key of version {version.version}.", "error")
        return redirect(url_for("authoring.question", question_id=question.id))
    learners = regrade.learners_to_regrade(version.id)
    db.session.commit()
    changed = 0
    for user_id in learners:
        changed += regrade.regrade_learner(correction, user_id, utcnow()).answers_changed
        db.session.commit()   # one transaction per learner: a failure keeps those done, a re-run finishes
    flash(f"Regraded version {version.version}: option {regrade.LETTERS[form.right.data]} is right; "
          f"{changed} answer{'s' if changed != 1 else ''} rescored.", "success")
    return redirect(url_for("authoring.question", question_id=question.id))


@bp.app_context_processor
def _report_reasons() -> dict:
    """The reasons a learner can give, for the report form and the pages that list reports (a constant)."""
    return {"report_reasons": services.REASONS}
