"""Every groups route x anonymous, a learner in the group, a learner outside it, the
group's trainer, another trainer and an admin. Another trainer's group is the same 404
as a missing one; 302 means "to the login page" for anonymous and a redirect otherwise."""

from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import User
from tests.conftest import Browser
from tests.web.groups_helpers import create_group, join, join_link, logged_in

ROLES = ("anonymous", "member", "outsider", "trainer", "other_trainer", "admin")

GET_MATRIX = {
    "/groups/": (302, 403, 403, 200, 200, 200),
    "/groups/new": (302, 403, 403, 200, 200, 200),
    "/groups/{g}": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/edit": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/import": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/report": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/report?sort=readiness&dir=desc": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/report/grid.csv": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/report/help.csv": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/learners/{member}": (302, 403, 403, 200, 404, 200),
    "/groups/{g}/learners/{outsider}": (302, 403, 403, 404, 404, 404),
    "/groups/{missing}": (302, 403, 403, 404, 404, 404),
    "/groups/{missing}/report": (302, 403, 403, 404, 404, 404),
    "/join": (200, 200, 200, 200, 200, 200),
    "{link}": (200, 200, 200, 200, 200, 200),
    "/join/AAAABBBBCCCC": (404, 404, 404, 404, 404, 404),
    "/privacy": (200, 200, 200, 200, 200, 200),
    "/welcome/not-a-token": (404, 404, 404, 404, 404, 404),
}


def _world(app, make_user):
    ids = {role: make_user(f"{role}@example.org", role if role in ("admin",) else
                           "trainer" if "trainer" in role else "learner") for role in ROLES[1:]}
    browsers = {"anonymous": Browser(app.test_client())}
    browsers.update({role: logged_in(app, f"{role}@example.org") for role in ROLES[1:]})
    group_id = create_group(browsers["trainer"], "Class A")
    link = join_link(browsers["trainer"], group_id)
    join(browsers["member"], link)
    values = {"g": group_id, "member": ids["member"], "outsider": ids["outsider"], "missing": 999999, "link": link}
    return browsers, values


def test_every_groups_page_answers_each_kind_of_user_as_the_matrix_says(app, make_user):
    browsers, values = _world(app, make_user)
    wrong = []
    for pattern, expected in GET_MATRIX.items():
        url = pattern.format(**values)
        got = tuple(browsers[role].get(url).status_code for role in ROLES)
        if got != expected:
            wrong.append(f"{pattern}: expected {expected}, got {got}")
    assert wrong == []


def _post(browser, url, data=None):
    return browser.post(url, data or {}, token_from="/account/login").status_code


def test_every_groups_action_answers_each_kind_of_user_as_the_matrix_says(app, make_user):
    browsers, v = _world(app, make_user)
    g, member = v["g"], v["member"]
    matrix = {
        f"/groups/{g}/invite": ({"action": "renew"}, (302, 403, 403, 302, 404, 302)),
        f"/groups/{g}/members/{member}/extra-time": ({"granted": "y"}, (302, 403, 403, 302, 404, 302)),
        # The member chose their own password when they signed up: nobody may issue a link for it.
        f"/groups/{g}/members/{member}/set-password-link": ({}, (302, 403, 403, 404, 404, 404)),
        f"/groups/{g}/edit": ({"name": "Renamed"}, (302, 403, 403, 302, 404, 302)),
        f"/groups/{g}/import": ({"roster": "x@example.org,X"}, (302, 403, 403, 200, 404, 200)),
        f"/groups/{v['missing']}/invite": ({"action": "renew"}, (302, 403, 403, 404, 404, 404)),
    }
    wrong = []
    for url, (data, expected) in matrix.items():
        got = tuple(_post(browsers[role], url, data) for role in ROLES)
        if got != expected:
            wrong.append(f"{url}: expected {expected}, got {got}")
    assert wrong == []
    # Join link: learners join; trainers and admins are refused (they see groups from their own pages).
    link = join_link(browsers["trainer"], g)
    assert [_post(browsers[r], link) for r in ("outsider", "trainer", "admin")] == [302, 403, 403]
    # Leave: only a member (the outsider has just joined); others get the same 404 as a group they are not in.
    assert [_post(browsers[r], f"/groups/{g}/leave") for r in ROLES] == [302, 302, 302, 404, 404, 404]
    assert _post(browsers["member"], f"/groups/{g}/leave") == 404   # already left
    # Destructive actions last: another trainer cannot remove or archive; the group's trainer can.
    outsider = v["outsider"]
    assert _post(browsers["outsider"], link) == 302   # back in, so that there is someone to remove
    assert _post(browsers["other_trainer"], f"/groups/{g}/members/{outsider}/remove") == 404
    assert _post(browsers["trainer"], f"/groups/{g}/members/{outsider}/remove") == 302
    assert _post(browsers["member"], f"/groups/{g}/archive") == 403
    assert _post(browsers["other_trainer"], f"/groups/{g}/archive") == 404
    assert _post(browsers["admin"], f"/groups/{g}/archive") == 302
    assert _post(browsers["trainer"], f"/groups/{g}/archive") == 404   # already archived


def test_an_admin_sees_every_group_and_a_trainer_only_their_own(app, make_user):
    browsers, v = _world(app, make_user)
    create_group(browsers["other_trainer"], "Other class")
    assert "Other class" not in browsers["trainer"].get("/groups/").get_data(as_text=True)
    page = browsers["admin"].get("/groups/").get_data(as_text=True)
    assert "Class A" in page and "Other class" in page
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.id == v["member"])) == "learner"
