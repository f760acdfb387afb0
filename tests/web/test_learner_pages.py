"""Issue 13 over the test client: honest marks at stake, today's count in the learner's zone,
mock autosave and resume, result filters, practising a mock's wrong answers, settings."""

import re
from datetime import datetime, timedelta, timezone

from studyapp.extensions import db
from studyapp.models import MockExam, User, utcnow
from studyapp.report.services import standings
from tests.conftest import Browser, answer, csrf_from, start_session
from tests.web.test_practice import item_for
from tests.web.test_exams import at, exam_id, save, start_mock
from tests.web.test_report import answer_session


def midday_zone() -> str:
    """A fixed-offset zone where it is about noon now, so "today" cannot end during the test."""
    offset = 12 - datetime.now(timezone.utc).hour        # -11 .. +12
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")


def test_marks_at_stake_are_real_marks_of_a_50_question_mock(app, learner):
    app.config["MASTERY_BAND_LIMIT"] = 1.0               # every practised topic counts as measured
    answer_session(app, learner, "topic", "beta.only", right=False)
    page = learner.get("/report").get_data(as_text=True)
    with app.app_context():
        beta = next(s for s in standings(1) if s.topic_id == "beta.only")
    # beta is 40 % of the mock: 20 of 50 marks, and its only topic; alpha's 30 are shared by two topics
    expected = 20 * (1 - beta.mastery.mean)
    marks = re.findall(r"<td data-marks>([\d.]+) <small class=\"meta\">of ([\d.]+)</small>", page)
    assert marks == [(f"{expected:.1f}", "20.0")]
    assert float(marks[0][0]) <= 20


def test_topics_without_enough_data_are_listed_apart_without_a_ranked_figure(app, learner):
    url = start_session(learner, "topic", "beta.only")
    correct, count = item_for(app, url)
    answer(learner, url, (correct + 1) % count)                       # one wrong answer: too little to rank
    page = learner.get("/report").get_data(as_text=True)
    assert "<td data-marks>" not in page
    assert "Not enough data yet" in page and "up to 20.0 marks" in page
    dashboard = learner.get("/dashboard").get_data(as_text=True)
    assert "Only topic <span class=\"meta\">not enough data yet</span>" in dashboard


def test_dashboard_today_counts_reviews_due_later_today_in_the_learners_zone(app, learner):
    learner.client.set_cookie("tz", midday_zone())
    answer_session(app, learner, "topic", "beta.only", right=False)   # 4 wrong: due again in minutes
    page = learner.get("/dashboard").get_data(as_text=True)
    assert re.search(r"data-due-today>4<", page)
    assert re.search(r"data-due-now>0<", page) and "the rest later today" in page
    assert f"Times in {midday_zone()}" in page


def test_a_forged_time_zone_cookie_falls_back_to_utc(app, learner):
    learner.client.set_cookie("tz", "../../etc/passwd")
    assert "Times in UTC" in learner.get("/dashboard").get_data(as_text=True)


def test_settings_keep_a_time_zone_a_daily_budget_and_the_shortcut_switch(app, learner):
    page = learner.get("/account/settings").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "desired_retention": "0.9", "time_zone": "Europe/London",
            "daily_budget": "40"}
    assert learner.client.post("/account/settings", data=data).status_code == 302
    with app.app_context():
        user = db.session.get(User, 1)
        assert (user.time_zone, user.daily_budget, user.keyboard_shortcuts) == ("Europe/London", 40, False)
    assert 'data-shortcuts="off"' in learner.get("/practice/").get_data(as_text=True)
    bad = dict(data, time_zone="Mars/Olympus", daily_budget="0", csrf_token=csrf_from(learner.get("/account/settings").get_data(as_text=True)))
    page = learner.client.post("/account/settings", data=bad).get_data(as_text=True)
    assert 'id="time_zone" aria-describedby="time_zone-help time_zone-error"' in page or 'aria-invalid="true"' in page
    with app.app_context():
        assert db.session.get(User, 1).time_zone == "Europe/London"


def autosave(browser: Browser, url: str, choice: int, flagged: bool = False):
    page = browser.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "choice": str(choice)}
    if flagged:
        data["flagged"] = "y"
    return browser.client.post(f"{url}/save", data=data)


