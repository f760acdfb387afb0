"""A trainer's groups: create, invite, add a class list, manage members, the group report.

Trainers and admins only (the gate in `_trainer_group`); another trainer's group id is
the same 404 as a missing one. The learner's side (joining, leaving, privacy, setting a
password from a link) is in learner_routes.py, on the same blueprint."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from studyapp.domain.report import mastery_chart, rank_weak_topics
from studyapp.auth.forms import EmptyForm
from studyapp.extensions import db
from studyapp.groups import onboarding, report as group_report, services
from studyapp.groups.forms import ExtraTimeForm, GroupForm, InviteForm, ReportQueryForm, RosterForm
from studyapp.models import Role, Topic, utcnow
from studyapp.security import role_required
from studyapp.standings import readiness_for, standings, trend

bp = Blueprint("groups", __name__)
TRAINERS = (Role.TRAINER, Role.ADMIN)


def _trainer_group(group_id: int, live: bool = False):
    group = services.get_group(current_user, group_id)
    if group is None or (live and group.archived_at is not None):
        abort(404)
    return group


@bp.get("/groups/")
@role_required(*TRAINERS)
def index():
    return render_template("groups/index.html", groups=services.visible_groups(current_user),
                           archived=services.visible_groups(current_user, archived=True))


@bp.route("/groups/new", methods=["GET", "POST"])
@role_required(*TRAINERS)
def new():
    form = GroupForm()
    if form.validate_on_submit():
        group = services.create_group(current_user, form.name.data, form.exam_date.data, form.default_extra_time.data)
        db.session.commit()
        flash(f"Group “{group.name}” created. Hand out its join link or code.", "success")
        return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/edit.html", form=form, group=None)


@bp.get("/groups/<id:group_id>")
@role_required(*TRAINERS)
def show(group_id):
    group = _trainer_group(group_id)
    code = services.join_code(group)
    return render_template("groups/show.html", group=group, members=services.members(group), code=code,
                           display_code=services.display_code(code) if code else None,
                           form=GroupForm(obj=group), extra_form=ExtraTimeForm(),
                           awaiting_password=onboarding.awaiting_password)


@bp.route("/groups/<id:group_id>/edit", methods=["GET", "POST"])
@role_required(*TRAINERS)
def edit(group_id):
    group = _trainer_group(group_id, live=True)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        services.update_group(current_user, group, form.name.data, form.exam_date.data, form.default_extra_time.data)
        db.session.commit()
        flash("Group saved.", "success")
        return redirect(url_for("groups.show", group_id=group.id))
    return render_template("groups/edit.html", form=form, group=group)


@bp.post("/groups/<id:group_id>/archive")
@role_required(*TRAINERS)
def archive(group_id):
    group = _trainer_group(group_id, live=True)
    if EmptyForm().validate_on_submit():
        services.archive_group(current_user, group, utcnow())
        db.session.commit()
        flash(f"“{group.name}” is archived: its link no longer works and its report is closed.", "info")
    return redirect(url_for("groups.index"))


@bp.post("/groups/<id:group_id>/invite")
@role_required(*TRAINERS)
def invite(group_id):
    group = _trainer_group(group_id, live=True)
    form = InviteForm()
    if not form.validate_on_submit():
        abort(400, "Choose to renew the join link or turn it off.")
    if form.action.data == "renew":
        services.renew_invite(current_user, group, utcnow())
        flash("A new join link and code are ready; the old ones no longer work.", "success")
    else:
        services.disable_invite(current_user, group, utcnow())
        flash("The join link is off: nobody can join until you make a new one.", "info")
    db.session.commit()
    return redirect(url_for("groups.show", group_id=group.id))


@bp.post("/groups/<id:group_id>/members/<id:user_id>/remove")
@role_required(*TRAINERS)
def remove_member(group_id, user_id):
    group = _trainer_group(group_id)
    if EmptyForm().validate_on_submit():
        if not services.remove_member(current_user, group, user_id, utcnow()):
            abort(404)
        db.session.commit()
        flash("Removed from the group: you no longer see their progress.", "info")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.post("/groups/<id:group_id>/members/<id:user_id>/extra-time")
@role_required(*TRAINERS)
def extra_time(group_id, user_id):
    group = _trainer_group(group_id, live=True)
    form = ExtraTimeForm()
    if form.validate_on_submit():
        if not services.set_extra_time(current_user, group, user_id, form.granted.data):
            abort(404)
        db.session.commit()
        flash("Extra time granted." if form.granted.data else "Extra time withdrawn.", "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.post("/groups/<id:group_id>/members/<id:user_id>/set-password-link")
@role_required(*TRAINERS)
def reissue_link(group_id, user_id):
    group = _trainer_group(group_id, live=True)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("groups.show", group_id=group.id))
    issued = onboarding.reissue_link(current_user, group, user_id, utcnow())
    if issued is None:
        abort(404)
    db.session.commit()
    return render_template("groups/new_link.html", group=group, person=issued)


@bp.route("/groups/<id:group_id>/import", methods=["GET", "POST"])
@role_required(*TRAINERS)
def import_roster(group_id):
    group = _trainer_group(group_id, live=True)
    form = RosterForm()
    created, problems = [], []
    if form.validate_on_submit():
        created, problems = onboarding.add_roster(current_user, group, form.roster.data, utcnow())
        if problems:
            db.session.rollback()
        else:
            db.session.commit()
    return render_template("groups/import.html", group=group, form=form, created=created, problems=problems)


def _report_query(topic_ids: set[str]) -> tuple[str, bool]:
    form = ReportQueryForm(request.args)
    sort = form.sort_key(topic_ids) if form.validate() else None
    if sort is None:
        abort(400, "The report cannot be ordered that way.")
    return sort, form.dir.data == "desc"


@bp.get("/groups/<id:group_id>/report")
@role_required(*TRAINERS)
def report(group_id):
    group = _trainer_group(group_id, live=True)
    topic_ids = set(db.session.scalars(select(Topic.id)))
    sort, descending = _report_query(topic_ids)
    built = group_report.build_report(group, utcnow(), sort, descending)
    return render_template("groups/report.html", group=group, report=built, sort=sort, descending=descending)


@bp.get("/groups/<id:group_id>/report/grid.csv")
@role_required(*TRAINERS)
def grid_csv(group_id):
    group = _trainer_group(group_id, live=True)
    built = group_report.build_report(group, utcnow())
    return _csv(group_report.grid_csv(built), f"group-{group.id}-grid.csv")


@bp.get("/groups/<id:group_id>/report/help.csv")
@role_required(*TRAINERS)
def help_csv(group_id):
    group = _trainer_group(group_id, live=True)
    return _csv(group_report.help_csv(group_report.build_report(group, utcnow())), f"group-{group.id}-needs-help.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/groups/<id:group_id>/learners/<id:user_id>")
@role_required(*TRAINERS)
def learner(group_id, user_id):
    found = services.visible_member(current_user, group_id, user_id)
    if found is None:
        abort(404)
    group, person = found
    now = utcnow()
    learner_standings = standings(person.id)
    rows, height = mastery_chart(learner_standings)
    return render_template("groups/learner.html", group=group, person=person, standings=learner_standings,
                           weak=rank_weak_topics(learner_standings, 5), chart_rows=rows, chart_height=height,
                           trend=trend(person.id, now), readiness=readiness_for(person, learner_standings),
                           band_limit=current_app.config["MASTERY_BAND_LIMIT"])
