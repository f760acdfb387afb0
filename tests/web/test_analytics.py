"""Item analysis over the test client: reports (file, queue, resolve, outcome), regrading, statistics in the bank."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.analytics.stats import refresh
from studyapp.authoring.services import save_question
from studyapp.content.questions import version_content
from studyapp.extensions import db
from studyapp.models import (
    Answer, AuditEntry, Card, MockExam, MockItem, ProblemReport, Question, SessionItem, User, utcnow,
)
from studyapp.practice.services import rebuilt_card
from tests.conftest import Browser, answer, csrf_from, start_session
from tests.web.test_exams import save, start_mock


@pytest.fixture
def people(app, make_user):
    browsers = {}
    for role, email, kind in (("learner", "learner@example.org", "learner"), ("other", "other@example.org", "learner"),
                              ("trainer", "trainer@example.org", "trainer"), ("admin", "admin@example.org", "admin")):
        make_user(email, kind)
        browsers[role] = Browser(app.test_client())
        browsers[role].login(email)
    return browsers


def answered_item(app, browser: Browser) -> tuple[str, int, str]:
    """Answer question 1 of a new practice session; (page URL, session item id, question id)."""
    url = start_session(browser)
    answer(browser, url)
    session_id, position = (int(part) for part in url.split("/")[2:4])
    with app.app_context():
        item = db.session.scalar(select(SessionItem).where(SessionItem.session_id == session_id,
                                                           SessionItem.position == position))
        return url, item.id, item.question_id


def report(browser: Browser, url: str, kind: str, item: int, reason="key", text=""):
    page = browser.get(url).get_data(as_text=True)
    return browser.client.post("/report-problem", data={"csrf_token": csrf_from(page), "kind": kind, "item": str(item),
                                                        "reason": reason, "text": text})


def test_learner_reports_trainer_dismisses_and_only_the_reporter_sees_the_outcome(app, people):
    learner, other, trainer = people["learner"], people["other"], people["trainer"]
    url, item, question_id = answered_item(app, learner)
    assert "Report a problem with this question" in learner.get(url).get_data(as_text=True)
    response = report(learner, url, "practice", item, "unclear", "<script>alert(1)</script> option B reads oddly")
    assert response.status_code == 302 and response.headers["Location"] == url
    again = report(learner, url, "practice", item, "typo")
    assert "already reported" in learner.get(again.headers["Location"]).get_data(as_text=True)
    queue = trainer.get("/trainer/reports").get_data(as_text=True)
    assert question_id in queue and "The wording is unclear: 1" in queue
    assert "&lt;script&gt;alert(1)&lt;/script&gt; option B reads oddly" in queue and "<script>alert" not in queue
    assert question_id in trainer.get("/trainer/?attention=y").get_data(as_text=True)
    assert "1 open learner report." in trainer.get(f"/trainer/questions/{question_id}").get_data(as_text=True)
    refused = trainer.post(f"/trainer/reports/{question_id}/resolve", {"action": "dismissed", "note": ""},
                           token_from="/trainer/reports")
    assert "Say why" in trainer.get(refused.headers["Location"]).get_data(as_text=True)
    trainer.post(f"/trainer/reports/{question_id}/resolve", {"action": "dismissed", "note": "Option B is the syllabus wording."},
                 token_from="/trainer/reports")
    dashboard = learner.get("/dashboard").get_data(as_text=True)
    assert "Dismissed: Option B is the syllabus wording." in dashboard
    assert "Dismissed" not in other.get("/dashboard").get_data(as_text=True)
    assert "No open reports" in trainer.get("/trainer/reports").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProblemReport)) == 1
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_id == question_id)) == "reports-dismissed"


def test_fixed_needs_a_newer_version_and_then_tells_the_reporter(app, people):
    learner, trainer = people["learner"], people["trainer"]
    url, item, question_id = answered_item(app, learner)
    report(learner, url, "practice", item, "typo", "colour is misspelt")
    response = trainer.post(f"/trainer/reports/{question_id}/resolve", {"action": "fixed"}, token_from="/trainer/reports")
    assert "no version newer" in trainer.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():   # the trainer edits the question (the editor's own service; its web form is tested elsewhere)
        question = db.session.get(Question, question_id)
        content = version_content(question.current_version)
        trainer_user = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
        save_question(question, {**content, "stem": content["stem"] + " (fixed)"}, 1, trainer_user, utcnow())
        db.session.commit()
    trainer.post(f"/trainer/reports/{question_id}/resolve", {"action": "fixed", "note": "Thanks!"}, token_from="/trainer/reports")
    assert "Fixed: the question was changed (version 2). Thanks!" in learner.get("/dashboard").get_data(as_text=True)


def test_a_report_names_your_own_answered_item_only_and_is_throttled(app, people):
    learner, other = people["learner"], people["other"]
    url, item, _ = answered_item(app, learner)
    assert report(other, "/practice/", "practice", item).status_code == 404       # another learner's item
    assert report(learner, url, "practice", item + 1).status_code == 404          # not answered yet
    assert report(learner, url, "mock", item).status_code == 404                  # no such submitted mock item
    assert report(learner, url, "exam", item).status_code == 400
    assert report(learner, url, "practice", item, reason="nonsense").status_code == 400
    app.config["REPORTS_PER_HOUR"] = 1
    report(learner, url, "practice", item)
    second_url, second_item, _ = answered_item(app, learner)
    response = report(learner, second_url, "practice", second_item)
    assert "many reports in the last hour" in learner.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProblemReport)) == 1


def sit_mock(app, browser: Browser) -> int:
    url = start_mock(browser)
    for position in range(1, 6):
        save(browser, f"{url.rsplit('/', 1)[0]}/{position}", choice=0)
    exam = int(url.split("/")[2])
    browser.post(f"/mock/{exam}/submit", {}, token_from=f"/mock/{exam}/review")
    return exam


def snapshot(app):
    with app.app_context():
        return (sorted(db.session.execute(select(Answer.id, Answer.correct, Answer.guessed, Answer.rating)).all()),
                sorted(db.session.execute(select(Card.id, Card.state, Card.stability, Card.difficulty, Card.due,
                                                 Card.reviews, Card.lapses)).all()),
                sorted(db.session.execute(select(MockExam.id, MockExam.score, MockExam.score_before_regrade)).all()),
                db.session.scalar(select(func.count()).select_from(AuditEntry)))


def test_regrading_rescores_rebuilds_cards_recomputes_mocks_and_is_idempotent(app, people):
    learner, trainer = people["learner"], people["trainer"]
    exam = sit_mock(app, learner)
    with app.app_context():
        item = db.session.scalar(select(MockItem).where(MockItem.exam_id == exam, MockItem.position == 1))
        question_id, chosen, key, before = item.question_id, item.chosen_option, item.question_version.correct_index, \
            db.session.get(MockExam, exam).score
    right = chosen if chosen != key else (key + 1) % 4     # either way the learner's mark on it flips
    report(learner, f"/mock/{exam}/result", "mock", item.id, "key", "I think the key is wrong")
    response = trainer.post(f"/trainer/questions/{question_id}/regrade", {"version": "1", "right": str(right)},
                            token_from=f"/trainer/questions/{question_id}")
    assert "1 answer rescored" in trainer.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        mock = db.session.get(MockExam, exam)
        assert mock.score == before + (1 if chosen == right else -1) and mock.score_before_regrade == before
        question = db.session.get(Question, question_id)
        assert question.current_version.version == 2 and question.current_version.correct_index == right
        user = db.session.scalar(select(User).where(User.email == "learner@example.org"))
        card = db.session.scalar(select(Card).where(Card.user_id == user.id, Card.question_id == question_id))
        fresh = rebuilt_card(user, question_id, utcnow())
        assert (card.state, card.step, card.stability, card.difficulty, card.due, card.last_review) == \
            (fresh.state, fresh.step, fresh.stability, fresh.difficulty, fresh.due, fresh.last_review)
        assert db.session.scalar(select(Answer.correct).where(Answer.mock_item_id == item.id)) == (chosen == right)
    result = learner.get(f"/mock/{exam}/result").get_data(as_text=True)
    assert f"your score changed from {before} to {before + (1 if chosen == right else -1)}" in result
    assert "the key of this question was wrong" in learner.get("/dashboard").get_data(as_text=True)
    bank = trainer.get("/trainer/").get_data(as_text=True)
    assert "5-question mock</th><td>1</td>" in bank and "whole bank</th><td>1</td>" in bank
    first = snapshot(app)
    trainer.post(f"/trainer/questions/{question_id}/regrade", {"version": "1", "right": str(right)},
                 token_from=f"/trainer/questions/{question_id}")
    assert snapshot(app) == first


def test_regrading_to_the_current_key_is_refused(app, people):
    trainer = people["trainer"]
    with app.app_context():
        key = db.session.get(Question, "TST-001").current_version.correct_index
    response = trainer.post("/trainer/questions/TST-001/regrade", {"version": "1", "right": str(key)},
                            token_from="/trainer/questions/TST-001")
    assert "already the key" in trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert trainer.post("/trainer/questions/TST-001/regrade", {"version": "7", "right": "0"},
                        token_from="/trainer/questions/TST-001").status_code == 404


def test_bank_shows_statistics_columns_flags_and_filters(app, people):
    trainer = people["trainer"]
    with app.app_context():
        version = db.session.get(Question, "TST-002").current_version
        now = utcnow()
        for n in range(25):   # 25 learners, all right first time: facility 1.0 > 0.9
            user = User(email=f"s{n}@example.org", display_name=f"s{n}", password_hash="x", role="learner",
                        session_token=f"t{n}")
            db.session.add(user)
            db.session.flush()
            db.session.add(Answer(user_id=user.id, question_id="TST-002", question_version_id=version.id,
                                  topic_id=version.topic_id, source="practice", chosen_option=version.correct_index,
                                  correct=True, guessed=n < 5, rating=3, answered_at=now - timedelta(minutes=n),
                                  duration_ms=1000 * (n + 1)))
        db.session.commit()
    bank = trainer.get("/trainer/?flag=easy").get_data(as_text=True)
    assert "TST-002" in bank and "TST-001" not in bank and "too easy" in bank and "1.00" in bank
    assert "TST-002" in trainer.get("/trainer/?attention=y").get_data(as_text=True)
    assert "TST-002" in trainer.get("/trainer/?sort=facility&dir=desc").get_data(as_text=True)
    page = trainer.get("/trainer/questions/TST-002").get_data(as_text=True)
    assert "Facility 1.00 is above 0.9 over 25 first attempts in practice" in page
    assert "30 more needed (0 so far)" in page            # discrimination: no mocks yet
    assert "20 %" in page and "13.0 s" in page             # guess rate 5/25; median time
    assert trainer.get("/trainer/?flag=bogus").status_code == 400


def test_statistics_refresh_by_rule_not_per_request(app, people):
    trainer = people["trainer"]
    trainer.get("/trainer/")
    with app.app_context():
        first = db.session.scalar(select(func.count()).select_from(AuditEntry))
        run_at = refresh(utcnow()).computed_at
        db.session.commit()
    app.config["STATS_MAX_AGE_SECONDS"] = 3600
    answered_item(app, people["learner"])
    trainer.get("/trainer/")
    with app.app_context():
        from studyapp.models import StatsRun
        assert db.session.get(StatsRun, 1).computed_at == run_at    # answers arrived, but the cache is young
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == first


def test_admin_reaches_the_queue_and_learners_do_not(people):
    assert people["admin"].get("/trainer/reports").status_code == 200
    assert people["learner"].get("/trainer/reports").status_code == 404
