"""Sitting a short mock exam in a real browser: answer, flag, navigate, submit, read the result."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_journey import register

pytestmark = pytest.mark.e2e


def test_sit_a_short_mock_flag_a_question_submit_and_read_the_result(live_app, page):
    register(page, live_app)
    page.get_by_role("link", name="Mock exams").click()
    page.get_by_role("button", name="Start a mock exam").click()

    expect(page.get_by_text("question 1 of 5")).to_be_visible()
    expect(page.locator("[data-clock]")).to_have_text(re.compile(r"^[34]:\d\d$"))
    expect(page.locator(".feedback")).to_have_count(0)  # no feedback during the exam

    page.wait_for_load_state("load")                   # app.js listens for keys from DOMContentLoaded on
    page.keyboard.press("1")
    page.keyboard.press("Enter")                       # save and next
    expect(page.get_by_text("question 2 of 5")).to_be_visible()
    page.wait_for_load_state("load")
    page.keyboard.press("2")
    page.keyboard.press("f")                           # flag for review
    expect(page.locator("input[name=flagged]")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_text("question 3 of 5")).to_be_visible()
    expect(page.get_by_role("button", name="Question 2, answered, flagged")).to_be_visible()
    page.wait_for_load_state("load")

    page.get_by_role("button", name="Question 2, answered, flagged").click()   # back via the grid
    expect(page.get_by_text("question 2 of 5")).to_be_visible()
    expect(page.locator("input[name=choice]").nth(1)).to_be_checked()

    page.reload()                                      # resume: same question, same answer
    expect(page.locator("input[name=choice]").nth(1)).to_be_checked()

    page.get_by_role("button", name="Review and submit").first.click()
    expect(page.get_by_text(re.compile(r"2 of 5 answered: 3 still blank"))).to_be_visible()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Submit exam").click()

    expect(page.locator("h1")).to_have_text(re.compile(r"^\d / 5: (pass|fail)$"))
    expect(page.get_by_text("Pass mark 3.")).to_be_visible()
    expect(page.locator(".mock-review > li")).to_have_count(5)
    expect(page.locator(".mock-review .badge", has_text="flagged")).to_have_count(1)
    expect(page.locator(".mock-review .badge", has_text="blank")).to_have_count(3)
    assert asked and "3 blank and 1 flagged" in asked[0]          # the confirmation said what is open
    page.get_by_role("link", name=re.compile(r"^Blank \(3\)")).click()
    expect(page.locator(".mock-review > li")).to_have_count(3)
    expect(page.locator(".mock-review h3").first).to_have_text(re.compile(r"^Question [345]$"))
    expect(page.get_by_role("link", name=re.compile("Read this in the syllabus")).first).to_be_visible()

    page.get_by_role("link", name="All mocks").click()
    expect(page.locator("table.plain tbody tr")).to_have_count(1)


@pytest.mark.parametrize("live_server", [{"MOCK_MINUTES": 0.15}], indirect=True)
def test_time_up_counts_a_choice_made_but_never_saved_by_a_button(live_app, page):
    register(page, live_app)
    page.goto(f"{live_app}/mock/")
    page.get_by_role("button", name="Start a mock exam").click()
    page.wait_for_load_state("load")
    page.keyboard.press("1")                          # chosen, no button pressed: it must still count
    expect(page.locator("h1")).to_have_text(re.compile(r"^[01] / 5: fail$"), timeout=15_000)
    expect(page.get_by_text("submitted when time ran out")).to_be_visible()
    expect(page.locator(".mock-review .badge", has_text="blank")).to_have_count(4)   # question 1 was scored


def test_leaving_with_an_unsaved_choice_warns_and_resume_returns_to_the_question(live_app, page):
    register(page, live_app)
    page.goto(f"{live_app}/mock/")
    page.get_by_role("button", name="Start a mock exam").click()
    page.get_by_role("button", name=re.compile("^Question 3")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock exam · question 3 of 5")

    page.route("**/save", lambda route: route.abort())   # the connection drops: the choice is not saved
    page.locator("input[name=choice]").nth(2).check()
    expect(page.get_by_text("Not saved yet")).to_be_visible()
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name=re.compile("studyapp")).click()    # leaving by the menu
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock exam · question 3 of 5")
    assert dialogs == ["beforeunload"]

    page.unroute("**/save")
    page.locator("input[name=choice]").nth(1).check()               # saved this time
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    page.goto(f"{live_app}/mock/")                                   # no warning: nothing unsaved
    page.get_by_role("link", name="Resume your exam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock exam · question 3 of 5")
    expect(page.locator("input[name=choice]").nth(1)).to_be_checked()
