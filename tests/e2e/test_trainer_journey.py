"""The trainer's journey in a real browser: search the bank, duplicate and edit a question with
the live preview, publish it, and a learner answers it. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from studyapp.auth.services import create_user
from studyapp.extensions import db
from studyapp.models import Answer, Question, Topic
from tests.conftest import PASSWORD
from tests.e2e.conftest import axe_violations, with_axe

pytestmark = pytest.mark.e2e
NEW_STEM = "In a browser check of the editor, which statement about this topic holds?"


def smallest_topic(app) -> tuple[Topic, Question]:
    """A topic small enough that one practice session holds all its questions, and one of them."""
    with app.app_context():
        create_user("tess@example.org", PASSWORD, "Tess", "trainer")
        db.session.commit()
        counts = select(Question.topic_id, func.count()).group_by(Question.topic_id).order_by(func.count(), Question.topic_id)
        topic_id = db.session.execute(counts).first()[0]
        question = db.session.scalar(select(Question).where(Question.topic_id == topic_id).order_by(Question.id))
        topic = db.session.get(Topic, topic_id)
        db.session.expunge_all()
        return topic, question


def log_in(page, base, email):
    page.goto(f"{base}/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def check_accessibility(page, axe_source, where: str):
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page, axe_source) == [], f"{where} ({scheme})"
    page.emulate_media(color_scheme="light")


def test_trainer_searches_edits_previews_publishes_and_a_learner_answers(live_server, page, axe_source):
    base, app = live_server
    topic, original = smallest_topic(app)
    with app.app_context():
        stem_words = " ".join(db.session.get(Question, original.id).current_version.stem.split()[:4])
    with_axe(page, axe_source)
    log_in(page, base, "tess@example.org")

    page.goto(f"{base}/trainer/")
    page.get_by_label("Search stems, options and explanations").fill(stem_words)
    page.get_by_label("Topic").select_option(topic.id)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"q=.+&.*topic="))
    check_accessibility(page, axe_source, "bank page")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_accessibility(page, axe_source, "bank page on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name=original.id).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(original.id)
    expect(page.get_by_text("correct answer")).to_be_visible()
    check_accessibility(page, axe_source, "question page")

    page.get_by_role("button", name="Duplicate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit")
    page.get_by_label("Question (stem)").fill(NEW_STEM)
    preview = page.locator("[data-preview-target]")
    expect(preview.locator(".stem").first).to_contain_text("browser check of the editor")  # the live preview
    expect(preview.get_by_text("correct answer")).to_be_visible()
    check_accessibility(page, axe_source, "editor with preview")
    page.get_by_role("button", name="Save new version").click()
    expect(page.locator(".flash.success")).to_be_visible()
    copy_id = re.search(r"/trainer/questions/([A-Z]+-\d+)", page.url).group(1)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash.success")).to_contain_text(f"{copy_id} is now published")

    learner = page.context.browser.new_context().new_page()
    with app.app_context():
        create_user("lena@example.org", PASSWORD, "Lena", "learner")
        db.session.commit()
    log_in(learner, base, "lena@example.org")
    learner.goto(f"{base}/syllabus/{topic.id.replace('.', '/')}")
    learner.get_by_role("button", name="Practise this topic").click()
    for _ in range(12):
        expect(learner.locator(".stem")).to_be_visible()
        found = NEW_STEM in learner.locator(".stem").inner_text()
        learner.locator("input[name=choice]").first.check()
        learner.get_by_role("button", name="Check answer").click()
        expect(learner.locator(".verdict")).to_be_visible()
        if found:
            break
        learner.locator("[data-next]").click()
    else:
        pytest.fail("the learner never met the published question")
    with app.app_context():
        given = db.session.scalar(select(Answer).where(Answer.question_id == copy_id))
        assert given is not None
        assert given.question_version_id == db.session.get(Question, copy_id).current_version_id
