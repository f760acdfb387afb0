"""Trainer pages. For now: the bank as loaded, with versions; authoring comes later."""

from flask import Blueprint, abort, render_template
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Answer, Question, QuestionVersion, Role
from studyapp.security import role_required

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


@bp.get("/")
@role_required(Role.TRAINER, Role.ADMIN)
def bank():
    answers = dict(db.session.execute(select(Answer.question_id, func.count()).group_by(Answer.question_id)).all())
    questions = db.session.scalars(select(Question).order_by(Question.module_id, Question.id)).all()
    return render_template("trainer/bank.html", questions=questions, answers=answers)


@bp.get("/questions/<question_id>")
@role_required(Role.TRAINER, Role.ADMIN)
def question(question_id: str):
    question = db.session.get(Question, question_id) or abort(404)
    versions = db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question_id)
                                  .order_by(QuestionVersion.version.desc())).all()
    return render_template("trainer/question.html", question=question, versions=versions)
