"""Fixtures in the style of Flask's tutorial: app, client, runner, auth, small factories.

Web tests keep CSRF on and read the token from the page like a browser. The
database is a fresh SQLite file per test, or the PostgreSQL database named by
STUDYAPP_DATABASE_URL (tables dropped and created per test)."""

import os
import re
from pathlib import Path

import pytest

from studyapp import create_app
from studyapp.content.services import load_shipped_content
from studyapp.extensions import db
from studyapp.auth.services import create_user

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
PASSWORD = "correct horse battery"


def make_app(tmp_path: Path, syllabus: Path = FIXTURES / "syllabus", bank: Path = FIXTURES / "bank",
             load: bool = True, **extra):
    """A test app on a fresh database; with `load`, tables created and content loaded."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SYLLABUS_DIR": str(syllabus),
        "QUESTION_BANK_DIR": str(bank),
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",   # scrypt costs ~0.1 s a check
        "MOCK_QUESTIONS": 5,   # the fixture bank is too small for 50; time and pass mark scale
        "MOCK_MINUTES": 4,
        **extra,
    }
    if not os.environ.get("STUDYAPP_DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'test.sqlite'}"
    os.environ["STUDYAPP_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        if load:
            db.create_all()
            load_shipped_content()
            db.session.commit()
    return app


def close_app(app) -> None:
    """Drop the tables and close every pooled connection (PostgreSQL counts them)."""
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Browser:
    """A test client that fills in the CSRF token from the page, like a browser."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self, url: str = "/account/login") -> str:
        return csrf_from(self.client.get(url).get_data(as_text=True))

    def post(self, url, data=None, token_from: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from or url))
        return self.client.post(url, data=data, **kwargs)

    def login(self, email: str, password: str = PASSWORD):
        return self.post("/account/login", {"email": email, "password": password})

    def logout(self):
        return self.post("/account/logout", token_from="/dashboard")


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def make_user(app):
    def make(email="learner@example.org", role="learner", name=None):
        with app.app_context():
            user = create_user(email, PASSWORD, name or email.split("@")[0], role)
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def learner(make_user, browser):
    """A logged-in learner: returns the Browser."""
    make_user("learner@example.org")
    browser.login("learner@example.org")
    return browser


def start_session(browser: Browser, kind="mixed", scope="") -> str:
    """Start a practice session; returns the URL of its first question."""
    response = browser.post("/practice/start", {"kind": kind, "scope": scope}, token_from="/practice/")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def answer(browser: Browser, url: str, choice: int = 0, guessed: bool = False, question_id: str | None = None):
    """Answer the question at `url` with the shown option `choice`."""
    page = browser.get(url).get_data(as_text=True)
    qid = question_id or re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
    data = {"choice": str(choice), "question_id": qid, "csrf_token": csrf_from(page)}
    if guessed:
        data["guessed"] = "y"
    return browser.client.post(url, data=data)
