"""A learner downloads everything held about them and can delete the account."""

import io
import json
import zipfile

from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Answer, AuditEntry, Card, PracticeSession, User
from tests.conftest import PASSWORD, Browser, answer, start_session


def test_the_export_holds_my_account_settings_answers_cards_and_mocks_and_no_one_elses(app, learner, make_user):
    answer(learner, start_session(learner))
    learner.post("/mock/start", {}, token_from="/mock/")
    make_user("other@example.org")
    other = Browser(app.test_client())
    other.login("other@example.org")
    answer(other, start_session(other))
    response = learner.get("/account/data.json")
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "learner@example.org"
    assert data["settings"]["desired_retention"] == 0.9
    assert len(data["answers"]) == 1 and len(data["cards"]) == 1 and len(data["mocks"]) == 1
    assert "other@example.org" not in response.get_data(as_text=True)
    archive = zipfile.ZipFile(io.BytesIO(learner.get("/account/data.zip").get_data()))
    assert {"account.csv", "settings.csv", "answers.csv", "cards.csv", "mocks.csv"} <= set(archive.namelist())
    assert archive.read("answers.csv").decode().count("\n") == 2


def test_deleting_needs_the_password(learner, app):
    page = learner.post("/account/delete", {"password": "not my password"}).get_data(as_text=True)
    assert "not your password" in page
    assert learner.get("/dashboard").status_code == 200


def test_deleting_anonymizes_the_account_ends_sessions_and_keeps_only_anonymous_answers(app, learner):
    answer(learner, start_session(learner))
    cookie = learner.client.get_cookie("session").value
    response = learner.post("/account/delete", {"password": PASSWORD})
    assert response.status_code == 302
    copied = app.test_client()
    copied.set_cookie("session", cookie)
    assert copied.get("/dashboard").status_code == 302           # every session ended
    assert "do not match" in learner.login("learner@example.org").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.deleted_at is not None and "learner" not in user.email + user.display_name
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1      # anonymous statistics
        for model in (Card, PracticeSession):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
        assert db.session.scalars(select(AuditEntry.action)).all()[-1] == "account_deleted"
    fresh = Browser(app.test_client())
    fresh.post("/account/register", {"display_name": "Again", "email": "learner@example.org",
                                     "password": PASSWORD, "confirm": PASSWORD})
    fresh.login("learner@example.org")
    assert fresh.get("/dashboard").status_code == 200              # the email is free again


def test_reports_filed_and_groups_are_in_the_export_and_deletion_blanks_the_reports_text(app, learner, make_user):
    from studyapp.models import Group, Membership, ProblemReport, Question

    trainer_id = make_user("trainer@example.org", "trainer")
    with app.app_context():
        me = db.session.scalar(select(User).where(User.email == "learner@example.org"))
        question = db.session.get(Question, "TST-001")
        db.session.add(ProblemReport(user_id=me.id, question_id=question.id, question_version_id=question.current_version_id,
                                     reason="unclear", text="My colleague Ann thinks option B is right too."))
        group = Group(name="Spring class", trainer_id=trainer_id)
        db.session.add(group)
        db.session.flush()
        db.session.add(Membership(group_id=group.id, user_id=me.id))
        db.session.commit()
    data = json.loads(learner.get("/account/data.json").get_data(as_text=True))
    assert data["reports_filed"][0]["text"].startswith("My colleague Ann")
    assert data["groups"][0]["group"] == "Spring class" and data["groups"][0]["left_at"] is None
    assert learner.post("/account/delete", {"password": PASSWORD}).status_code == 302
    with app.app_context():
        report = db.session.scalars(select(ProblemReport)).one()
        assert report.text == "" and report.reason == "unclear"
        assert db.session.scalars(select(Membership)).one().left_at is not None
