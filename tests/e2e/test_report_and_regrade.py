"""A learner reports a question from the feedback page; a trainer finds it in the queue, corrects the key,
and the learner's result changes. axe-core checks the pages on the way."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from studyapp.auth.services import create_user
from studyapp.extensions import db
from studyapp.models import Answer
from tests.conftest import PASSWORD
from tests.e2e.conftest import axe_violations
from tests.e2e.test_trainer_journey import check_accessibility, log_in

pytestmark = pytest.mark.e2e


def test_learner_reports_trainer_fixes_the_key_and_the_learners_result_changes(live_server, page, axe_source):
    base, app = live_server
    # The app's CSP stays as served: axe is evaluated through the DevTools protocol (tests/e2e/conftest.py).
    browser = page.context.browser
    page = browser.new_context().new_page()
    with app.app_context():
        create_user("lena@example.org", PASSWORD, "Lena", "learner")
        create_user("tess@example.org", PASSWORD, "Tess", "trainer")
        db.session.commit()
    log_in(page, base, "lena@example.org")
    page.goto(f"{base}/practice/")
    page.get_by_role("button", name="Start").first.click()
    page.locator("input[name=choice]").first.check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".verdict")).to_be_visible()
    feedback_url, verdict = page.url, page.locator(".verdict").inner_text()
    page.get_by_text("Report a problem with this question").click()
    check_accessibility(page, axe_source, "feedback page with the report form")
    page.get_by_label("The key is wrong").check()
    page.get_by_label("Tell us more (optional)").fill("I am sure the first option is the right one.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator(".flash.success")).to_contain_text("a trainer will look at this question")
    with app.app_context():
        given = db.session.scalar(select(Answer))
        question_id, chosen, key = given.question_id, given.chosen_option, given.question_version.correct_index
    right = chosen if chosen != key else (key + 1) % 4       # the learner's mark flips either way

    trainer = browser.new_context().new_page()
    log_in(trainer, base, "tess@example.org")
    trainer.goto(f"{base}/trainer/reports")
    expect(trainer.get_by_role("heading", name=f"{question_id} · 1 open report")).to_be_visible()
    expect(trainer.get_by_text("I am sure the first option is the right one.")).to_be_visible()
    check_accessibility(trainer, axe_source, "reports queue")
    trainer.get_by_role("link", name="Open the question (edit, correct the key)").click()
    expect(trainer.get_by_text("1 open learner report.")).to_be_visible()
    check_accessibility(trainer, axe_source, "question page with statistics")
    trainer.get_by_label("Version").select_option("1")
    trainer.get_by_label("The right answer is").select_option(str(right))
    trainer.get_by_role("button", name="Correct the key and regrade").click()
    expect(trainer.locator(".flash.success")).to_contain_text("1 answer rescored")

    page.goto(feedback_url)
    expect(page.locator(".verdict")).not_to_have_text(verdict)
    expect(page.locator(".verdict")).to_contain_text("Right" if chosen == right else "Not quite")
    page.goto(f"{base}/dashboard")
    expect(page.get_by_text("the key of this question was wrong")).to_be_visible()
    assert axe_violations(page, axe_source) == []
