"""Adding a class from a list: all accounts or none, problems by line, one-time links."""

import re

from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import AuditEntry, Membership, SetPasswordToken, User
from tests.conftest import Browser
from tests.web.groups_helpers import create_group, logged_in


def _setup(app, make_user):
    make_user("trainer@example.org", "trainer")
    make_user("taken@example.org")
    trainer = logged_in(app, "trainer@example.org")
    return trainer, create_group(trainer, "Evening class")


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(User)),
                db.session.scalar(select(func.count()).select_from(Membership)),
                db.session.scalar(select(func.count()).select_from(SetPasswordToken)))


def test_a_list_with_bad_rows_reports_each_by_line_and_creates_nothing(app, make_user):
    trainer, group_id = _setup(app, make_user)
    before = _counts(app)
    roster = ("email,name\nann@example.org,Ann\nnot an email,Bob\nTAKEN@example.org,Someone\n"
              "cy@example.org\nann@example.org,Ann twice\n")
    page = trainer.post(f"/groups/{group_id}/import", {"roster": roster}).get_data(as_text=True)
    problems = re.findall(r"<li>(line \d+: [^<]+)</li>", page)
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 6"]
    assert "already has an account" in problems[1] and "Nothing was created" in page
    assert _counts(app) == before


def test_a_good_list_creates_accounts_in_the_group_with_one_time_set_password_links(app, make_user):
    trainer, group_id = _setup(app, make_user)
    page = trainer.post(f"/groups/{group_id}/import",
                        {"roster": "ann@example.org,Ann Smith\nbo@example.org,\"Bo, B.\"\n"}).get_data(as_text=True)
    links = re.findall(r"<code>http://localhost(/welcome/[^<]+)</code>", page)
    assert len(links) == 2 and "Bo, B." in page
    assert _counts(app)[1:] == (2, 2)
    with app.app_context():   # only the hash is stored
        stored = set(db.session.scalars(select(SetPasswordToken.token_hash)))
        assert not any(link.rsplit("/", 1)[1] in stored for link in links)
    ann = Browser(app.test_client())
    assert ann.login("ann@example.org", "anything at all 123").status_code == 200   # no password yet
    response = ann.post(links[0], {"password": "my own passphrase", "confirm": "my own passphrase"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert "Evening class" in ann.get("/dashboard").get_data(as_text=True)
    assert ann.get(links[0]).status_code == 404                     # used once
    fresh = Browser(app.test_client())
    assert fresh.login("ann@example.org", "my own passphrase").status_code == 302
    assert Browser(app.test_client()).get("/welcome/not-a-real-token").status_code == 404


def test_a_trainer_makes_a_new_link_for_a_learner_who_never_chose_a_password_and_the_old_one_dies(app, make_user):
    trainer, group_id = _setup(app, make_user)
    page = trainer.post(f"/groups/{group_id}/import", {"roster": "ann@example.org,Ann\n"}).get_data(as_text=True)
    [first] = re.findall(r"<code>http://localhost(/welcome/[^<]+)</code>", page)
    with app.app_context():
        ann = db.session.scalar(select(User.id).where(User.email == "ann@example.org"))
    assert "No password chosen yet" in trainer.get(f"/groups/{group_id}").get_data(as_text=True)
    response = trainer.post(f"/groups/{group_id}/members/{ann}/set-password-link", {}, token_from=f"/groups/{group_id}")
    [second] = re.findall(r"<code data-link>http://localhost(/welcome/[^<]+)</code>", response.get_data(as_text=True))
    learner = Browser(app.test_client())
    assert learner.get(first).status_code == 404                   # the lost link no longer works
    assert learner.post(second, {"password": "my own passphrase", "confirm": "my own passphrase"}).status_code == 302
    with app.app_context():
        assert "set_password_link_reissued" in db.session.scalars(select(AuditEntry.action)).all()
    # Once the learner has a password, no trainer can make a link for the account again.
    assert trainer.post(f"/groups/{group_id}/members/{ann}/set-password-link", {},
                        token_from=f"/groups/{group_id}").status_code == 404
    assert "No password chosen yet" not in trainer.get(f"/groups/{group_id}").get_data(as_text=True)


def test_only_the_groups_trainer_or_an_admin_can_make_a_new_link(app, make_user):
    trainer, group_id = _setup(app, make_user)
    trainer.post(f"/groups/{group_id}/import", {"roster": "ann@example.org,Ann\n"})
    make_user("other@example.org", "trainer")
    make_user("admin@example.org", "admin")
    with app.app_context():
        ann = db.session.scalar(select(User.id).where(User.email == "ann@example.org"))
    url = f"/groups/{group_id}/members/{ann}/set-password-link"
    codes = {name: browser.post(url, {}, token_from="/account/settings").status_code
             for name, browser in (("taken", logged_in(app, "taken@example.org")),
                                   ("other", logged_in(app, "other@example.org")),
                                   ("admin", logged_in(app, "admin@example.org")))}
    assert codes == {"taken": 403, "other": 404, "admin": 200}
    assert Browser(app.test_client()).post(url, {}, token_from="/account/login").status_code == 302   # to log in
