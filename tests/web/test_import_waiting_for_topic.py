"""Imported questions whose category maps to no topic arrive as drafts waiting for one (issue 9):
listed on the preview, found with the bank's filter, unpublishable and unexportable until a trainer gives them a topic."""

from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import Question
from tests.web.test_authoring import edit_data, status
from tests.web.test_interchange import GIFT, confirm, login, upload


def import_unmapped(trainer):
    preview = upload(trainer, GIFT).get_data(as_text=True)
    assert "2 new (as drafts), 2 waiting for a topic, 0 updated, 0 unchanged, 0 conflicts, 0 refused" in preview
    assert preview.count("waiting for a topic</td>") == 2
    response = confirm(trainer, preview)
    assert response.status_code == 302


def test_unmapped_questions_arrive_as_drafts_the_bank_filter_finds(app, make_user):
    trainer = login(app, make_user, "trainer@example.org", "trainer")
    import_unmapped(trainer)
    with app.app_context():
        drafts = db.session.scalars(select(Question).where(Question.topic_id.is_(None)).order_by(Question.id)).all()
        assert [(q.id, q.status, q.module_id, q.current_version.topic_id) for q in drafts] == [
            ("NEW-001", "draft", None, None), ("NEW-002", "draft", None, None)]
    waiting = trainer.get("/trainer/?topic=none").get_data(as_text=True)
    assert ">NEW-001</a>" in waiting and ">NEW-002</a>" in waiting and ">TST-001</a>" not in waiting and "no topic yet" in waiting
    assert "NEW-001" in trainer.get("/trainer/?sort=topic&dir=desc").get_data(as_text=True)
    assert "NEW-001" not in trainer.get("/trainer/?topic=alpha.first").get_data(as_text=True)
    page = trainer.get("/trainer/questions/NEW-001?topic=none")
    assert page.status_code == 200 and "waiting for a topic" in page.get_data(as_text=True)


def test_a_draft_waiting_for_a_topic_cannot_be_published_until_edited_to_have_one(app, make_user):
    trainer = login(app, make_user, "trainer@example.org", "trainer")
    import_unmapped(trainer)
    refused = status(trainer, "NEW-001", "published")
    assert "Not published: unknown topic None" in trainer.get(refused.headers["Location"]).get_data(as_text=True)
    editor = trainer.get("/trainer/questions/NEW-001/edit").get_data(as_text=True)
    picker = editor[editor.index('name="topic"'):].split("</select>", 1)[0]
    assert picker.startswith('name="topic" required><option value="">— choose a topic —</option>') and "selected" not in picker
    no_topic = trainer.client.post("/trainer/questions/NEW-001/edit", data=edit_data(trainer, "NEW-001", topic=""))
    assert no_topic.status_code == 200 and "unknown topic" in no_topic.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Question, "NEW-001").current_version.version == 1
    saved = trainer.client.post("/trainer/questions/NEW-001/edit", data=edit_data(trainer, "NEW-001", topic="beta.only"))
    assert saved.status_code == 302
    status(trainer, "NEW-001", "published")
    with app.app_context():
        question = db.session.get(Question, "NEW-001")
        assert (question.status, question.topic_id, question.module_id) == ("published", "beta.only", "beta")
    assert ">NEW-001</a>" not in trainer.get("/trainer/?topic=none").get_data(as_text=True)


def test_export_leaves_out_drafts_waiting_for_a_topic_and_says_so(app, make_user):
    trainer = login(app, make_user, "trainer@example.org", "trainer")
    import_unmapped(trainer)
    page = trainer.get("/trainer/export").get_data(as_text=True)
    assert "2 drafts waiting for\n  a topic are left out" in page
    assert "1 draft waiting for" in trainer.get("/trainer/export?q=purple").get_data(as_text=True)
    assert trainer.get("/trainer/export?topic=none").status_code == 200
    for fmt in ("gift", "aiken", "moodlexml", "csv", "yaml", "apkg"):
        response = trainer.get(f"/trainer/export/download?format={fmt}&topic=none")
        assert response.status_code == 200, fmt
    gift = trainer.get("/trainer/export/download?format=gift").get_data(as_text=True)
    assert "TST-001" in gift and "NEW-001" not in gift and "yellow and curved" not in gift


def test_learners_still_get_404_for_the_waiting_filter_and_drafts(app, make_user):
    trainer = login(app, make_user, "trainer@example.org", "trainer")
    import_unmapped(trainer)
    learner = login(app, make_user, "learner2@example.org", "learner")
    for url in ("/trainer/?topic=none", "/trainer/questions/NEW-001", "/trainer/questions/NEW-001/edit"):
        assert learner.get(url).status_code == 404
    assert app.test_client().get("/trainer/?topic=none").status_code == 302
