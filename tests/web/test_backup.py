"""The backup drill: a backup taken while learners answer holds every answer acknowledged
before it began, restores into a fresh instance, and the app starts and serves on it."""

import os
import threading
import time

import pytest
from sqlalchemy import create_engine, select, text

from studyapp import create_app
from studyapp.backup import postgres_commands
from studyapp.extensions import db
from studyapp.models import Answer, User
from tests.conftest import PASSWORD, Browser, close_app, make_app
from tests.web.test_concurrency import prepared_answers


@pytest.fixture
def sqlite_app(tmp_path):
    """Always SQLite (the backup API is SQLite's), whichever database the suite runs on."""
    app = make_app(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite'}")
    yield app
    close_app(app)


def answer_under_load(app, make_user):
    """Start learners answering in threads; returns (acknowledged list, threads)."""
    acknowledged, lock = [], threading.Lock()

    def answer_all(browser, email, posts):
        for url, data in posts:
            if browser.client.post(url, data=data).status_code == 302:
                with lock:
                    acknowledged.append((time.monotonic(), email, data["question_id"]))

    threads = [threading.Thread(target=answer_all, args=(browser, f"learner{n}@example.org", posts))
               for n, (browser, posts) in enumerate(prepared_answers(app, make_user))]
    for thread in threads:
        thread.start()
    return acknowledged, threads


def stored_answers(url: str) -> set[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(User.email, Answer.question_id).join(Answer, Answer.user_id == User.id)).all()
    engine.dispose()
    return {tuple(row) for row in rows}


def test_a_backup_under_write_load_restores_every_acknowledged_answer(sqlite_app, tmp_path, monkeypatch):
    def make_user(email, role="learner"):
        from studyapp.auth.services import create_user
        with sqlite_app.app_context():
            user = create_user(email, PASSWORD, email.split("@")[0], role)
            db.session.commit()
            return user.id

    acknowledged, threads = answer_under_load(sqlite_app, make_user)
    while len(acknowledged) < 10:
        time.sleep(0.01)
    began = time.monotonic()
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "--out", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    for thread in threads:
        thread.join(timeout=120)
    before = {(email, qid) for moment, email, qid in acknowledged if moment < began}
    assert before <= stored_answers(f"sqlite:///{tmp_path / 'copy.sqlite'}")

    fresh = tmp_path / "fresh"
    monkeypatch.setenv("STUDYAPP_INSTANCE_PATH", str(fresh))
    restored = create_app({"SECRET_KEY": "another-test-secret-key", "DATABASE_URL": f"sqlite:///{fresh / 'db.sqlite'}",
                           "TESTING": True, "SYLLABUS_DIR": sqlite_app.config["SYLLABUS_DIR"],
                           "QUESTION_BANK_DIR": sqlite_app.config["QUESTION_BANK_DIR"],
                           "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    result = restored.test_cli_runner().invoke(args=["restore", str(tmp_path / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    assert before <= stored_answers(f"sqlite:///{fresh / 'db.sqlite'}")
    browser = Browser(restored.test_client())
    browser.login("learner0@example.org")
    assert browser.get("/report").status_code == 200
    with restored.app_context():
        db.engine.dispose()


def test_restore_refuses_to_overwrite_a_database_without_force(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    assert runner.invoke(args=["backup", "--out", str(tmp_path / "copy.sqlite")]).exit_code == 0
    result = runner.invoke(args=["restore", str(tmp_path / "copy.sqlite")])
    assert result.exit_code != 0 and "--force" in result.output


def test_restore_refuses_a_file_that_is_not_a_studyapp_database(sqlite_app, tmp_path):
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    result = sqlite_app.test_cli_runner().invoke(args=["restore", "--force", str(tmp_path / "junk.sqlite")])
    assert result.exit_code != 0


@pytest.mark.skipif(not os.environ.get("STUDYAPP_DATABASE_URL", "").startswith("postgresql"),
                    reason="the PostgreSQL drill runs when the suite runs on PostgreSQL")
def test_postgres_backup_and_restore_with_pg_dump(app, learner, tmp_path):
    from tests.conftest import answer, start_session

    answer(learner, start_session(learner))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    dump, load = postgres_commands(url, tmp_path / "copy.dump")
    assert dump[0] == "pg_dump" and load[0] == "pg_restore" and "+psycopg" not in " ".join(dump)
    result = app.test_cli_runner().invoke(args=["backup", "--out", str(tmp_path / "copy.dump")])
    assert result.exit_code == 0, result.output
    before = stored_answers(url)
    with app.app_context():
        db.session.execute(text("DELETE FROM answers"))
        db.session.commit()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "copy.dump")])
    assert result.exit_code == 0, result.output
    assert len(before) == 1 and stored_answers(url) == before
