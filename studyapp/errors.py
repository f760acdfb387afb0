"""Error pages that keep the site's look and say what to do next."""

from flask import render_template
from flask_wtf.csrf import CSRFError

from studyapp.extensions import db


def init_app(app) -> None:
    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, _page)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(500, _server_error)


def _page(error):
    return render_template("errors/error.html", code=error.code, name=error.name,
                           description=error.description), error.code


def _csrf_error(error):
    return render_template("errors/error.html", code=400, name="Form expired",
                           description="The form's security token was missing or did not match. "
                                       "Go back, reload the page and send it again."), 400


def _server_error(error):
    db.session.rollback()
    return render_template("errors/error.html", code=500, name="Something went wrong",
                           description="The error has been logged. Please try again."), 500
