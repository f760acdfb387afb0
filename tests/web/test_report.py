import csv
import io

from tests.conftest import answer, start_session
from tests.web.test_practice import item_for


def answer_session(app, browser, kind="mixed", scope="", right=True):
    url = start_session(browser, kind, scope)
    base = url.rsplit("/", 1)[0]
    position = 1
    while True:
        item_url = f"{base}/{position}"
        if browser.get(item_url).status_code != 200:
            return
        correct, count = item_for(app, item_url)
        answer(browser, item_url, correct if right else (correct + 1) % count)
        position += 1


def test_report_shows_chart_weak_topics_and_practise_buttons(app, learner):
    answer_session(app, learner, "topic", "beta.only", right=False)
    page = learner.get("/report").get_data(as_text=True)
    assert '<svg viewBox="0 0 360' in page and "Estimated mastery by module and topic" in page
    assert "Only topic" in page and 'name="scope" value="beta.only"' in page
    assert "Practise this" in page


def test_weak_topics_session_targets_the_weakest_topic(app, learner):
    answer_session(app, learner, "topic", "beta.only", right=False)
    answer_session(app, learner, "topic", "alpha.first", right=True)
    url = start_session(learner, "weak")
    assert "Only topic" in learner.get(url).get_data(as_text=True)  # the topic by its title


def test_dashboard_counts_due_reviews_and_new_questions(app, learner):
    page = learner.get("/dashboard").get_data(as_text=True)
    assert "11 questions you have not met yet" in page
    answer_session(app, learner, "topic", "beta.only", right=False)
    page = learner.get("/dashboard").get_data(as_text=True)
    assert "7 questions you have not met yet" in page
    assert "Next 7 days" in page


def test_csv_export_lists_every_answer_with_its_version(app, learner):
    answer_session(app, learner, "module", "beta", right=True)
    response = learner.get("/report/answers.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 4
    assert {r["topic"] for r in rows} == {"beta.only"} and all(r["correct"] == "1" for r in rows)
    assert all(r["version"] == "1" for r in rows)
