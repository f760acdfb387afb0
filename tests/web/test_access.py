"""Every route x anonymous / the owning learner / another learner / a trainer."""

import pytest

from tests.conftest import Browser, answer, csrf_from, start_session

LOGIN = "/account/login"
ROLES = ("anonymous", "owner", "other", "trainer")

# route -> expected status for (anonymous, owner, other learner, trainer); 302 = to the login page
MATRIX = {
    "/": (200, 302, 302, 302),               # logged-in users are sent to their dashboard
    "/healthz": (200, 200, 200, 200),
    "/account/login": (200, 200, 200, 200),
    "/account/register": (200, 200, 200, 200),
    "/account/settings": (302, 200, 200, 200),
    "/account/password": (302, 200, 200, 200),
    "/syllabus/": (200, 200, 200, 200),
    "/syllabus/alpha": (200, 200, 200, 200),
    "/syllabus/alpha/first": (200, 200, 200, 200),
    "/syllabus/glossary": (200, 200, 200, 200),
    "/syllabus/about-the-exam": (200, 200, 200, 200),
    "/syllabus/diagrams/square.svg": (200, 200, 200, 200),
    "/syllabus/nothing": (404, 404, 404, 404),
    "/dashboard": (302, 200, 200, 200),
    "/report": (302, 200, 200, 200),
    "/report/answers.csv": (302, 200, 200, 200),
    "/practice/": (302, 200, 200, 200),
    "{session}/1": (302, 200, 404, 404),
    "{session}/summary": (302, 200, 404, 404),
    "/mock/": (302, 200, 200, 200),
    "{mock}/1": (302, 200, 404, 404),
    "{mock}/review": (302, 200, 404, 404),
    "{mock}/result": (302, 302, 404, 404),      # the owner is sent back into the running exam
    # The trainer's area does not exist for learners: 404 everywhere, like a missing question.
    "/trainer/": (302, 404, 404, 200),
    "/trainer/?q=alpha&status=published": (302, 404, 404, 200),
    "/trainer/questions/TST-001": (302, 404, 404, 200),
    "/trainer/questions/ZZZ-404": (302, 404, 404, 404),
    "/trainer/questions/new": (302, 404, 404, 200),
    "/trainer/questions/TST-001/edit": (302, 404, 404, 200),
    "/trainer/questions/TST-001/diff?a=1&b=1": (302, 404, 404, 200),
    "/trainer/reports": (302, 404, 404, 200),
}

# Every POST of the trainer's workspace: anonymous -> login, learners -> 404 (the area does not exist for them).
TRAINER_POSTS = ["/trainer/questions/new", "/trainer/questions/TST-001/edit", "/trainer/preview",
                 "/trainer/questions/TST-001/duplicate", "/trainer/questions/TST-001/status",
                 "/trainer/questions/TST-001/versions/1/restore", "/trainer/reports/TST-001/resolve",
                 "/trainer/questions/TST-001/regrade"]


@pytest.fixture
def people(app, make_user):
    """Browsers for each role; the owner has one practice session."""
    browsers = {"anonymous": Browser(app.test_client())}
    for role, email, kind in (("owner", "owner@example.org", "learner"), ("other", "other@example.org", "learner"),
                              ("trainer", "trainer@example.org", "trainer")):
        make_user(email, kind)
        browsers[role] = Browser(app.test_client())
        browsers[role].login(email)
    session_url = start_session(browsers["owner"]).rsplit("/", 1)[0]
    mock = browsers["owner"].post("/mock/start", {}, token_from="/mock/").headers["Location"].rsplit("/", 1)[0]
    return browsers, session_url, mock


@pytest.mark.parametrize("route", MATRIX)
def test_access_matrix(people, route):
    browsers, session_url, mock = people
    url = route.format(session=session_url, mock=mock)
    for role, expected in zip(ROLES, MATRIX[route]):
        response = browsers[role].get(url)
        response.close()  # file responses (diagrams) hold their file open until closed
        assert response.status_code == expected, f"{role} GET {url}"
        if expected == 302 and role == "anonymous":
            assert response.headers["Location"].startswith(LOGIN) or url == "/"


def test_another_learner_cannot_answer_or_see_your_question(people):
    browsers, session_url, _ = people
    owner_page = browsers["owner"].get(f"{session_url}/1").get_data(as_text=True)
    other = browsers["other"]
    token = other.token("/practice/")
    response = other.client.post(f"{session_url}/1", data={"choice": "0", "question_id": "TST-001", "csrf_token": token})
    assert response.status_code == 404
    assert "Check answer" in owner_page  # the owner's question is still unanswered
    assert "Check answer" in browsers["owner"].get(f"{session_url}/1").get_data(as_text=True)


def test_csv_export_holds_only_your_own_answers(people):
    browsers, session_url, _ = people
    answer(browsers["owner"], f"{session_url}/1")
    owner_csv = browsers["owner"].get("/report/answers.csv").get_data(as_text=True).strip().splitlines()
    other_csv = browsers["other"].get("/report/answers.csv").get_data(as_text=True).strip().splitlines()
    assert len(owner_csv) == 2 and len(other_csv) == 1


def test_learner_cannot_reach_trainer_pages_even_by_post(people):
    browsers, _, _ = people
    learner = browsers["owner"]
    token = csrf_from(learner.get("/practice/").get_data(as_text=True))
    assert learner.client.post("/trainer/", data={"csrf_token": token}).status_code in (404, 405)


@pytest.mark.parametrize("url", TRAINER_POSTS)
def test_trainer_posts_refuse_anonymous_and_learners(people, url):
    browsers, _, _ = people
    for role, expected in (("anonymous", 302), ("owner", 404), ("other", 404)):
        browser = browsers[role]
        token = browser.token("/account/login")
        response = browser.client.post(url, data={"csrf_token": token, "status": "retired"})
        assert response.status_code == expected, f"{role} POST {url}"
