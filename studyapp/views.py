"""Blueprint registration and the small pieces every template needs."""

from functools import lru_cache

from flask import Flask, current_app, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup

from studyapp.domain.render import render_fragment

from studyapp.admin.routes import bp as admin_bp
from studyapp.auth.routes import bp as auth_bp
from studyapp.exams.routes import bp as exams_bp
from studyapp.practice.routes import bp as practice_bp
from studyapp.reader.routes import bp as reader_bp
from studyapp.report.routes import bp as report_bp
from studyapp.authoring.routes import bp as authoring_bp
from studyapp.interchange.routes import bp as interchange_bp
from studyapp.analytics.routes import bp as analytics_bp
from studyapp.groups import learner_routes  # noqa: F401 (adds the learner's routes to groups_bp)
from studyapp.groups.routes import bp as groups_bp


def register_blueprints(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = markdown_filter
    app.jinja_env.filters["markdown_inline"] = markdown_inline_filter
    app.jinja_env.globals["page_paths"] = page_paths
    app.jinja_env.globals["path_to"] = path_to
    for blueprint in (auth_bp, reader_bp, practice_bp, exams_bp, report_bp, authoring_bp, admin_bp, interchange_bp, analytics_bp, groups_bp):
        app.register_blueprint(blueprint)
    app.add_url_rule("/", endpoint="index", view_func=_index)
    app.add_url_rule("/healthz", endpoint="healthz", view_func=lambda: {"status": "ok"})

    from studyapp.cli import register_commands

    register_commands(app)


def _index():
    from flask import redirect, render_template, url_for

    if current_user.is_authenticated:
        return redirect(url_for("report.dashboard"))
    return render_template("home.html")


MAX_PREFIXES = 100
# Paths kept per prefix. The templates name a few dozen pages without arguments and a few
# hundred with arguments from the content (modules, topics); past this a path is built
# every time, so a path_to() given a learner's ids by mistake costs time, never memory.
MAX_PATHS = 2_000


class PagePaths(dict):
    """Paths of pages, built with url_for() the first time each is asked for: by endpoint
    ("static/app.css" for a static file), or by (endpoint, (argument, value), ...)."""

    def __missing__(self, key: str | tuple) -> str:
        if isinstance(key, tuple):
            endpoint, *values = key
            path = url_for(endpoint, **dict(values))
        else:
            static, _, filename = key.partition("/")
            path = url_for("static", filename=filename) if static == "static" and filename else url_for(key)
        if len(self) < MAX_PATHS:
            self[key] = path
        return path


def page_paths() -> PagePaths:
    """The header's links, for the app and the prefix it is served under, remembered.

    Every page links to ten such pages and two static files. Building each path with
    url_for() costs about 4 µs, and calling a template function for each about 3 µs more:
    one lookup per page took a question page's render from 141 to 109 µs. A path depends
    only on the route and the prefix, so each app keeps one PagePaths per prefix (a
    bounded number of them: the prefix comes from a proxy's header)."""
    if not has_request_context():
        return PagePaths()
    by_prefix = current_app.extensions.setdefault("page_paths", {})
    paths = by_prefix.get(request.script_root)
    if paths is None:
        paths = PagePaths()
        if len(by_prefix) < MAX_PREFIXES:
            by_prefix[request.script_root] = paths
    return paths


def path_to(endpoint: str, **values) -> str:
    """url_for() for a page whose arguments come from the content (a module, a topic) or
    that takes none, remembered with the header's paths.

    Timed around the call inside a request, a url_for() cost about 15 µs (a warm loop of
    them, 4 µs each), and a topic page builds six. Not for a learner's own ids (a session,
    an item): there is no end to those, so they would only fill the memo (see MAX_PATHS)."""
    return page_paths()[(endpoint, *sorted(values.items()))]


def markdown_filter(text: str) -> Markup:
    """Question text is Markdown too; it goes through the same sanitizer as the syllabus."""
    return Markup(render_fragment(text or ""))


@lru_cache(maxsize=8192)
def markdown_inline_filter(text: str) -> Markup:
    """The same, without the paragraph around a one-paragraph text (for options and their
    whys: eight a feedback page). Cached like render_fragment, by the text itself."""
    html = render_fragment(text or "").strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
