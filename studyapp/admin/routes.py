from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from studyapp.admin import services
from studyapp.admin.forms import RoleForm
from studyapp.auth.forms import EmptyForm
from studyapp.extensions import db
from studyapp.models import Role, User, utcnow
from studyapp.security import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


@bp.get("/")
@role_required(Role.ADMIN)
def users():
    query = request.args.get("q", "").strip()[:100]
    return render_template("admin/users.html", users=services.users(query), query=query)


@bp.get("/users/<id:user_id>")
@role_required(Role.ADMIN)
def user(user_id: int):
    user = _user(user_id)
    return render_template("admin/user.html", user=user, form=RoleForm(role=user.role),
                           entries=services.entries_about(user))


@bp.post("/users/<id:user_id>/role")
@role_required(Role.ADMIN)
def change_role(user_id: int):
    user, form = _user(user_id), RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return _act(user, lambda: services.set_role(current_user, user, form.role.data), f"Role is now {form.role.data}.")


@bp.post("/users/<id:user_id>/disable")
@role_required(Role.ADMIN)
def disable(user_id: int):
    user = _user(user_id)
    disabled = request.form.get("disabled", "1") != "0"
    return _act(user, lambda: services.set_disabled(current_user, user, disabled, utcnow()),
                "Account disabled: its sessions have ended." if disabled else "Account enabled.")


def _act(user: User, action, message: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action()
    except services.AdminError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<id:user_id>/reset")
@role_required(Role.ADMIN)
def reset_link(user_id: int):
    user = _user(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    token = services.create_reset_link_token(current_user, user, utcnow(), hours)
    db.session.commit()
    link = url_for("auth.reset_password", token=token, _external=True)
    return render_template("admin/reset_link.html", user=user, link=link, hours=hours)


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log():
    return render_template("admin/audit.html", entries=services.audit_log())
