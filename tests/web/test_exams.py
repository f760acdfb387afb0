"""Mock exams over the test client: resume, the clock, privacy, submitting."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Answer, Card, MockExam, MockItem, utcnow
from tests.conftest import Browser, close_app, csrf_from, make_app


# The fixture content has modules alpha (60 %) and beta (40 %); test mocks are 5 questions in 4 minutes.


def start_mock(browser: Browser) -> str:
    response = browser.post("/mock/start", {}, token_from="/mock/")
    assert response.status_code == 302
    return response.headers["Location"]


def exam_id(url: str) -> int:
    return int(url.split("/")[2])


def at(url: str, position: int) -> str:
    """The URL of another question of the same exam."""
    return f"{url.rsplit('/', 1)[0]}/{position}"


def save(browser: Browser, url: str, choice: int | None = 0, go: str = "next", flagged: bool = False):
    page = browser.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "go": go}
    if choice is not None:
        data["choice"] = str(choice)
    if flagged:
        data["flagged"] = "y"
    return browser.client.post(url, data=data)


def the_exam(app, exam: int) -> MockExam:
    with app.app_context():
        found = db.session.get(MockExam, exam)
        for item in found.items:  # load what the tests read while the session is open
            item.question_version
        return found


def test_a_mock_follows_the_blueprint_and_shows_a_countdown(app, learner):
    url = start_mock(learner)
    page = learner.get(url).get_data(as_text=True)
    assert 230 < float(re.search(r'data-remaining="([\d.]+)"', page).group(1)) <= 240  # 4 minutes
    assert "correct answer" not in page and 'class="why"' not in page  # no feedback during the exam
    with app.app_context():
        modules = db.session.scalars(select(MockItem.module_id).where(MockItem.exam_id == exam_id(url))).all()
    assert sorted(modules) == ["alpha", "alpha", "alpha", "beta", "beta"]


def test_reload_and_return_resume_the_same_exam_with_the_time_left(app, learner):
    url = start_mock(learner)
    save(learner, url, choice=2)
    with app.app_context():
        exam = db.session.get(MockExam, exam_id(url))
        exam.started_at -= timedelta(minutes=3)
        exam.deadline -= timedelta(minutes=3)
        db.session.commit()
    again = start_mock(learner)
    assert exam_id(again) == exam_id(url)
    page = learner.get(url).get_data(as_text=True)
    remaining = float(re.search(r'data-remaining="([\d.]+)"', page).group(1))
    assert 50 < remaining <= 60
    assert re.search(r'value="2" checked', page)


def test_answers_can_be_changed_and_flagged_until_submit(app, learner):
    url = start_mock(learner)
    save(learner, url, choice=0)
    save(learner, url, choice=3, flagged=True, go="1")
    page = learner.get(url).get_data(as_text=True)
    assert re.search(r'value="3" checked', page) and 'name="flagged" value="y" checked' in page
    assert "flagged" in re.search(r'<button[^>]*value="1"[^>]*class="([^"]+)"', page).group(1)


def test_an_answer_after_the_time_is_up_is_not_counted_and_the_exam_is_submitted(app, learner):
    url = start_mock(learner)
    save(learner, url, choice=1)
    page = learner.get(at(url, 2)).get_data(as_text=True)
    with app.app_context():
        exam = db.session.get(MockExam, exam_id(url))
        exam.deadline = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = learner.client.post(at(url, 2), data={"csrf_token": csrf_from(page), "choice": "0", "go": "next"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/result")
    exam = the_exam(app, exam_id(url))
    assert exam.submitted_at is not None and exam.auto_submitted
    assert [i.chosen_shown for i in exam.items] == [1, None, None, None, None]


def test_an_expired_exam_is_submitted_when_the_learner_comes_back(app, learner):
    url = start_mock(learner)
    save(learner, url, choice=0)
    with app.app_context():
        exam = db.session.get(MockExam, exam_id(url))
        exam.deadline = utcnow() - timedelta(hours=2)
        db.session.commit()
    assert learner.get("/mock/").status_code == 200
    exam = the_exam(app, exam_id(url))
    assert exam.submitted_at == exam.deadline and exam.auto_submitted


def test_submitting_scores_the_exam_and_feeds_cards_and_the_answer_log(app, learner):
    url = start_mock(learner)
    for position in range(1, 5):
        save(learner, at(url, position), choice=0)
    learner.post(f"/mock/{exam_id(url)}/submit", {}, token_from="/mock/")
    exam = the_exam(app, exam_id(url))
    assert exam.score == sum(i.correct for i in exam.items) and exam.score is not None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.source == "mock")) == 4
        assert db.session.scalar(select(func.count()).select_from(Card)) == 4
    page = learner.get(f"/mock/{exam_id(url)}/result").get_data(as_text=True)
    assert f"{exam.score} / 5" in page and "Pass mark 3" in page
    assert page.count('class="why"') == 20 and "Read this in the syllabus" in page and "blank" in page


def test_submitting_twice_records_the_answers_once(app, learner):
    url = start_mock(learner)
    save(learner, url, choice=0)
    for _ in range(2):
        learner.post(f"/mock/{exam_id(url)}/submit", {}, token_from="/mock/")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1


def test_another_learner_cannot_open_answer_or_submit_your_mock(app, learner, make_user):
    url = start_mock(learner)
    make_user("other@example.org")
    other = Browser(app.test_client())
    other.login("other@example.org")
    exam = exam_id(url)
    for path in (url, f"/mock/{exam}/review", f"/mock/{exam}/result"):
        assert other.get(path).status_code == 404
    token = other.token("/mock/")
    assert other.client.post(url, data={"csrf_token": token, "choice": "0"}).status_code == 404
    assert other.client.post(f"/mock/{exam}/submit", data={"csrf_token": token}).status_code == 404
    assert the_exam(app, exam).submitted_at is None


def test_extra_time_gives_a_quarter_more(app, learner):
    learner.post("/account/settings", {"desired_retention": "0.9", "extra_time": "y"})
    url = start_mock(learner)
    exam = the_exam(app, exam_id(url))
    assert exam.deadline - exam.started_at == timedelta(minutes=5)


def test_too_few_questions_for_the_blueprint_is_explained(tmp_path, make_user):
    big = make_app(tmp_path / "big", MOCK_QUESTIONS=40)
    try:
        with big.app_context():
            from studyapp.auth.services import create_user

            create_user("a@example.org", "correct horse battery", "A")
            db.session.commit()
        browser = Browser(big.test_client())
        browser.login("a@example.org")
        browser.post("/mock/start", {}, token_from="/mock/")
        assert "needs 24 questions for a mock but has only 7" in browser.get("/mock/").get_data(as_text=True)
    finally:
        close_app(big)


def test_dashboard_shows_days_left_and_todays_plan(learner):
    from datetime import date

    exam_day = date.today() + timedelta(days=10)
    learner.post("/account/settings", {"exam_date": exam_day.isoformat(), "desired_retention": "0.9"})
    page = learner.get("/dashboard").get_data(as_text=True)
    assert "10 days to your exam" in page and "new questions to meet today" in page
    assert "Readiness" in page and "Not yet" in page
