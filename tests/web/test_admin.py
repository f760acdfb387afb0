"""Admin: disable an account (its sessions end at once), change roles, one-time reset links,
and an audit log of sign-ins and admin actions."""

import re

import pytest
from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import AuditEntry, User
from tests.conftest import Browser

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def admin(app, make_user):
    make_user("admin@example.org", "admin")
    browser = Browser(app.test_client())
    browser.login("admin@example.org")
    return browser


@pytest.fixture
def victim(app, make_user):
    """A logged-in learner and their user id."""
    user_id = make_user("victim@example.org")
    browser = Browser(app.test_client())
    browser.login("victim@example.org")
    return browser, user_id


def test_only_admins_reach_the_admin_pages(app, make_user, learner):
    assert learner.get("/admin/").status_code == 403
    make_user("trainer@example.org", "trainer")
    trainer = Browser(app.test_client())
    trainer.login("trainer@example.org")
    assert trainer.get("/admin/audit").status_code == 403


def test_disabling_an_account_ends_its_sessions_at_once_and_refuses_login(admin, victim, app):
    browser, user_id = victim
    assert browser.get("/dashboard").status_code == 200
    response = admin.post(f"/admin/users/{user_id}/disable", {}, token_from=f"/admin/users/{user_id}")
    assert response.status_code == 302
    assert browser.get("/dashboard").status_code == 302
    assert "do not match" in browser.login("victim@example.org").get_data(as_text=True)
    admin.post(f"/admin/users/{user_id}/disable", {"disabled": "0"}, token_from=f"/admin/users/{user_id}")
    browser.login("victim@example.org")
    assert browser.get("/dashboard").status_code == 200


def test_a_role_change_takes_effect_at_once_and_is_audited(admin, victim, app):
    browser, user_id = victim
    admin.post(f"/admin/users/{user_id}/role", {"role": "trainer"}, token_from=f"/admin/users/{user_id}")
    with app.app_context():
        assert db.session.get(User, user_id).role == "trainer"
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "role_changed")).one()
        assert entry.detail == {"before": "learner", "after": "trainer"}
    browser.login("victim@example.org")
    assert browser.get("/trainer/").status_code == 200


def test_an_admin_cannot_disable_or_demote_themselves(admin, app):
    with app.app_context():
        own = db.session.scalar(select(User.id).where(User.email == "admin@example.org"))
    page = admin.post(f"/admin/users/{own}/disable", {}, token_from=f"/admin/users/{own}", follow_redirects=True)
    assert "your own account" in page.get_data(as_text=True)
    assert admin.get("/admin/").status_code == 200


def test_a_reset_link_works_once_sets_the_password_and_ends_old_sessions(admin, victim, app):
    browser, user_id = victim
    page = admin.post(f"/admin/users/{user_id}/reset", {}, token_from=f"/admin/users/{user_id}").get_data(as_text=True)
    link = re.search(r'value="(http://localhost(/account/reset/[^"]+))"', page).group(2)
    stranger = Browser(app.test_client())
    response = stranger.post(link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/account/login"
    assert browser.get("/dashboard").status_code == 302          # the old session ended
    assert stranger.get(link).status_code == 404                  # used up
    stranger.login("victim@example.org", NEW_PASSWORD)
    assert stranger.get("/dashboard").status_code == 200


def test_an_unknown_reset_token_is_not_found(client):
    assert client.get("/account/reset/nothing-like-a-token").status_code == 404


def test_the_audit_log_shows_sign_ins_and_admin_actions(admin, victim):
    _, user_id = victim
    admin.post(f"/admin/users/{user_id}/disable", {}, token_from=f"/admin/users/{user_id}")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "sign_in" in page and "account_disabled" in page and "admin@example.org" in page
