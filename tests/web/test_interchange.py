"""The import page (upload -> preview -> confirm) and export downloads, through the test client with CSRF on."""

import io
import re

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Question
from tests.conftest import Browser, csrf_from

GIFT = """$CATEGORY: Imported/Fruit

::Banana::Which fruit is yellow and curved? {
=Banana#It is yellow and curved.
~Cherry
~Grape
####Ripe bananas are yellow.
}

::Plum::[html]<p>Which fruit is <b>purple</b>?<script>alert(1)</script></p> {=Plum ~Lemon}
"""
BAD = "\n\nNo right answer here? {~x ~y}\n"


def login(app, make_user, email, role):
    make_user(email, role)
    browser = Browser(app.test_client())
    browser.login(email)
    return browser


@pytest.fixture
def trainer(app, make_user):
    return login(app, make_user, "trainer@example.org", "trainer")


def upload(browser: Browser, text: str | bytes, name="bank.gift", **fields):
    raw = text.encode() if isinstance(text, str) else text
    data = {"file": (io.BytesIO(raw), name), "text_format": "", **fields}
    return browser.post("/trainer/import", data, token_from="/trainer/import", content_type="multipart/form-data")


def confirm(browser: Browser, preview_html: str, action="import", mapping=None, **fields):
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview_html).group(1)
    data = {"csrf_token": csrf_from(preview_html), "token": token, "text_format": "", "action": action, **fields}
    for number, (category, topic) in enumerate((mapping or {}).items()):
        data[f"cat-{number}"], data[f"map-{number}"] = category, topic
    return browser.client.post("/trainer/import/confirm", data=data)


def count_questions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Question))


def test_upload_shows_a_preview_and_stores_nothing(app, trainer):
    before = count_questions(app)
    response = upload(trainer, GIFT)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 new (as drafts), 2 waiting for a topic, 0 updated, 0 unchanged, 0 conflicts, 0 refused" in page
    assert 'name="cat-0" value="Imported/Fruit"' in page
    assert count_questions(app) == before


