"""A class of 30 behind one address signs up through a join link and logs in, while a
password-guessing run against one account is stopped after a handful of tries: the app
served by two gunicorn workers (`studyapp serve --workers 2 --no-load`) on loopback, with
the per-address limits kept in Redis. Skipped where no Redis answers on 127.0.0.1:6379."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select

from studyapp.auth.services import create_user
from studyapp.extensions import db
from studyapp.groups import services as groups
from studyapp.models import Membership, User
from tests.conftest import FIXTURES, PASSWORD, close_app, make_app

REDIS = ("127.0.0.1", 6379)
SECRET = "classroom-test-secret-key-0123456789"
CLASS_SIZE = 30
DEADLINE_SECONDS = 60


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser-like client over urllib: cookies, CSRF token read from the page, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def post_form(self, page: str, action: str, data: dict):
        status, _, html = self.request(page)
        assert status == 200, (page, status)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        return self.request(action, {**data, "csrf_token": token})


@pytest.fixture
def served(tmp_path):
    """The fixture content in a prepared instance, served by two gunicorn workers."""
    if not _redis_up():
        if os.environ.get("CI"):
            pytest.fail("Redis is not answering on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"studyapp-test-{uuid.uuid4().hex[:8]}"
    config = {"SECRET_KEY": SECRET, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_KEY_PREFIX": prefix}
    app = make_app(tmp_path, **config)
    with app.app_context():
        trainer = create_user("trainer@example.org", PASSWORD, "Trainer", "trainer")
        db.session.flush()
        group = groups.create_group(trainer, "Classroom", None, False)
        code = groups.join_code(group)
        db.session.commit()
        database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    db_engine_dispose(app)
    port = _free_port()
    env = {**os.environ, "STUDYAPP_INSTANCE_PATH": str(tmp_path / "instance"), "STUDYAPP_DATABASE_URL": database_url,
           "STUDYAPP_SECRET_KEY": SECRET, "STUDYAPP_SYLLABUS_DIR": str(FIXTURES / "syllabus"),
           "STUDYAPP_QUESTION_BANK_DIR": str(FIXTURES / "bank"),
           "STUDYAPP_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "STUDYAPP_RATELIMIT_KEY_PREFIX": prefix,
           "STUDYAPP_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    command = [str(Path(sys.executable).with_name("studyapp")), "serve", "--workers", "2", "--threads", "4",
               "--no-load", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base, code, app
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()
        close_app(app)


def db_engine_dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


def _wait_until_up(base: str, server) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited: " + server.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start within 10 seconds")


def _sign_up_and_log_in(base: str, link: str, n: int) -> tuple[int, int]:
    client = Client(base)
    email, password = f"learner{n}@example.org", f"class passphrase {n:02d}"
    registered, _, _ = client.post_form(link, f"{link}/register", {
        "display_name": f"Learner {n}", "email": email, "password": password, "confirm": password})
    logged_in, _, _ = client.post_form("/account/login", "/account/login", {"email": email, "password": password})
    return registered, logged_in


def test_a_class_behind_one_address_signs_up_and_logs_in_while_guessing_one_password_is_stopped(served):
    base, code, app = served
    link = f"/join/{code}"
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: _sign_up_and_log_in(base, link, n), range(CLASS_SIZE)))
    elapsed = time.monotonic() - started
    assert results == [(302, 302)] * CLASS_SIZE
    assert elapsed < DEADLINE_SECONDS, f"the class took {elapsed:.1f} s"
    with app.app_context():
        members = db.session.scalar(select(func.count()).select_from(Membership))
        accounts = db.session.scalar(select(func.count()).select_from(User).where(User.email.like("learner%")))
    assert members == accounts == CLASS_SIZE

    # Guessing one learner's password from the same address, across both workers.
    attacker = Client(base)
    outcomes, remaining = [], []
    for guess in range(12):
        status, headers, html = attacker.post_form("/account/login", "/account/login",
                                                   {"email": "learner7@example.org", "password": f"guess number {guess}"})
        outcomes.append("locked" if "Too many failed attempts" in html else status)
        remaining.append(int(headers["X-RateLimit-Remaining"]))
    assert outcomes[:4] == [200] * 4 and set(outcomes[4:]) == {"locked"}
    # Locked means locked: the right password is refused too until the lock ends.
    _, _, html = attacker.post_form("/account/login", "/account/login",
                                    {"email": "learner7@example.org", "password": "class passphrase 07"})
    assert "Too many failed attempts" in html
    # Both workers count in one place (Redis): the per-address allowance falls by one per try.
    assert remaining == sorted(remaining, reverse=True) and len(set(remaining)) == len(remaining)
    # Everyone else in the class is unaffected.
    status, _, _ = Client(base).post_form("/account/login", "/account/login",
                                          {"email": "learner8@example.org", "password": "class passphrase 08"})
    assert status == 302
