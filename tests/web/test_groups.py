"""Groups through the web: invites, joining (signing up on the way), leaving, privacy,
extra time and exam dates, invite-only mode, and what the trainer's pages show."""

import re
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Answer, AuditEntry, Card, Membership, MockExam, Question, User, utcnow
from tests.conftest import Browser, answer, close_app, make_app, start_session
from tests.web.groups_helpers import create_group, join, join_link, logged_in
from tests.web.test_exams import at, exam_id, save, start_mock, the_exam
from tests.web.test_practice import item_for
from tests.web.test_report import answer_session


@pytest.fixture
def klass(app, make_user):
    """A trainer's group with one member; returns (trainer browser, member browser, group id, link)."""
    make_user("trainer@example.org", "trainer", name="Tina Trainer")
    make_user("ann@example.org", name="Ann")
    trainer, ann = logged_in(app, "trainer@example.org"), logged_in(app, "ann@example.org")
    group_id = create_group(trainer, "Class A")
    link = join_link(trainer, group_id)
    assert join(ann, link).status_code == 302
    return trainer, ann, group_id, link


def test_a_learner_joins_by_link_and_sees_the_group_and_that_the_trainer_sees_progress(klass):
    trainer, ann, group_id, link = klass
    dashboard = ann.get("/dashboard").get_data(as_text=True)
    assert "Class A" in dashboard and "Tina Trainer" in dashboard and "can see your progress" in dashboard
    settings = ann.get("/account/settings").get_data(as_text=True)
    assert "Class A" in settings and "/privacy" in settings
    assert "Ann" in trainer.get(f"/groups/{group_id}").get_data(as_text=True)
    assert "You are in this group" in ann.get(link).get_data(as_text=True)


def test_a_code_typed_in_lower_case_with_spaces_leads_to_the_group(app, klass, make_user):
    _, _, _, link = klass
    code = link.rsplit("/", 1)[1]
    make_user("bo@example.org")
    bo = logged_in(app, "bo@example.org")
    typed = " ".join([code[:4].lower(), code[4:8], code[8:].lower()])
    response = bo.post("/join", {"code": typed})
    assert response.status_code == 302 and response.headers["Location"].endswith(link)
    assert "No open group has this code" in bo.post("/join", {"code": "AAAA-BBBB-CCCC"}).get_data(as_text=True)


def test_a_turned_off_or_renewed_link_stops_working_and_the_new_one_works(app, klass, make_user):
    trainer, _, group_id, link = klass
    make_user("bo@example.org")
    bo = logged_in(app, "bo@example.org")
    trainer.post(f"/groups/{group_id}/invite", {"action": "off"}, token_from=f"/groups/{group_id}")
    assert bo.get(link).status_code == 404
    assert "The join link is off" in trainer.get(f"/groups/{group_id}").get_data(as_text=True)
    trainer.post(f"/groups/{group_id}/invite", {"action": "renew"}, token_from=f"/groups/{group_id}")
    new_link = join_link(trainer, group_id)
    assert new_link != link and bo.get(link).status_code == 404
    assert join(bo, new_link).status_code == 302
    assert trainer.post(f"/groups/{group_id}/invite", {"action": "explode"},
                        token_from=f"/groups/{group_id}").status_code == 400


def test_signing_up_through_a_join_link_puts_the_new_account_in_the_group_without_a_per_address_limit(
        app, klass):
    app.config["REGISTER_RATE_LIMIT"] = "1 per hour"
    trainer, _, group_id, link = klass
    for n in range(3):
        visitor = Browser(app.test_client())
        response = visitor.post(f"{link}/register", {"display_name": f"New {n}", "email": f"new{n}@example.org",
                                                     "password": "a long enough passphrase", "confirm": "a long enough passphrase"},
                                token_from=link)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
        assert visitor.login(f"new{n}@example.org", "a long enough passphrase").status_code == 302
    assert "New 2" in trainer.get(f"/groups/{group_id}").get_data(as_text=True)
    # An email that already has an account: the same answer, and nobody joins on its behalf.
    page = Browser(app.test_client()).post(f"{link}/register", {
        "display_name": "Imposter", "email": "trainer@example.org", "password": "a long enough passphrase",
        "confirm": "a long enough passphrase"}, token_from=link, follow_redirects=True).get_data(as_text=True)
    assert "Your account is ready" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 4


