"""The session cookie verified once and the CSRF token signed once per worker (studyapp.cookies):
remembering must never accept a cookie or token that Flask or Flask-WTF would refuse."""

import time

import pytest
from flask import flash, request, session

from studyapp import cookies
from studyapp.auth.services import create_user
from studyapp.extensions import db
from tests.conftest import PASSWORD, Browser, close_app, csrf_from, make_app


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_remembered_cookie_keeps_the_learner_logged_in(learner):
    for _ in range(3):
        response = learner.get("/dashboard")
        assert response.status_code == 200
        assert "Log out" in response.get_data(as_text=True)


def test_an_altered_cookie_is_refused_even_after_the_real_one_was_remembered(learner):
    assert learner.get("/dashboard").status_code == 200   # the genuine cookie is now remembered
    cookie = _session_cookie(learner.client)
    payload, _, signature = cookie.rpartition(".")
    altered = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    learner.client.set_cookie("session", altered)
    assert learner.get("/dashboard").status_code == 302   # to the login page: no session


def test_a_remembered_cookie_still_expires(learner, app, monkeypatch):
    assert learner.get("/dashboard").status_code == 200
    assert learner.get("/dashboard").status_code == 200
    cookie = _session_cookie(learner.client)
    assert (app.secret_key, cookie) in app.session_interface._verified   # the next request takes the memo
    lifetime = app.permanent_session_lifetime.total_seconds()
    now = time.time()
    monkeypatch.setattr(cookies.time, "time", lambda: now + lifetime + 60)
    assert learner.get("/dashboard").status_code == 302


def test_each_request_gets_its_own_copy_of_a_remembered_session(app):
    interface = app.session_interface
    assert isinstance(interface, cookies.RememberingSessionInterface)
    with app.test_request_context("/"):
        session["_flashes"] = [("info", "first")]
        cookie = interface.get_signing_serializer(app).dumps(dict(session))
    opened = []
    for _ in range(2):
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
            opened.append(interface.open_session(app, request))
    opened[0]["_flashes"].append(("info", "second"))   # what flash() does to a session
    assert opened[1]["_flashes"] == [("info", "first")]


def test_the_memo_forgets_when_full(monkeypatch):
    monkeypatch.setattr(cookies, "MAX_REMEMBERED", 3)
    memo = cookies.Memo()
    for key in range(10):
        memo.remember(key, key)
        assert len(memo) <= 3
    assert memo[9] == 9


def _later(monkeypatch, seconds: float) -> None:
    """Move the clock on (time.time everywhere: itsdangerous stamps signatures with it)."""
    now = time.time()
    monkeypatch.setattr(cookies.time, "time", lambda: now + seconds)


def test_pages_of_one_session_carry_one_token_and_it_is_accepted(learner, monkeypatch):
    first = csrf_from(learner.get("/practice/").get_data(as_text=True))
    _later(monkeypatch, 5)   # a new signature would carry another timestamp
    second = csrf_from(learner.get("/syllabus/").get_data(as_text=True))
    assert first == second
    # Logging out with the reused token works (a refused token would answer 400).
    response = learner.client.post("/account/logout", data={"csrf_token": first})
    assert response.status_code == 302
    assert learner.get("/dashboard").status_code == 302


def test_another_session_gets_another_token(app, make_user):
    make_user("one@example.org")
    make_user("two@example.org")
    one, two = Browser(app.test_client()), Browser(app.test_client())
    one.login("one@example.org")
    two.login("two@example.org")
    token_one = csrf_from(one.get("/practice/").get_data(as_text=True))
    token_two = csrf_from(two.get("/practice/").get_data(as_text=True))
    assert token_one != token_two
    # One learner's token is refused in the other's session.
    assert two.client.post("/account/logout", data={"csrf_token": token_one}).status_code == 400


@pytest.fixture
def timed_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_TIME_LIMIT=600)
    yield app
    close_app(app)


def test_with_a_time_limit_a_token_is_signed_again_within_a_minute(timed_app, monkeypatch):
    with timed_app.app_context():
        create_user("learner@example.org", PASSWORD, "learner", "learner")
        db.session.commit()
    browser = Browser(timed_app.test_client())
    browser.login("learner@example.org")
    first = csrf_from(browser.get("/practice/").get_data(as_text=True))
    _later(monkeypatch, 5)
    assert csrf_from(browser.get("/practice/").get_data(as_text=True)) == first
    _later(monkeypatch, 61)
    again = csrf_from(browser.get("/practice/").get_data(as_text=True))
    assert again != first
    assert browser.client.post("/account/logout", data={"csrf_token": again}).status_code == 302


def test_a_flashed_message_shows_once(app):
    @app.get("/_flash_once")
    def _flash_once():
        flash("saved")
        return "ok"

    client = app.test_client()
    client.get("/_flash_once")
    assert "saved" in client.get("/account/login").get_data(as_text=True)
    assert "saved" not in client.get("/account/login").get_data(as_text=True)
