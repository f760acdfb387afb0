from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user, login_required

from studyapp.auth.forms import EmptyForm
from studyapp.content.services import syllabus_dir
from studyapp.extensions import db
from studyapp.models import Module
from studyapp.reader import services

bp = Blueprint("reader", __name__, url_prefix="/syllabus")


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


@bp.get("/")
def index():
    return render_template("reader/index.html", progress=services.module_progress(_user_id()))


@bp.get("/glossary")
def glossary():
    query = request.args.get("q", "").strip()
    return render_template("reader/glossary.html", terms=services.glossary(query), query=query,
                           topic_titles=services.topic_titles())


@bp.get("/diagrams/<name>")
def diagram(name: str):
    if not name.endswith(".svg"):
        abort(404)
    response = send_from_directory(Path(syllabus_dir()) / "diagrams", name, mimetype="image/svg+xml", max_age=3600)
    # Opened on its own, a diagram still may not run script or fetch anything.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@bp.get("/<name>")
def module_or_page(name: str):
    module = db.session.get(Module, name)
    if module is not None:
        return render_template("reader/module.html", module=module, read=services.read_topic_ids(_user_id()))
    page = services.page(name)
    if page is None:
        abort(404)
    return render_template("reader/page.html", page=page)


@bp.get("/<module_id>/<slug>")
def topic(module_id: str, slug: str):
    page = services.topic_page(module_id, slug, _user_id()) or abort(404)
    return render_template("reader/topic.html", page=page, topic=page.topic)


@bp.post("/<module_id>/<slug>/read")
@login_required
def mark_read(module_id: str, slug: str):
    topic = services.find_topic(module_id, slug) or abort(404)
    if EmptyForm().validate_on_submit():
        services.set_read(current_user.id, topic.id, request.form.get("read") != "0")
        db.session.commit()
    return redirect(url_for("reader.topic", module_id=module_id, slug=slug))
