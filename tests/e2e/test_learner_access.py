"""The learner's pages by keyboard and screen reader, in a real browser: shortcuts that never
hijack a focused link or button, and axe-core over every page state the journeys visit, light
and dark, desktop and phone (it must find no WCAG A/AA violation)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, with_axe
from tests.e2e.test_journey import register

pytestmark = pytest.mark.e2e
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def check_page(page, axe_source, where: str, no_sideways: bool = False):
    """axe-core finds nothing in light and dark, on a desktop and a phone; optionally no sideways scroll."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert axe_violations(page, axe_source) == [], f"{where} ({scheme}, {size['width']} px)"
        if no_sideways and size is PHONE:
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, f"{where} scrolls sideways"
    page.set_viewport_size(DESKTOP)
    page.emulate_media(color_scheme="light")


def answer_one(page, key="1"):
    expect(page.locator("#answer-form")).to_be_visible()
    page.wait_for_load_state("load")                  # app.js listens from DOMContentLoaded on
    page.keyboard.press(key)
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_be_visible()


def test_enter_on_a_focused_link_does_what_the_link_says_on_practice_pages(live_app, page):
    register(page, live_app)
    page.goto(f"{live_app}/syllabus/principles/strategy-alignment")
    page.get_by_role("button", name="Practise this topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Question 1 of \d+$"))
    page.wait_for_load_state("load")
    expect(page.get_by_text("Strategy alignment · level")).to_be_visible()     # the topic by its title

    page.keyboard.press("Tab")                                  # the skip link
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    expect(page.locator(".verdict")).to_have_count(0)            # no empty answer was submitted

    page.locator("input[name=choice]").first.focus()
    answer_one(page)
    expect(page.locator(".verdict")).to_be_focused()            # the verdict is read, not skipped
    link = page.get_by_role("link", name=re.compile("Read this in the syllabus"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/syllabus/principles/strategy-alignment"))

    page.go_back()
    expect(page.locator(".verdict")).to_be_visible()
    page.get_by_role("link", name=re.compile("End this session")).focus()
    page.keyboard.press("Enter")                                 # leaves the session by its link
    expect(page.get_by_role("heading", name="Session summary")).to_be_visible()


def test_single_key_shortcuts_can_be_turned_off_and_enter_still_checks(live_app, page):
    register(page, live_app)
    page.goto(f"{live_app}/account/settings")
    page.get_by_label("Single-key shortcuts").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash.success")).to_be_visible()
    page.goto(f"{live_app}/syllabus/principles/strategy-alignment")
    page.get_by_role("button", name="Practise this topic").click()
    page.wait_for_load_state("load")
    page.locator("body").press("1")
    expect(page.locator("input[name=choice]:checked")).to_have_count(0)
    page.keyboard.press("g")
    expect(page.locator("input[name=guessed]")).not_to_be_checked()
    page.locator("input[name=choice]").nth(1).check()
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_be_visible()


def test_practice_form_error_is_tied_to_the_answer_and_takes_focus(live_app, page):
    register(page, live_app)
    page.goto(f"{live_app}/syllabus/principles/strategy-alignment")
    page.get_by_role("button", name="Practise this topic").click()
    page.get_by_role("button", name="Check answer").click()      # nothing chosen
    first = page.locator("input[name=choice]").first
    expect(first).to_have_attribute("aria-invalid", "true")
    expect(first).to_be_focused()
    expect(page.locator("fieldset.options")).to_have_attribute("aria-describedby", "choice-error")
    expect(page.locator("#choice-error")).to_contain_text("Choose an answer first")


def test_enter_on_mock_grid_previous_and_review_buttons_does_what_they_say(live_app, page):
    register(page, live_app)
    page.goto(f"{live_app}/mock/")
    page.get_by_role("button", name="Start a mock exam").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Syllabus")).to_have_count(0)  # closed book
    answer_key = page.keyboard
    answer_key.press("1")
    answer_key.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock exam · question 2 of 5")
    expect(page.get_by_role("button", name=re.compile("^Question 2"))).to_have_attribute("aria-current", "step")
    page.wait_for_load_state("load")

    page.get_by_role("button", name="← Previous").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock exam · question 1 of 5")

    page.get_by_role("button", name=re.compile("^Question 4")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mock exam · question 4 of 5")

    page.get_by_role("button", name="Review and submit").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    expect(page.locator(".jump-list a")).to_have_count(4)        # the four blank questions, listed


def test_every_learner_page_passes_axe_light_and_dark_on_desktop_and_phone(live_app, page, axe_source):
    with_axe(page, axe_source)
    page.goto(live_app)
    check_page(page, axe_source, "home (visitor)")
    page.goto(f"{live_app}/account/register")
    page.get_by_role("button", name="Create account").click()    # every field left empty
    expect(page.locator("[aria-invalid=true]").first).to_be_focused()
    check_page(page, axe_source, "register with errors")
    register(page, live_app)
    check_page(page, axe_source, "empty dashboard", no_sideways=True)
    page.goto(f"{live_app}/syllabus/principles/strategy-alignment")
    check_page(page, axe_source, "syllabus topic")
    page.goto(f"{live_app}/syllabus/glossary?q=nothing-matches-this")
    expect(page.get_by_text("No term matches")).to_have_count(2)
    check_page(page, axe_source, "glossary, nothing found")
    page.goto(f"{live_app}/practice/")
    check_page(page, axe_source, "practice chooser")
    page.get_by_role("button", name=re.compile(r"^Start\W+Mixed")).click()   # six distinct names
    check_page(page, axe_source, "practice question")
    for _ in range(3):
        answer_one(page)
        check_page(page, axe_source, "practice feedback")
        page.keyboard.press("Enter")
    page.get_by_role("link", name=re.compile("End this session")).click()
    check_page(page, axe_source, "session summary")
    page.goto(f"{live_app}/dashboard")
    check_page(page, axe_source, "dashboard with answers", no_sideways=True)
    page.goto(f"{live_app}/report")
    check_page(page, axe_source, "report", no_sideways=True)
    page.goto(f"{live_app}/account/settings")
    check_page(page, axe_source, "settings")

    page.goto(f"{live_app}/mock/")
    check_page(page, axe_source, "mock index")
    page.get_by_role("button", name="Start a mock exam").click()
    page.wait_for_load_state("load")
    page.keyboard.press("2")
    page.keyboard.press("f")
    check_page(page, axe_source, "mock question")
    page.get_by_role("button", name="Review and submit").click()
    check_page(page, axe_source, "mock review")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit exam").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^\d / 5: (pass|fail)$"))
    check_page(page, axe_source, "mock result", no_sideways=True)
