import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from studyapp.auth import privacy, services
from studyapp.auth.forms import ChangePasswordForm, DeleteAccountForm, EmptyForm, LoginForm, RegisterForm, ResetPasswordForm, SettingsForm
from studyapp.extensions import db, limiter
from studyapp.models import learner_groups, nearest_exam_date, utcnow
from studyapp.security import safe_next

bp = Blueprint("auth", __name__, url_prefix="/account")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_app.config["INVITE_ONLY"]:
        # Organisations that set INVITE_ONLY: learners sign up through a group's join link.
        return render_template("auth/invite_only.html"), 403 if request.method == "POST" else 200
    form = RegisterForm()
    if form.validate_on_submit():
        # The same answer whether or not the email had an account (the owner gets a mail),
        # so this form cannot be used to find out who studies here.
        services.register(form.email.data, form.password.data, form.display_name.data)
        db.session.commit()
        flash("Your account is ready: log in with your email and password. If this email already "
              "had an account, nothing about it has changed.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data, utcnow())
        db.session.commit()  # the failure count and the audit entry, whatever the outcome
        if result.user is not None:
            session.clear()  # a new session: nothing from before login (CSRF token included) survives
            login_user(result.user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("report.dashboard"))
        if result.locked_until is not None:
            flash(f"Too many failed attempts for this email. Try again after "
                  f"{result.locked_until:%H:%M} UTC.", "error")
        else:
            flash("That email and password do not match an account.", "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    if EmptyForm().validate_on_submit():
        current_user.record().end_all_sessions()
        db.session.commit()
        logout_user()
        session.clear()
        flash("You are logged out.", "info")
    return redirect(url_for("index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        account = current_user.record()
        try:
            services.change_password(account, form.current.data, form.password.data)
        except services.AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            login_user(account)
            flash("Password changed. Other devices have been logged out.", "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/password.html", form=form)


def _reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    """A one-time link an admin made: choose a new password, then log in with it."""
    if services.valid_reset(token, utcnow()) is None:
        abort(404, "This reset link is unknown, used or expired. Ask an admin for a new one.")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if services.reset_password(token, form.password.data, utcnow()) is None:
            abort(404, "This reset link is unknown, used or expired. Ask an admin for a new one.")
        db.session.commit()
        logout_user()
        session.clear()
        flash("Password set. Log in with it.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if form.time_zone.data is None:
        form.time_zone.data = ""
    if form.validate_on_submit():
        account = current_user.record()
        form.populate_obj(account)
        account.time_zone = form.time_zone.data or None
        db.session.commit()
        flash("Settings saved.", "success")
        return redirect(url_for("auth.settings"))
    my_groups = learner_groups(db.session, current_user.id)
    return render_template("auth/settings.html", form=form, my_groups=my_groups,
                           group_exam_date=nearest_exam_date(my_groups, utcnow().date()))


@bp.get("/data.json")
@login_required
def export_json():
    """Everything studyapp holds about you (Cache-Control: no-store, see headers.py)."""
    body = json.dumps(privacy.export_data(current_user), indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=studyapp-my-data.json"})


@bp.get("/data.zip")
@login_required
def export_csv():
    return Response(privacy.export_zip(privacy.export_data(current_user)), mimetype="application/zip",
                    headers={"Content-Disposition": "attachment; filename=studyapp-my-data-csv.zip"})


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if services.authenticate(current_user.email, form.password.data, utcnow()).user is None:
            db.session.commit()  # the failure counts like a failed login
            form.password.errors.append("That is not your password.")
        else:
            privacy.delete_account(current_user.record(), utcnow())
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your account is deleted. Your answers stay only as anonymous statistics.", "info")
            return redirect(url_for("index"))
    return render_template("auth/delete.html", form=form)
