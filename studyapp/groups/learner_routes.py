"""The learner's side of groups: joining by link or code (signing up on the way), leaving,
the privacy page, and setting a password from a trainer's one-time link.

Join-link sign-ups carry no per-address limit: a whole class signs up from one office
address in a few minutes, and the link itself is the key (the trainer can turn it off)."""

from flask import abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, login_user

from studyapp.auth import services as accounts
from studyapp.auth.forms import EmptyForm
from studyapp.extensions import db
from studyapp.groups import onboarding, services
from studyapp.groups.forms import JoinCodeForm, JoinRegisterForm, SetPasswordForm
from studyapp.groups.routes import bp
from studyapp.models import Role, User, learner_groups, utcnow


def _open_group(code: str):
    group = services.group_for_code(code)
    if group is None:
        abort(404, "This join link is not valid: it may have been turned off or renewed. Ask your trainer for the current one.")
    return group


@bp.route("/join", methods=["GET", "POST"])
def join_by_code():
    form = JoinCodeForm()
    if form.validate_on_submit():
        code = services.normalize_code(form.code.data)
        if code and services.group_for_code(code):
            return redirect(url_for("groups.join", code=code))
        form.code.errors.append("No open group has this code. Check it with your trainer.")
    return render_template("groups/join_code.html", form=form)


@bp.route("/join/<code>", methods=["GET", "POST"])
def join(code):
    group = _open_group(code)
    canonical = services.normalize_code(code)
    member = None
    if current_user.is_authenticated:
        member = services.membership(group, current_user.id)
        if member is None and EmptyForm().validate_on_submit():
            try:
                services.join(current_user, group, utcnow())
            except services.GroupError as error:
                abort(403, str(error))
            db.session.commit()
            flash(f"You have joined {group.name}. Your trainer can now see your progress.", "success")
            return redirect(url_for("report.dashboard"))
    trainer = db.session.get(User, group.trainer_id)
    return render_template("groups/join.html", group=group, trainer=trainer, code=canonical, member=member,
                           form=EmptyForm(), register_form=JoinRegisterForm())


@bp.post("/join/<code>/register")
def join_register(code):
    group = _open_group(code)
    form = JoinRegisterForm()
    if current_user.is_authenticated:
        return redirect(url_for("groups.join", code=services.normalize_code(code)))
    if not form.validate_on_submit():
        trainer = db.session.get(User, group.trainer_id)
        return render_template("groups/join.html", group=group, trainer=trainer, code=services.normalize_code(code),
                               member=None, form=EmptyForm(), register_form=form), 400
    user = accounts.register(form.email.data, form.password.data, form.display_name.data)
    if user is not None:
        services.join(user, group, utcnow())
    db.session.commit()
    # The same answer whether or not the email had an account, as on the register page.
    flash(f"Your account is ready: log in to join {group.name}. If this email already had an account, "
          "log in with it and join from this link.", "success")
    return redirect(url_for("auth.login", next=url_for("groups.join", code=services.normalize_code(code))))


@bp.post("/groups/<id:group_id>/leave")
@login_required
def leave(group_id):
    if EmptyForm().validate_on_submit():
        if not services.leave(current_user, group_id, utcnow()):
            abort(404)
        db.session.commit()
        flash("You have left the group. Its trainer no longer sees your progress.", "info")
    return redirect(url_for("groups.privacy"))


@bp.get("/privacy")
def privacy():
    groups = []
    if current_user.is_authenticated and current_user.has_role(Role.LEARNER):
        groups = learner_groups(db.session, current_user.id)
    trainers = {g.trainer_id: db.session.get(User, g.trainer_id) for g, _ in groups}
    return render_template("groups/privacy.html", groups=groups, trainers=trainers, form=EmptyForm())


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token):
    link = onboarding.usable_token(token, utcnow())
    if link is None:
        abort(404, "This link has been used or has expired. Ask your trainer for a new one.")
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = onboarding.set_password_with(link, form.password.data, utcnow())
        db.session.commit()
        session.clear()
        login_user(user)
        flash("Your password is set and you are logged in.", "success")
        return redirect(url_for("report.dashboard"))
    return render_template("groups/welcome.html", form=form, user=db.session.get(User, link.user_id))
