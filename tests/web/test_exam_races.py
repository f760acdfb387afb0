"""Mock exams under concurrent requests, on SQLite and PostgreSQL: one running mock per
learner, and an expired mock opened from several tabs at once is submitted exactly once."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from studyapp.extensions import db
from studyapp.models import Answer, MockExam, utcnow
from tests.conftest import Browser, csrf_from

TABS = 6


def at_once(calls):
    """Run the calls in threads released together; returns their results."""
    barrier, results = threading.Barrier(len(calls)), []

    def run(call):
        barrier.wait()
        try:
            results.append(call())
        except Exception as error:  # a 500 propagates in TESTING: report it, don't hang
            results.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def tabs(app, learner: Browser) -> list:
    """Clients sharing the learner's cookie, like tabs of one browser."""
    cookie = learner.client.get_cookie("session")
    clients = []
    for _ in range(TABS):
        client = app.test_client()
        client.set_cookie("session", cookie.value)
        clients.append(client)
    return clients


def test_starting_a_mock_from_several_tabs_at_once_leaves_one_running(app, learner):
    token = csrf_from(learner.get("/mock/").get_data(as_text=True))
    results = at_once([lambda c=c: c.post("/mock/start", data={"csrf_token": token}) for c in tabs(app, learner)])
    assert [getattr(r, "status_code", r) for r in results] == [302] * TABS
    assert len({r.headers["Location"] for r in results}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MockExam)) == 1


def test_the_database_refuses_a_second_running_mock(app, learner):
    learner.post("/mock/start", {}, token_from="/mock/")
    with app.app_context():
        exam = db.session.scalars(select(MockExam)).one()
        db.session.add(MockExam(user_id=exam.user_id, started_at=utcnow(), deadline=utcnow(), length=1, pass_mark=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize("page", ["/1", "/review", "/result", ""])
def test_an_expired_mock_opened_in_several_tabs_at_once_is_submitted_once(app, learner, page):
    url = learner.post("/mock/start", {}, token_from="/mock/").headers["Location"]
    body = learner.get(url).get_data(as_text=True)
    learner.client.post(url, data={"choice": "0", "go": "next", "csrf_token": csrf_from(body)})
    with app.app_context():
        exam = db.session.scalars(select(MockExam)).one()
        exam.deadline = utcnow() - timedelta(minutes=1)
        db.session.commit()
    target = "/mock/" if not page else url.rsplit("/", 1)[0] + page
    results = at_once([lambda c=c: c.get(target) for c in tabs(app, learner)])
    assert all(getattr(r, "status_code", r) in (200, 302) for r in results), results
    with app.app_context():
        exam = db.session.scalars(select(MockExam)).one()
        assert exam.submitted_at is not None and exam.auto_submitted
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