def test_autosave_keeps_a_choice_without_any_button_and_resume_returns_there(app, learner):
    url = start_mock(learner)
    assert autosave(learner, at(url, 3), 2, flagged=True).status_code == 204
    with app.app_context():
        exam = db.session.get(MockExam, exam_id(url))
        assert (exam.items[2].chosen_shown, exam.items[2].flagged, exam.last_position) == (2, True, 3)
    assert f'href="{at(url, 3)}">Resume your exam' in learner.get("/mock/").get_data(as_text=True)
    save(learner, at(url, 3), go="4")
    assert f'href="{at(url, 4)}">Resume your exam' in learner.get("/mock/").get_data(as_text=True)


def test_autosave_after_the_deadline_is_refused_and_not_counted(app, learner):
    url = start_mock(learner)
    with app.app_context():
        exam = db.session.get(MockExam, exam_id(url))
        page = learner.get(url).get_data(as_text=True)
        exam.deadline = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = learner.client.post(f"{url}/save", data={"csrf_token": csrf_from(page), "choice": "1"})
    assert response.status_code == 409
    with app.app_context():
        assert db.session.get(MockExam, exam_id(url)).items[0].chosen_shown is None


def test_another_learners_mock_cannot_be_autosaved(app, learner, make_user, client):
    url = start_mock(learner)
    make_user("other@example.org")
    other = Browser(app.test_client())
    other.login("other@example.org")
    token = csrf_from(other.get("/practice/").get_data(as_text=True))
    assert other.client.post(f"{url}/save", data={"csrf_token": token, "choice": "1"}).status_code == 404


def test_result_filters_and_practising_the_wrong_ones_in_one_click(app, learner):
    url = start_mock(learner)
    with app.app_context():
        exam = db.session.get(MockExam, exam_id(url))
        keys = [item.option_order.index(item.question_version.correct_index) for item in exam.items]
    save(learner, at(url, 1), choice=(keys[0] + 1) % 4)                 # wrong
    save(learner, at(url, 2), choice=keys[1])                           # right
    save(learner, at(url, 3), choice=(keys[2] + 1) % 4, flagged=True)   # wrong, flagged
    learner.post(f"/mock/{exam_id(url)}/submit", {}, token_from=f"/mock/{exam_id(url)}/review")
    result = f"/mock/{exam_id(url)}/result"
    wrong = learner.get(f"{result}?show=wrong").get_data(as_text=True)
    assert re.findall(r"<h3 class=\"item-number\">Question (\d)</h3>", wrong) == ["1", "3"]
    assert "Blank (2)" in wrong and "Flagged (1)" in wrong and "Wrong (2)" in wrong
    assert learner.get(f"{result}?show=nonsense").status_code == 400
    start = learner.post("/practice/start", {"kind": "mock", "scope": str(exam_id(url))}, token_from=result)
    session_page = learner.get(start.headers["Location"]).get_data(as_text=True)
    assert "Question 1 of 2" in session_page
    with app.app_context():
        exam = db.session.get(MockExam, exam_id(url))
        wrong_ids = {exam.items[0].question_id, exam.items[2].question_id}
    assert re.search(r'name="question_id"[^>]*value="([^"]+)"', session_page).group(1) in wrong_ids


def test_a_mock_scope_that_is_not_yours_or_not_a_number_starts_nothing(app, learner):
    assert learner.post("/practice/start", {"kind": "mock", "scope": "abc"}, token_from="/practice/").status_code == 400
    response = learner.post("/practice/start", {"kind": "mock", "scope": "999"}, token_from="/practice/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/practice/")


def test_practice_chooser_says_how_many_each_choice_holds_and_offers_to_continue(app, learner):
    page = learner.get("/practice/").get_data(as_text=True)
    assert "11 questions" in page and "Beta module (4)" in page
    url = learner.post("/practice/start", {"kind": "topic", "scope": "beta.only"}, token_from="/practice/").headers["Location"]
    answer(learner, url)
    page = learner.get("/practice/").get_data(as_text=True)
    assert f'href="{url.rsplit("/", 1)[0]}/2">Continue your session' in page
    assert "Continue your session" in learner.get("/dashboard").get_data(as_text=True)
