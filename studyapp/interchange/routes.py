"""The trainer's import page (upload -> preview -> confirm) and export downloads.

Trainers and admins only (one gate); CSRFProtect guards every POST; the upload is
capped at the import file limit (10 MB) instead of the app's 2 MB. The preview lists
what would be created, updated, left unchanged and refused, and offers a topic for
each category no topic is known for; nothing is stored until "Import" is pressed."""

from pathlib import PurePath

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from wtforms import SelectChoice

from studyapp.authoring import bank_query, services as authoring
from studyapp.authoring.forms import BankQueryForm
from studyapp.domain.formats import MAX_FILE_BYTES
from studyapp.extensions import db
from studyapp.content import questions
from studyapp.content.services import stored_syllabus_index
from studyapp.interchange import services, uploads
from studyapp.interchange.forms import ConfirmForm, ExportForm, UploadForm
from studyapp.models import Role
from studyapp.security import role_required

bp = Blueprint("interchange", __name__, url_prefix="/trainer")
# The most categories the preview offers a topic for; a file with more is mapped on the command line.
MAX_MAPPED = 60


@bp.before_request
@role_required(Role.TRAINER, Role.ADMIN, hide=True)
def _trainers_and_admins_only():
    """The one gate of this blueprint: anonymous -> login; learners -> 404, like the rest of
    the trainer's area (see authoring.routes)."""


@bp.get("/import")
def upload_page():
    return render_template("interchange/upload.html", form=UploadForm())


@bp.post("/import")
def upload():
    form = UploadForm()
    if not form.validate():
        return render_template("interchange/upload.html", form=form), 400
    raw = form.file.data.read(MAX_FILE_BYTES + 1)
    name = PurePath(form.file.data.filename or "upload").name[:200] or "upload"
    token = uploads.store(current_user.id, name, raw)
    return _preview(token, name, raw, form.text_format.data or None, {}, form.skip_bad.data)
upload.max_content_length = MAX_FILE_BYTES + 64 * 1024  # the file and the form around it


def _topic_choices() -> list[SelectChoice]:
    return [SelectChoice("", "— choose a topic —")] + [SelectChoice(t.id, t.title, optgroup=m.title)
                                                       for m, topics in authoring.topics_by_module() for t in topics]


def _preview(token: str, name: str, raw: bytes, text_format: str | None, mapping: dict, skip_bad: bool, status=200):
    plan = services.plan_import([(name, raw)], mapping, text_format)
    form = ConfirmForm(formdata=None, token=token, text_format=text_format or "", skip_bad=skip_bad)
    categories = list(dict.fromkeys([*mapping, *plan.unmapped]))[:MAX_MAPPED]
    return render_template("interchange/preview.html", plan=plan, form=form, name=name, categories=categories,
                           mapping=mapping, topics=_topic_choices()), status


def _mapping_from_form(topic_ids: set[str]) -> dict[str, str]:
    """category -> topic pairs the trainer chose (cat-N / map-N fields); unknown topics are a 400."""
    mapping = {}
    for number in range(MAX_MAPPED):
        category, topic = request.form.get(f"cat-{number}"), request.form.get(f"map-{number}", "")
        if category is None:
            break
        if topic and topic not in topic_ids:
            abort(400, "That topic is not in the syllabus.")
        if topic and 0 < len(category) <= 300:
            mapping[category] = topic
    return mapping


@bp.post("/import/confirm")
def confirm():
    form = ConfirmForm()
    if not form.validate():
        abort(400, "That import form is incomplete; upload the file again.")
    stored = uploads.load(current_user.id, form.token.data)
    if stored is None:
        abort(404)
    name, raw = stored
    mapping = _mapping_from_form(set(stored_syllabus_index().topic_modules))
    text_format, skip_bad = form.text_format.data or None, bool(form.skip_bad.data)
    if form.action.data != "import":
        return _preview(form.token.data, name, raw, text_format, mapping, skip_bad)
    plan = services.plan_import([(name, raw)], mapping, text_format)
    if plan.problems and not skip_bad:
        flash("Nothing was imported: the file has refused questions (listed below). Fix them, or tick "
              "\u201cimport the good questions\u201d.", "error")
        return _preview(form.token.data, name, raw, text_format, mapping, skip_bad, status=422)
    report = services.apply_plan(plan, current_user.id, skip_bad=True)
    db.session.commit()
    uploads.discard(current_user.id, form.token.data)
    flash(f"Imported {name}: {plan.summary()}." + (f" Skipped: {len(report.skipped)}." if report.skipped else ""),
          "success")
    return redirect(url_for("authoring.bank", status="draft") if report.created else url_for("authoring.bank"))


_FILTER_ARGS = ("q", "module", "topic", "level", "status", "tag")


@bp.get("/export")
def export_page():
    """Choose a format for the questions of the bank list's filter (the whole bank without one)."""
    ids = bank_query.matching_ids(_validated_filter())
    waiting = questions.waiting_for_topic(ids)
    return render_template("interchange/export.html", form=ExportForm(request.args), count=len(ids) - waiting,
                           waiting=waiting,
                           args={k: v for k, v in request.args.items() if k in _FILTER_ARGS and v})


@bp.get("/export/download")
def download():
    form = ExportForm(request.args)
    if not form.validate():
        abort(400, "Choose one of the offered formats.")
    query = _validated_filter()
    ids = bank_query.matching_ids(query)
    data = services.export_bytes(form.format.data, services.specs_for(ids))
    extension, media_type = services.EXPORTS[form.format.data]
    return send_file(io.BytesIO(data), mimetype=media_type, as_attachment=True,
                     download_name=f"studyapp-bank.{extension}")


def _validated_filter():
    form = BankQueryForm(request.args)
    grouped = authoring.topics_by_module()
    form.module.choices = [SelectChoice("", "")] + [SelectChoice(m.id, m.title) for m, _ in grouped]
    form.topic.choices = [SelectChoice("", ""), SelectChoice(bank_query.NO_TOPIC, "")] + [
        SelectChoice(t.id, t.title) for _, ts in grouped for t in ts]
    if not form.validate():
        abort(400, "That filter has a value the bank does not know.")
    return form.to_query()
