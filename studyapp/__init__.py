"""studyapp: a study and quiz web app for the MoP® Foundation exam."""

import os
import secrets
from pathlib import Path

from flask import Flask

from studyapp import config as default_config
from studyapp.paths import content_dir


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: layered config, extensions, blueprints, CLI. Opens no database."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("STUDYAPP_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(content_dir("templates", os.environ.get("STUDYAPP_TEMPLATES_DIR"))),
    )
    app.config.from_object(default_config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("STUDYAPP")
    if test_config:
        app.config.update(test_config)
    _finish_config(app)

    from studyapp import cookies, errors, extensions, headers, security, validation, views

    validation.init_app(app)  # converters before any blueprint, the guard before any other hook
    extensions.init_app(app)
    cookies.init_app(app)  # after CSRFProtect, whose template global it replaces
    security.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    views.register_blueprints(app)
    return app


def _finish_config(app: Flask) -> None:
    """Derive what the layers leave open: database URL, secret key, content folders."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'studyapp.sqlite'}"
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", url)
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config["SYLLABUS_DIR"] = str(content_dir("syllabus", app.config.get("SYLLABUS_DIR")))
    app.config["QUESTION_BANK_DIR"] = str(content_dir("question_bank", app.config.get("QUESTION_BANK_DIR")))
    app.config["SECRET_KEY"] = _secret_key(app)


def _secret_key(app: Flask) -> str:
    """The configured key, or one kept in the instance folder; never a guessable one."""
    key = app.config.get("SECRET_KEY")
    if key:
        if len(str(key)) < 16 and not app.testing:
            raise RuntimeError("STUDYAPP_SECRET_KEY is too short: use at least 16 random characters")
        return str(key)
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