def test_mapping_a_category_then_importing_creates_drafts(app, trainer):
    preview = upload(trainer, GIFT).get_data(as_text=True)
    updated = confirm(trainer, preview, action="preview", mapping={"Imported/Fruit": "alpha.first"}).get_data(as_text=True)
    assert "2 new (as drafts), 0 updated, 0 unchanged, 0 conflicts, 0 refused" in updated
    assert "Before publishing: 2 options without a why" in updated
    response = confirm(trainer, updated, mapping={"Imported/Fruit": "alpha.first"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/trainer/?status=draft")
    with app.app_context():
        drafts = db.session.scalars(select(Question).where(Question.status == "draft").order_by(Question.id)).all()
        assert [(q.id, q.topic_id, q.source_ref) for q in drafts] == [("ALP-001", "alpha.first", "name:Banana"),
                                                                      ("ALP-002", "alpha.first", "name:Plum")]
        assert drafts[1].current_version.stem == "Which fruit is **purple**?"
    page = trainer.get("/trainer/questions/ALP-002").get_data(as_text=True)
    assert "<strong>purple</strong>" in page and "alert(1)" not in page


def test_a_file_with_a_refused_question_imports_nothing(app, trainer):
    before = count_questions(app)
    preview = upload(trainer, GIFT + BAD).get_data(as_text=True)
    response = confirm(trainer, preview, mapping={"Imported/Fruit": "alpha.first"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported" in page and "bank.gift:13</code>: no option is marked correct" in page
    assert count_questions(app) == before


def test_importing_the_good_ones_skips_and_lists_the_bad(app, trainer):
    before = count_questions(app)
    preview = upload(trainer, GIFT + BAD, skip_bad="y").get_data(as_text=True)
    response = confirm(trainer, preview, mapping={"Imported/Fruit": "alpha.first"}, skip_bad="y")
    assert response.status_code == 302
    assert count_questions(app) == before + 2
    assert "Skipped: 1." in trainer.get("/trainer/?status=draft").get_data(as_text=True)


def test_a_reimport_updates_and_does_not_duplicate(app, trainer):
    mapping = {"Imported/Fruit": "alpha.first"}
    confirm(trainer, upload(trainer, GIFT).get_data(as_text=True), mapping=mapping)
    preview = confirm(trainer, upload(trainer, GIFT.replace("curved?", "curved when ripe?")).get_data(as_text=True),
                      action="preview", mapping=mapping).get_data(as_text=True)
    assert "0 new (as drafts), 1 updated, 1 unchanged" in preview and "a new version of ALP-001 (Stem)" in preview


def test_another_trainers_upload_is_not_found(app, make_user, trainer):
    preview = upload(trainer, GIFT).get_data(as_text=True)
    other = login(app, make_user, "other@example.org", "trainer")
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview).group(1)
    page = other.get("/trainer/import").get_data(as_text=True)
    response = other.client.post("/trainer/import/confirm", data={"csrf_token": csrf_from(page), "token": token,
                                                                  "action": "import"})
    assert response.status_code == 404
    missing = other.client.post("/trainer/import/confirm", data={"csrf_token": csrf_from(page), "token": "x" * 32,
                                                                 "action": "import"})
    assert missing.status_code == 404


def big_upload(browser: Browser, raw: bytes):
    """A multipart body built here: the test client spools large ones to a temporary file it never closes."""
    boundary = "studyapp-test-boundary"
    token = browser.token("/trainer/import")
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.gift\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + raw + f"\r\n--{boundary}--\r\n".encode()
    return browser.client.post("/trainer/import", input_stream=io.BytesIO(body), content_length=len(body),
                               content_type=f"multipart/form-data; boundary={boundary}")


def test_uploads_past_the_app_limit_but_under_ten_megabytes_are_read(trainer):
    response = big_upload(trainer, b"Q? {=a ~b}\n\n" * 250_000)
    assert response.status_code == 200  # 3 MB, past the 2 MB every other form is held to
    assert "file holds 250,000 questions; an import file may hold at most 5,000" in response.get_data(as_text=True)


def test_an_upload_over_the_cap_is_refused(trainer):
    assert big_upload(trainer, b"x" * (11 * 1024 * 1024)).status_code == 413


def test_binary_garbage_is_refused_with_a_clear_message(trainer):
    page = upload(trainer, bytes(range(256)) * 100, name="junk.gift").get_data(as_text=True)
    assert "this is a binary file, not a text file of questions" in page


def test_an_upload_without_a_file_is_a_400(trainer):
    page = trainer.get("/trainer/import").get_data(as_text=True)
    response = trainer.client.post("/trainer/import", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 400 and "Choose a file to import." in response.get_data(as_text=True)


@pytest.mark.parametrize("fmt, marker", [("gift", "::TST-001::"), ("aiken", "ANSWER: "), ("moodlexml", "<quiz>"),
                                         ("csv", "id,topic,level,stem"), ("apkg", "PK"), ("yaml", "PK")])
def test_export_downloads_each_format(trainer, fmt, marker):
    response = trainer.get(f"/trainer/export/download?format={fmt}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert marker.encode() in response.data[:4000]


def test_export_follows_the_bank_filter(trainer):
    page = trainer.get("/trainer/export?module=beta").get_data(as_text=True)
    assert "4 questions" in page and 'name="module" value="beta"' in page
    gift = trainer.get("/trainer/export/download?format=gift&module=beta").get_data(as_text=True)
    assert gift.count("::TST-") == 4
    assert trainer.get("/trainer/export/download?format=exe").status_code == 400
    assert trainer.get("/trainer/export/download?format=gift&module=nope").status_code == 400


def test_the_bank_page_links_to_import_and_export(trainer):
    page = trainer.get("/trainer/?module=beta").get_data(as_text=True)
    assert 'href="/trainer/import"' in page and 'href="/trainer/export?module=beta"' in page


@pytest.mark.parametrize("url", ["/trainer/import", "/trainer/export", "/trainer/export/download?format=gift"])
def test_only_trainers_and_admins_reach_the_import_and_export_pages(app, make_user, client, url):
    assert client.get(url).status_code == 302  # anonymous: to the login page
    learner = login(app, make_user, "l@example.org", "learner")
    assert learner.get(url).status_code == 404  # the trainer's area does not exist for learners
    for email, role in (("t@example.org", "trainer"), ("a@example.org", "admin")):
        assert login(app, make_user, email, role).get(url).status_code == 200


def test_learners_cannot_post_an_import(app, make_user):
    learner = login(app, make_user, "l@example.org", "learner")
    page = learner.get("/dashboard").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "file": (io.BytesIO(GIFT.encode()), "q.gift")}
    assert learner.client.post("/trainer/import", data=data, content_type="multipart/form-data").status_code == 404
    assert learner.client.post("/trainer/import/confirm", data={"csrf_token": csrf_from(page)}).status_code == 404
