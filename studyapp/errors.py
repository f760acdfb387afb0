"""Error pages that keep the site's look and say what to do next."""

from flask import current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError

from studyapp.extensions import db


def init_app(app) -> None:
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _page)
    app.register_error_handler(CSRFError, _csrf_error)
    # The last resort, never the way bad input is meant to be found (see validation.py):
    # a value the database refuses (NUL on PostgreSQL, an integer out of range) is the
    # client's fault, so a 400, logged so that the missing edge check gets added.
    for error_class in (DataError, OverflowError):
        app.register_error_handler(error_class, _input_refused_by_database)
    app.register_error_handler(500, _server_error)


def _page(error):
    return render_template("errors/error.html", code=error.code, name=error.name,
                           description=error.description), error.code


def _csrf_error(error):
    return render_template("errors/error.html", code=400, name="Form expired",
                           description="The form's security token was missing or did not match. "
                                       "Go back, reload the page and send it again."), 400


def _input_refused_by_database(error):
    db.session.rollback()
    current_app.logger.warning("input refused by the database on %s %s: %s", request.method, request.path,
                               str(error).splitlines()[0])
    return render_template("errors/error.html", code=400, name="Bad request",
                           description="Something in that request cannot be stored. Check what you sent."), 400


def _server_error(error):
    db.session.rollback()
    return render_template("errors/error.html", code=500, name="Something went wrong",
                           description="The error has been logged. Please try again."), 500
