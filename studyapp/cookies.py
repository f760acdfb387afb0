"""The session cookie and the CSRF token: each verified or signed once, then remembered.

A logged-in learner's cookie stays the same from one request to the next, until the session
changes, and so does the CSRF token each page embeds. Yet Flask verifies the cookie on every
request (derive the key, check the HMAC, inflate, parse the tagged JSON) and Flask-WTF signs
the token again on every page: together about 170 µs of a 1.1 ms question page, measured
in-process. Each worker remembers the results instead; both stay Flask's and Flask-WTF's
own formats, so nothing else changes (tests, other workers, old cookies)."""

import time

from flask import current_app, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

# Entries per worker, for each of the two: a few MB at most. When full, a memo starts over.
MAX_REMEMBERED = 10_000


class Memo(dict):
    """A dict that forgets everything when full: simpler than an LRU, and a miss costs only
    the work the memo saves."""

    def remember(self, key, value):
        if len(self) >= MAX_REMEMBERED:
            self.clear()
        self[key] = value
        return value


class RememberingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with each cookie's verified contents remembered.

    Only a cookie that verified is remembered, keyed by its whole signed text and the
    secret key, so an altered or forged cookie never matches one. The memo keeps the
    session's JSON text, not its objects: each request parses its own copy, so a request
    that changes its session (a flashed message appended to a list) cannot change the next
    one's. The age limit is checked on every request against the time the cookie was signed."""

    def __init__(self) -> None:
        self._verified = Memo()

    def open_session(self, app, request):
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or not app.secret_key:
            return super().open_session(app, request)
        max_age = app.permanent_session_lifetime.total_seconds()
        key = (app.secret_key, cookie)
        verified = self._verified.get(key)
        if verified is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(
                    cookie, max_age=int(max_age), return_timestamp=True)
            except BadSignature:  # expired ones too (SignatureExpired is one)
                return self.session_class()
            self._verified.remember(key, (self.serializer.dumps(data), signed_at.timestamp()))
            return self.session_class(data)   # the memo keeps text, so these objects are this request's own
        text, signed_at = verified
        if time.time() - signed_at > max_age:
            return self.session_class()
        return self.session_class(self.serializer.loads(text))


_signed_csrf_tokens = Memo()


def csrf_token() -> str:
    """The signed CSRF token for this session's forms (the templates' csrf_token()).

    Flask-WTF signs the session's raw token with a timestamp each time; any signature of
    it is accepted until WTF_CSRF_TIME_LIMIT, which by default never comes (see config).
    So one signature per raw token is reused. With a time limit set, a signature is reused
    for at most a tenth of it (and never over a minute), so a form keeps almost all its life."""
    config = current_app.config
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    remembered = _signed_csrf_tokens.get((secret, raw)) if raw else None
    if remembered is not None and time.time() - remembered[1] <= _reuse_seconds(config.get("WTF_CSRF_TIME_LIMIT")):
        return remembered[0]
    token = generate_csrf()
    raw = session[field]   # generate_csrf makes one if missing
    _signed_csrf_tokens.remember((secret, raw), (token, time.time()))
    return token


def _reuse_seconds(time_limit: int | None) -> float:
    return float("inf") if time_limit is None else min(60.0, time_limit / 10)


def init_app(app) -> None:
    app.session_interface = RememberingSessionInterface()
    # Flask-WTF offers its generate_csrf both ways, as a global and from a context
    # processor; a later processor's names win over an earlier one's, and over globals.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
