"""A trainer creates a group, a learner joins by its link (signing up on the way) and
answers questions, and the trainer sees that learner in the group report. axe-core checks
each page, light and dark, and the report on a phone."""

import re

import pytest
from playwright.sync_api import expect

from studyapp.auth.services import create_user
from studyapp.extensions import db
from tests.conftest import PASSWORD
from tests.e2e.conftest import with_axe
from tests.e2e.test_trainer_journey import check_accessibility, log_in

pytestmark = pytest.mark.e2e
LEARNER_PASSWORD = "a fresh passphrase 42"


def test_trainer_creates_a_group_learner_joins_and_answers_and_shows_in_the_report(live_server, page, axe_source):
    base, app = live_server
    with app.app_context():
        create_user("tess@example.org", PASSWORD, "Tess", "trainer")
        db.session.commit()
    with_axe(page, axe_source)
    log_in(page, base, "tess@example.org")
    page.get_by_role("link", name="Groups").click()
    page.get_by_role("link", name="New group").click()
    check_accessibility(page, axe_source, "new group form")
    page.get_by_label("Group name").fill("Tuesday class")
    page.get_by_role("button", name="Create group").click()
    expect(page.locator(".flash.success")).to_contain_text("Tuesday class")
    check_accessibility(page, axe_source, "group page")
    link = page.locator("[data-join-link]").inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/join/[0-9A-Z]{12}", link)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "the join link pushes the page sideways"
    page.set_viewport_size({"width": 1280, "height": 900})

    learner = with_axe(page.context.browser.new_context().new_page(), axe_source)
    learner.goto(link)
    expect(learner.get_by_role("heading", level=1)).to_contain_text("Join Tuesday class")
    check_accessibility(learner, axe_source, "join page")
    learner.get_by_label("Name").fill("Lena Learner")
    learner.get_by_label("Email").fill("lena@example.org")
    learner.get_by_label("Password", exact=True).fill(LEARNER_PASSWORD)
    learner.get_by_label("Repeat password").fill(LEARNER_PASSWORD)
    learner.get_by_role("button", name="Create account and join").click()
    learner.get_by_label("Email").fill("lena@example.org")
    learner.get_by_label("Password").fill(LEARNER_PASSWORD)
    learner.get_by_role("button", name="Log in").click()
    expect(learner.get_by_text("You are in this group")).to_be_visible()
    learner.goto(f"{base}/dashboard")
    expect(learner.locator("[data-my-groups]")).to_contain_text("Tuesday class")
    check_accessibility(learner, axe_source, "dashboard with a group")

    learner.get_by_role("button", name="Practise new questions").click()
    for _ in range(3):
        learner.locator("input[name=choice]").first.check()
        learner.get_by_role("button", name="Check answer").click()
        expect(learner.locator(".verdict")).to_be_visible()
        learner.locator("[data-next]").click()

    page.get_by_role("link", name="Group report").first.click()
    grid = page.locator("[data-grid]")
    expect(grid.get_by_role("rowheader", name="Lena Learner")).to_be_visible()
    # The learner picked the first shown option three times: each topic they met now shows either
    # an estimate with its band or, while the band is wide, "too little data (n answers)".
    expect(grid.get_by_text(re.compile(r"too little data \(\d answers?\)|\d+ % \(\d+–\d+\)")).first).to_be_visible()
    check_accessibility(page, axe_source, "group report")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_accessibility(page, axe_source, "group report on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    grid.get_by_role("link", name="Lena Learner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Learner")
    check_accessibility(page, axe_source, "the learner's page as the trainer sees it")
