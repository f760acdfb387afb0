from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user, login_required

from studyapp.analytics.services import my_reports
from studyapp.domain.readiness import daily_plan
from studyapp.domain.report import mastery_chart, rank_weak_topics
from studyapp.extensions import db
from studyapp.local_time import learner_zone
from studyapp.models import learner_groups, nearest_exam_date, utcnow
from studyapp.practice.services import open_session
from studyapp.reader.services import module_progress
from studyapp.report import services
from studyapp.standings import readiness_for

bp = Blueprint("report", __name__)


@bp.get("/dashboard")
@login_required
def dashboard():
    now = utcnow()
    zone = learner_zone(current_user.time_zone, request.cookies.get("tz"))
    standings = services.standings(current_user.id)
    outlook = services.review_outlook(current_user.id, now, zone)
    weak = rank_weak_topics(standings, 3)
    my_groups = learner_groups(db.session, current_user.id)
    exam_date = current_user.exam_date or nearest_exam_date(my_groups, now.date())
    plan = None
    if exam_date:
        plan = daily_plan(now.astimezone(zone).date(), exam_date, outlook.due_now, outlook.new_questions,
                          [s.topic_title for s in weak if s.enough_data], due_by_date=outlook.days.due_by_date,
                          budget=current_user.daily_budget, done_today=outlook.answered_today)
    progress = module_progress(current_user.id)
    answered = {p.module.id: p.answered for p in progress}
    return render_template("report/dashboard.html", now=now, outlook=outlook, weak=weak, plan=plan, zone=zone,
                           readiness=readiness_for(current_user, standings, answered), progress=progress,
                           problem_reports=my_reports(current_user.id), my_groups=my_groups,
                           open_session=open_session(current_user))


@bp.get("/report")
@login_required
def report():
    now = utcnow()
    standings = services.standings(current_user.id)
    rows, height = mastery_chart(standings)
    return render_template("report/report.html", standings=standings, weak=rank_weak_topics(standings, 5),
                           chart_rows=rows, chart_height=height, trend=services.trend(current_user.id, now),
                           band_limit=current_app.config["MASTERY_BAND_LIMIT"])


@bp.get("/report/answers.csv")
@login_required
def answers_csv():
    return Response(services.answers_csv(current_user.id), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=studyapp-answers.csv"})
