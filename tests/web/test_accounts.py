"""Account rules: session rotation, password rules, silent registration, per-account throttling."""

import pytest

from studyapp import create_app
from studyapp.auth import services
from studyapp.auth.passwords import common_passwords
from studyapp.extensions import db
from studyapp.models import AuditEntry, LoginThrottle
from tests.conftest import PASSWORD, csrf_from

NEW = {"display_name": "Ada", "password": PASSWORD, "confirm": PASSWORD}


def test_login_replaces_the_whole_session_so_the_old_form_token_is_dead(browser, make_user):
    make_user()
    before = browser.token("/account/login")
    browser.client.post("/account/login", data={"email": "learner@example.org", "password": PASSWORD,
                                                "csrf_token": before})
    after = csrf_from(browser.get("/practice/").get_data(as_text=True))
    assert after != before
    assert browser.client.post("/account/logout", data={"csrf_token": before}).status_code == 400
    assert browser.get("/dashboard").status_code == 200


def test_a_common_password_is_refused_with_a_reason(browser):
    common = next(p for p in sorted(common_passwords()) if len(p) >= 10)
    page = browser.post("/account/register", {**NEW, "email": "a@example.org", "password": common,
                                              "confirm": common}).get_data(as_text=True)
    assert "most common passwords" in page
    assert len(common_passwords()) > 9_900   # the top 10,000, less duplicates once lower-cased


def test_an_overlong_password_gets_its_own_message(browser):
    long = "a fine passphrase " * 20
    page = browser.post("/account/register", {**NEW, "email": "a@example.org", "password": long,
                                              "confirm": long}).get_data(as_text=True)
    assert "at most 200 characters" in page and "at least" not in page


def test_registering_a_taken_email_answers_exactly_like_a_new_one_and_tells_the_owner(browser, make_user,
                                                                                    monkeypatch):
    sent = []
    monkeypatch.setattr(services, "send_mail", lambda to, subject, body: sent.append(to))
    make_user("taken@example.org")
    taken = browser.post("/account/register", {**NEW, "email": "TAKEN@example.org"})
    taken_page = browser.get(taken.headers["Location"]).get_data(as_text=True)
    new = browser.post("/account/register", {**NEW, "email": "new@example.org"})
    new_page = browser.get(new.headers["Location"]).get_data(as_text=True)
    assert (taken.status_code, taken.headers["Location"]) == (new.status_code, new.headers["Location"])
    assert _without_token(taken_page) == _without_token(new_page)
    assert sent == ["taken@example.org"]


def _without_token(page: str) -> str:
    return page.replace(csrf_from(page), "")


def test_failed_logins_lock_the_account_even_with_the_right_password_then(browser, make_user, app):
    make_user()
    for _ in range(app.config["LOGIN_LOCK_AFTER"] - 1):
        assert "do not match" in browser.login("learner@example.org", "wrong password!").get_data(as_text=True)
    assert "Too many failed attempts" in browser.login("learner@example.org", "wrong!").get_data(as_text=True)
    page = browser.login("learner@example.org").get_data(as_text=True)
    assert "Too many failed attempts" in page and browser.get("/dashboard").status_code == 302
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert actions.count("sign_in_failed") == app.config["LOGIN_LOCK_AFTER"]


def test_an_unknown_email_locks_the_same_way_so_the_lock_reveals_nothing(browser, app):
    for _ in range(app.config["LOGIN_LOCK_AFTER"]):
        browser.login("nobody@example.org", "wrong password!")
    assert "Too many failed attempts" in browser.login("nobody@example.org").get_data(as_text=True)


def test_the_lock_holds_in_another_worker_and_after_a_restart(browser, make_user, app):
    make_user()
    for _ in range(app.config["LOGIN_LOCK_AFTER"]):
        browser.login("learner@example.org", "wrong password!")
    other_worker = create_app({key: app.config[key] for key in (
        "TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SYLLABUS_DIR", "QUESTION_BANK_DIR",
        "RATELIMIT_STORAGE_URI", "PASSWORD_HASH_METHOD")})
    client = other_worker.test_client()
    token = csrf_from(client.get("/account/login").get_data(as_text=True))
    page = client.post("/account/login", data={"email": "learner@example.org", "password": PASSWORD,
                                               "csrf_token": token}).get_data(as_text=True)
    assert "Too many failed attempts" in page
    with other_worker.app_context():
        db.engine.dispose()


def test_a_successful_login_clears_the_failure_count(browser, make_user, app):
    make_user()
    browser.login("learner@example.org", "wrong password!")
    browser.login("learner@example.org")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(LoginThrottle)) == 0
        assert db.session.scalars(db.select(AuditEntry.action)).all()[-1] == "sign_in"


@pytest.mark.parametrize("storage", ["memory://"])
def test_serve_refuses_several_workers_with_per_process_rate_limits(runner, storage):
    result = runner.invoke(args=["serve", "--workers", "4", "--no-load"])
    assert result.exit_code != 0 and "STUDYAPP_RATELIMIT_STORAGE_URI" in result.output


def test_serve_refuses_more_threads_than_pooled_connections(runner, app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] == app.config["DATABASE_POOL_SIZE"]
    result = runner.invoke(args=["serve", "--threads", str(app.config["DATABASE_POOL_SIZE"] + 1), "--no-load"])
    assert result.exit_code != 0 and "STUDYAPP_DATABASE_POOL_SIZE" in result.output