def test_leaving_ends_the_trainers_view_at_once(klass):
    trainer, ann, group_id, _ = klass
    ann_id = _user_id(trainer, "ann@example.org")
    learner_page = f"/groups/{group_id}/learners/{ann_id}"
    assert trainer.get(learner_page).status_code == 200
    response = ann.post(f"/groups/{group_id}/leave", {}, token_from="/privacy")
    assert response.status_code == 302
    assert trainer.get(learner_page).status_code == 404
    assert ">Ann<" not in trainer.get(f"/groups/{group_id}/report").get_data(as_text=True)
    assert "not in any group" in ann.get("/privacy").get_data(as_text=True)
    assert ann.post(f"/groups/{group_id}/leave", {}, token_from="/privacy").status_code == 404


def test_a_trainer_removes_a_learner_and_the_removal_is_audited(app, klass):
    trainer, ann, group_id, _ = klass
    ann_id = _user_id(trainer, "ann@example.org")
    trainer.post(f"/groups/{group_id}/members/{ann_id}/remove", {}, token_from=f"/groups/{group_id}")
    assert trainer.get(f"/groups/{group_id}/learners/{ann_id}").status_code == 404
    assert "data-my-groups" not in ann.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"group_create", "group_remove_member"} <= actions


def test_the_privacy_page_lists_what_a_trainer_sees_and_the_learners_groups(klass):
    _, ann, _, _ = klass
    page = ann.get("/privacy").get_data(as_text=True)
    for item in ("name and email", "estimated mastery", "readiness", "mock exams", "last answered", "behind the plan"):
        assert item in page
    assert "Leave Class A" in page and "never sees" in page


def test_the_trainer_sees_the_learners_own_report_read_only_and_none_of_their_settings(app, klass):
    trainer, ann, group_id, _ = klass
    ann.post("/account/settings", {"exam_date": "2031-03-04", "desired_retention": "0.93"})
    answer_session(app, ann, "topic", "beta.only", right=False)
    page = trainer.get(f"/groups/{group_id}/learners/{_user_id(trainer, 'ann@example.org')}").get_data(as_text=True)
    assert "Only topic" in page and "Readiness" in page
    assert "Practise this" not in page and "0.93" not in page and "2031" not in page


def test_the_groups_exam_date_is_the_learners_unless_they_set_their_own(app, klass):
    trainer, ann, group_id, _ = klass
    exam = date.today() + timedelta(days=30)
    trainer.post(f"/groups/{group_id}/edit", {"name": "Class A", "exam_date": exam.isoformat()})
    assert "30 days to your exam" in ann.get("/dashboard").get_data(as_text=True)
    ann.post("/account/settings", {"exam_date": (exam + timedelta(days=10)).isoformat(), "desired_retention": "0.9"})
    assert "40 days to your exam" in ann.get("/dashboard").get_data(as_text=True)


def test_extra_time_granted_by_the_trainer_lengthens_the_learners_mock(app, klass):
    trainer, ann, group_id, _ = klass
    ann_id = _user_id(trainer, "ann@example.org")
    trainer.post(f"/groups/{group_id}/members/{ann_id}/extra-time", {"granted": "y"}, token_from=f"/groups/{group_id}")
    assert "plus 25 % extra time" in ann.get("/mock/").get_data(as_text=True)
    ann.post("/mock/start", {}, token_from="/mock/")
    with app.app_context():
        exam = db.session.scalar(select(MockExam))
        assert exam.deadline - exam.started_at == timedelta(minutes=4 * 1.25)
    trainer.post(f"/groups/{group_id}/members/{ann_id}/extra-time", {}, token_from=f"/groups/{group_id}")
    assert "plus 25 % extra time" not in ann.get("/mock/").get_data(as_text=True)


def test_invite_only_turns_off_open_registration_but_not_join_links(tmp_path, make_user):
    app = make_app(tmp_path / "invite", INVITE_ONLY=True)
    try:
        visitor = Browser(app.test_client())
        assert "by invitation" in visitor.get("/account/register").get_data(as_text=True)
        assert "/account/register" not in visitor.get("/account/login").get_data(as_text=True)
        response = visitor.post("/account/register", {"display_name": "X", "email": "x@example.org",
                                                      "password": "a long enough passphrase",
                                                      "confirm": "a long enough passphrase"}, token_from="/account/login")
        assert response.status_code == 403
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(User)) == 0
            from studyapp.auth.services import create_user
            create_user("t@example.org", "correct horse battery", "T", "trainer")
            db.session.commit()
        trainer = logged_in(app, "t@example.org")
        link = join_link(trainer, create_group(trainer))
        visitor.post(f"{link}/register", {"display_name": "X", "email": "x@example.org",
                                          "password": "a long enough passphrase", "confirm": "a long enough passphrase"},
                     token_from=link)
        assert visitor.login("x@example.org", "a long enough passphrase").status_code == 302
    finally:
        close_app(app)


