"""PostgreSQL's pooled connections: checked before use only after sitting idle
(extensions._ping_idle_connections), and a dead one is replaced before a request sees it.
SQLite's connections are files in this process and never go stale, so these run when the
suite runs on PostgreSQL (as CI's second run does)."""

import os

import psycopg
import pytest
from sqlalchemy import text

from studyapp import extensions
from studyapp.extensions import db
from tests.conftest import close_app, make_app

pytestmark = pytest.mark.skipif(not os.environ.get("STUDYAPP_DATABASE_URL", "").startswith("postgresql"),
                                reason="PostgreSQL only: the suite's second run in CI")


@pytest.fixture
def pg_app(tmp_path):
    app = make_app(tmp_path, load=False)
    yield app
    close_app(app)


def _backend_pid() -> int:
    """The server process behind the session's pooled connection; the connection goes back."""
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    db.session.remove()
    return pid


def test_a_connection_that_died_while_idle_is_replaced_unseen(pg_app, monkeypatch):
    with pg_app.app_context():
        dead = _backend_pid()
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [dead])
        later = extensions.time.monotonic() + 60   # past DATABASE_PING_AFTER_IDLE_SECONDS
        monkeypatch.setattr(extensions.time, "monotonic", lambda: later)
        assert _backend_pid() != dead   # the pool checked it, found it dead and connected anew


def test_a_connection_used_moments_ago_is_not_checked_again(pg_app, monkeypatch):
    pings = []
    with pg_app.app_context():
        dialect = db.engine.dialect
        real_ping = dialect.do_ping
        monkeypatch.setattr(dialect, "do_ping", lambda connection: pings.append(1) or real_ping(connection))
        _backend_pid()
        _backend_pid()
        assert pings == []
        later = extensions.time.monotonic() + 60
        monkeypatch.setattr(extensions.time, "monotonic", lambda: later)
        _backend_pid()
        assert pings == [1]
