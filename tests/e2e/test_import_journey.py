"""A trainer's import in a real browser: upload a GIFT file, map its category to a topic, import,
publish one of the new drafts and download the bank as an Anki deck. axe-core checks each page."""

import io
import zipfile

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from studyapp.auth.services import create_user
from studyapp.extensions import db
from studyapp.models import Question, Topic
from tests.conftest import PASSWORD
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

GIFT = """$CATEGORY: $course$/top/Workshop/Offices

::Browser import one::In the browser import check, which colour is the imported sky? {
=Blue#The import kept this option's why.
~Green#Grass, not sky.
~Red#A sunset at most.
####The browser journey imports this explanation.
}

::Browser import two::In the browser import check, how many wheels has the imported bicycle? {=Two ~Three ~Five}
"""


def test_trainer_uploads_maps_imports_publishes_and_exports_an_anki_deck(live_server, page, axe_source, tmp_path):
    base, app = live_server
    with app.app_context():
        create_user("tess@example.org", PASSWORD, "Tess", "trainer")
        db.session.commit()
        topic = db.session.scalar(select(Topic).order_by(Topic.id))
        topic_id, topic_title = topic.id, topic.title
    page.goto(f"{base}/account/login")
    page.get_by_label("Email").fill("tess@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{base}/trainer/")
    page.get_by_role("link", name="Import").click()
    assert axe_violations(page, axe_source) == [], "upload page"
    path = tmp_path / "workshop.gift"
    path.write_text(GIFT, encoding="utf-8")
    page.get_by_label("Question file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("status")).to_contain_text("2 new (as drafts), 2 waiting for a topic, 0 updated, 0 unchanged, 0 conflicts, 0 refused")
    assert axe_violations(page, axe_source) == [], "preview page"

    page.get_by_label("$course$/top/Workshop/Offices").select_option(topic_id)
    page.get_by_role("button", name="Update preview").click()
    expect(page.get_by_role("status")).to_contain_text("2 new (as drafts)")
    expect(page.get_by_role("combobox", name="$course$/top/Workshop/Offices")).to_have_value(topic_id)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported workshop.gift")).to_be_visible()

    with app.app_context():
        drafts = db.session.scalars(select(Question).where(Question.source_ref.like("name:Browser import%"))
                                    .order_by(Question.source_ref)).all()
        assert [(q.status, q.topic_id) for q in drafts] == [("draft", topic_id), ("draft", topic_id)]
        first = drafts[0].id
    page.goto(f"{base}/trainer/questions/{first}")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"{first} is now published.")).to_be_visible()

    page.goto(f"{base}/trainer/")
    page.get_by_role("link", name="Export").click()
    assert axe_violations(page, axe_source) == [], "export page"
    page.get_by_label("Format").select_option("apkg")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    deck = download_info.value.path().read_bytes()
    assert "collection.anki2" in zipfile.ZipFile(io.BytesIO(deck)).namelist()
    assert topic_title  # the topic was offered by its title in the mapping select
