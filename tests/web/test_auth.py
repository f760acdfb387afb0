import pytest
from flask_login import current_user

from studyapp.extensions import db, limiter
from studyapp.models import User
from studyapp.security import LoggedInUser
from tests.conftest import PASSWORD, close_app, make_app


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_register_then_log_in_and_land_on_dashboard(browser):
    response = browser.post("/account/register", {"display_name": "Ada", "email": "ada@example.org",
                                                  "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/account/login"
    browser.login("ada@example.org")
    assert "Hello, Ada" in browser.get("/dashboard").get_data(as_text=True)


def test_register_refuses_a_short_password(browser, make_user):
    page = browser.post("/account/register", {"display_name": "X", "email": "new@example.org",
                                              "password": "short", "confirm": "short"}).get_data(as_text=True)
    assert "at least 10 characters" in page


def test_wrong_password_does_not_log_in(browser, make_user):
    make_user()
    page = browser.login("learner@example.org", "wrong password!").get_data(as_text=True)
    assert "do not match an account" in page
    assert browser.get("/dashboard").status_code == 302


def test_post_without_csrf_token_is_refused(client, make_user):
    make_user()
    response = client.post("/account/login", data={"email": "learner@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/dashboard").status_code == 302


@pytest.mark.parametrize(("next_url", "expected"), [
    ("/syllabus/", "/syllabus/"),
    ("https://evil.example/", "/dashboard"),
    ("//evil.example/", "/dashboard"),
    ("/\\evil.example", "/dashboard"),
    ("javascript:alert(1)", "/dashboard"),
])
def test_login_follows_only_same_site_next(browser, make_user, next_url, expected):
    make_user()
    response = browser.post("/account/login", {"email": "learner@example.org", "password": PASSWORD, "next": next_url})
    assert response.headers["Location"] == expected


def test_login_redirect_carries_next_for_protected_page(client):
    response = client.get("/report")
    assert response.status_code == 302 and "next=%2Freport" in response.headers["Location"]


def test_logout_ends_the_session_for_a_copied_cookie(app, browser, make_user):
    make_user()
    browser.login("learner@example.org")
    stolen = session_cookie(browser.client)
    browser.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/dashboard").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, browser, make_user):
    make_user()
    browser.login("learner@example.org")
    other_device = app.test_client()
    other_device.set_cookie("session", session_cookie(browser.client))
    assert other_device.get("/dashboard").status_code == 200
    response = browser.post("/account/password", {"current": PASSWORD, "password": "a brand new password",
                                                  "confirm": "a brand new password"})
    assert response.status_code == 302
    assert other_device.get("/dashboard").status_code == 302
    assert browser.get("/dashboard").status_code == 200
    browser.logout()
    assert browser.login("learner@example.org", "a brand new password").status_code == 302


def test_password_change_needs_the_current_password(learner):
    page = learner.post("/account/password", {"current": "not it at all", "password": "another password 1",
                                              "confirm": "another password 1"}).get_data(as_text=True)
    assert "current password is not right" in page


def test_login_attempts_are_throttled(app, browser, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "10 per minute"   # the default is set for a class behind one address
    make_user()
    codes = [browser.login("learner@example.org", "wrong password!").status_code for _ in range(11)]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429


def test_only_views_with_a_limit_check_one_unless_the_operator_limits_every_route(app, tmp_path):
    # Flask-Limiter's check before every request is dropped while no limit covers every
    # route (the login limit above still holds: its view checks it). An operator's limit
    # for every route brings the check back, and with it the limit.
    assert limiter._check_request_limit not in app.before_request_funcs[None]
    try:
        limited = make_app(tmp_path / "limited", load=False, RATELIMIT_DEFAULT="2 per minute")
        codes = [limited.test_client().get("/healthz").status_code for _ in range(3)]
        close_app(limited)
    finally:
        # The limiter is one object for every app of the process, and keeps the first
        # default limit it was given: the apps of later tests must not inherit this one.
        limiter.limit_manager.set_default_limits([])
    assert codes == [200, 200, 429]


def test_settings_save_exam_date_and_retention(learner):
    response = learner.post("/account/settings", {"exam_date": "2027-01-15", "desired_retention": "0.85",
                                                  "extra_time": "y"})
    assert response.status_code == 302
    page = learner.get("/account/settings").get_data(as_text=True)
    assert 'value="2027-01-15"' in page and 'value="0.85"' in page and "checked" in page


def test_settings_refuse_out_of_range_retention(learner):
    page = learner.post("/account/settings", {"desired_retention": "0.5"}).get_data(as_text=True)
    assert "between 0.75 and 0.97" in page


def test_the_logged_in_user_is_read_with_core_and_refuses_writes(app, learner):
    """Requests read the user as a LoggedInUser; a write to it raises instead of being lost,
    and record() gives the ORM User, which equals it."""
    cookie = session_cookie(learner.client)
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        app.preprocess_request()
        assert isinstance(current_user._get_current_object(), LoggedInUser)
        assert current_user.email == "learner@example.org" and current_user.has_role("learner")
        with pytest.raises(AttributeError, match="read-only"):
            current_user.display_name = "changed"
        account = current_user.record()
        assert isinstance(account, User) and account.id == current_user.id
        assert account == current_user._get_current_object()
        db.session.rollback()
