"""The examples behind the route fuzz test, each pinned: refused at the edge, never a 500."""

import re

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Answer, User
from tests.conftest import answer, csrf_from, start_session


@pytest.mark.parametrize("url", ["/practice/99999999999999999999/1", "/practice/1/2147483648", "/mock/0/1",
                                 "/mock/-1/1", "/practice/%C2%B2/1"])
def test_ids_outside_the_database_integer_range_are_not_found(learner, url):
    assert learner.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/syllabus/a%00b", "/syllabus/glossary?q=%00", "/account/login?next=%00",
                                 "/syllabus/glossary?q=" + "x" * 600, "/syllabus/" + "x" * 2000])
def test_nul_bytes_and_overlong_values_in_the_address_are_a_bad_request(client, url):
    assert client.get(url).status_code == 400


def test_nul_byte_in_the_login_email_is_a_bad_request(browser):
    response = browser.post("/account/login", {"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400


def test_nul_byte_in_the_display_name_is_refused(browser):
    token = browser.token("/account/register")
    response = browser.client.post("/account/register", data={
        "csrf_token": token, "display_name": "Eve\x00", "email": "eve@example.org",
        "password": "a long enough passphrase", "confirm": "a long enough passphrase"})
    assert response.status_code == 400


def test_go_with_a_non_ascii_digit_is_refused_and_stores_nothing(learner, app):
    url = learner.post("/mock/start", {}, token_from="/mock/").headers["Location"]
    page = learner.get(url).get_data(as_text=True)
    response = learner.client.post(url, data={"choice": "0", "go": "²", "csrf_token": csrf_from(page)})
    assert response.status_code == 400
    assert 'checked' not in learner.get(url).get_data(as_text=True)


def test_elapsed_time_out_of_range_is_not_stored(learner, app):
    url = start_session(learner)
    page = learner.get(url).get_data(as_text=True)
    qid = re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
    response = learner.client.post(url, data={"choice": "0", "question_id": qid, "elapsed_ms": "99999999999999999999",
                                              "csrf_token": csrf_from(page)})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    assert answer(learner, url).status_code == 302


def test_an_overlong_practice_scope_is_a_bad_request(learner):
    response = learner.post("/practice/start", {"kind": "topic", "scope": "x" * 500}, token_from="/practice/")
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_an_exam_date_outside_sane_bounds_is_refused_and_answers_still_work(learner, app, value):
    response = learner.post("/account/settings", {"exam_date": value, "desired_retention": "0.9"})
    assert response.status_code == 200 and "within the next five years" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.exam_date)) is None
    assert answer(learner, start_session(learner)).status_code == 302


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_target_recall_must_be_a_finite_number(learner, app, value):
    response = learner.post("/account/settings", {"desired_retention": value})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(User.desired_retention)) == 0.9


def test_a_body_over_the_limit_is_refused_with_413_before_login(client, app):
    body = b"x=" + b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/account/login", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Too Large" in response.get_data(as_text=True)


def test_a_form_with_more_fields_than_any_page_sends_is_refused(browser, app):
    fields = {f"f{n}": "1" for n in range(app.config["MAX_FORM_FIELDS"] + 1)}
    assert browser.post("/account/login", fields).status_code == 413
