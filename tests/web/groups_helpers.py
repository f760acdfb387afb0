"""Small helpers for the groups tests: make a group through the web and join it by link."""

import re

from tests.conftest import Browser


def create_group(trainer: Browser, name: str = "Class A", **fields) -> int:
    """Create a group as this (logged-in) trainer; returns its id."""
    response = trainer.post("/groups/new", {"name": name, "exam_date": "", **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def join_link(trainer: Browser, group_id: int) -> str:
    """The group's join link (path only) as its page shows it."""
    page = trainer.get(f"/groups/{group_id}").get_data(as_text=True)
    match = re.search(r'href="(/join/[0-9A-Z]+)" data-join-link', page)
    assert match, "the group page shows no join link"
    return match.group(1)


def join(learner: Browser, link: str):
    return learner.post(link, {}, token_from=link)


def logged_in(app, email: str) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(email).status_code == 302
    return browser
