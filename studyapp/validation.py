"""Validation at the edge: URL converters with bounds, a request guard, form validators.

Every path, query and form value gets a type, a range and a length before it reaches
a service; a database error is never how bad input is found (errors.py maps the few
that could still slip through to a 400, as the last resort)."""

import math
import re
from datetime import date

from flask import abort, current_app, request
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

# Every id column is a 32-bit INTEGER on PostgreSQL; SQLite refuses Python ints past 2**63.
MAX_ID = 2**31 - 1
# Control characters other than tab, newline and carriage return: never typed, and NUL
# is refused outright by PostgreSQL text columns.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IdConverter(IntegerConverter):
    """`<id:name>`: a database id or a position, 1 to 2**31-1; anything else is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


class BoundedIntConverter(IntegerConverter):
    """Replaces Werkzeug's `int` so that routes added later are bounded too (0 to 2**31-1)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app) -> None:
    """Register the converters (before any blueprint) and the request guard."""
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(guard_request)


def guard_request() -> None:
    """The backstop for every route, present and future: refuse what no form would send.

    Control characters or over-long values in the path, query string or form, and
    forms with more fields than any page has, are a 400 before a view sees them."""
    config = current_app.config
    # A view that takes a larger body (the import upload) says so with a `max_content_length` attribute.
    view_limit = getattr(current_app.view_functions.get(request.endpoint), "max_content_length", None)
    if view_limit:
        request.max_content_length = view_limit
    if len(request.path) > config["MAX_PATH_LENGTH"] or len(request.query_string) > config["MAX_QUERY_LENGTH"]:
        abort(400, "That address is too long.")
    if CONTROL_CHARACTERS.search(request.path):
        abort(400, "That address holds characters no page uses.")
    _check_values(request.args.items(multi=True), config["MAX_QUERY_VALUE_LENGTH"])
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if len(request.form) + len(request.files) > config["MAX_FORM_FIELDS"]:
            abort(413, "That form has more fields than any page sends.")
        _check_values(request.form.items(multi=True), config["MAX_FORM_VALUE_LENGTH"])


def _check_values(pairs, max_length: int) -> None:
    for key, value in pairs:
        if len(key) > 100 or len(value) > max_length:
            abort(400, "A value in that request is too long.")
        if CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value):
            abort(400, "A value in that request holds characters no form sends.")


def no_control_characters(form, field) -> None:
    """WTForms validator: text with no NUL or other control characters (tab and newline allowed)."""
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError("Remove the control characters from this text.")


def finite(form, field) -> None:
    """WTForms validator: a number, not NaN or infinity (NumberRange lets NaN through)."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError("Enter a number.")


class DateWithin:
    """WTForms validator: a date between `earliest` and `years_ahead` years from today."""

    def __init__(self, earliest: date, years_ahead: int, message: str):
        self.earliest, self.years_ahead, self.message = earliest, years_ahead, message

    def __call__(self, form, field) -> None:
        if field.data is None:
            return
        today = date.today()
        latest = today.replace(year=today.year + self.years_ahead, day=min(today.day, 28))
        if not self.earliest <= field.data <= latest:
            raise ValidationError(self.message)