def test_the_group_report_shows_each_learner_with_uncertainty_and_sorts_and_exports(app, klass, make_user):
    trainer, ann, group_id, link = klass
    make_user("bo@example.org", name="Bo")
    bo = logged_in(app, "bo@example.org")
    join(bo, link)
    answer_session(app, ann, "topic", "beta.only", right=False)
    page = trainer.get(f"/groups/{group_id}/report").get_data(as_text=True)
    grid = page[page.index("data-grid"):]
    assert re.search(r'<th scope="row"><a [^>]+>Ann</a></th>', grid) and ">Bo</a>" in grid
    assert "too little data (3 answers)" in grid or "too little data (4 answers)" in grid or "m-weak" in grid
    assert "not practised" in grid
    assert "Only topic" in page[page.index('id="weakest"'):page.index('id="grid-title"')]
    ordered = trainer.get(f"/groups/{group_id}/report?sort=topic:beta.only&dir=desc").get_data(as_text=True)
    assert ordered.index(">Ann</a></th>") < ordered.index(">Bo</a></th>")   # unpractised last
    assert trainer.get(f"/groups/{group_id}/report?sort=topic:nope").status_code == 400
    grid_csv = trainer.get(f"/groups/{group_id}/report/grid.csv")
    assert grid_csv.mimetype == "text/csv" and "beta.only mastery" in grid_csv.get_data(as_text=True)
    help_csv = trainer.get(f"/groups/{group_id}/report/help.csv").get_data(as_text=True)
    assert help_csv.startswith("learner,reasons")


def test_an_archived_group_closes_its_link_report_and_learner_pages(klass):
    trainer, ann, group_id, link = klass
    trainer.post(f"/groups/{group_id}/archive", {}, token_from=f"/groups/{group_id}")
    assert ann.get(link).status_code == 404
    assert trainer.get(f"/groups/{group_id}/report").status_code == 404
    assert trainer.get(f"/groups/{group_id}/learners/{_user_id(trainer, 'ann@example.org')}").status_code == 404
    assert "data-my-groups" not in ann.get("/dashboard").get_data(as_text=True)
    assert "Archived" in trainer.get("/groups/").get_data(as_text=True)


def _user_id(browser, email: str) -> int:
    app = browser.client.application
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def test_a_groups_exam_date_keeps_the_next_review_of_practice_and_mock_answers_before_the_exam(app, klass):
    trainer, ann, group_id, _ = klass
    exam = date.today() + timedelta(days=5)
    trainer.post(f"/groups/{group_id}/edit", {"name": "Class A", "exam_date": exam.isoformat()})
    ann_id = _cards_known_for_a_year(app, "ann@example.org")
    practice = start_session(ann)
    answer(ann, practice, item_for(app, practice)[0])
    with app.app_context():
        practised = db.session.scalar(select(Answer.question_id))
    mock = start_mock(ann)
    for item in [i for i in the_exam(app, exam_id(mock)).items if i.question_id != practised][:2]:
        save(ann, at(mock, item.position), choice=item.option_order.index(item.question_version.correct_index))
    ann.post(f"/mock/{exam_id(mock)}/submit", {}, token_from="/mock/")
    with app.app_context():
        answers = db.session.execute(select(Answer.question_id, Answer.source).where(Answer.user_id == ann_id)).all()
        dues = db.session.scalars(select(Card.due).where(Card.user_id == ann_id, Card.reviews > 6)).all()
    # Uncapped, a right answer puts such a card's next review months away; capped, it is noon
    # (UTC) the day before the exam.
    assert sorted(source for _, source in answers) == ["mock", "mock", "practice"]
    assert dues == [datetime.combine(exam - timedelta(days=1), time(12, 0), timezone.utc)] * 3


def _cards_known_for_a_year(app, email: str) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        now = utcnow()
        for question_id in db.session.scalars(select(Question.id)):
            db.session.add(Card(user_id=user.id, question_id=question_id, state=2, step=None, stability=365.0,
                                difficulty=3.0, due=now, last_review=now - timedelta(days=365), reviews=6, lapses=0))
        db.session.commit()
        return user.id
