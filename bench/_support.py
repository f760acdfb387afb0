"""What the database benchmarks share: the app on a database of its own, bulk loading,
statistics after a bulk load, a logged-in test client, a page's CSRF token, and timing a call
(bank_bench, item_stats_bench, group_report_bench, scale_bench, http_bench, request_bench)."""

import os
import re
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import insert, text

from studyapp import create_app
from studyapp.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 1"
BATCH_ROWS = 20_000


def bench_app(prefix: str, database_url: str | None, **config):
    """The app with the shipped content folders on the database at `database_url`, or on
    SQLite in a new temporary folder (which also holds the instance folder)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["STUDYAPP_INSTANCE_PATH"] = str(folder / "instance")
    return create_app({"SECRET_KEY": "bench-secret-key-0123456789", "RATELIMIT_STORAGE_URI": "memory://",
                       "SYLLABUS_DIR": str(ROOT / "syllabus"), "QUESTION_BANK_DIR": str(ROOT / "question_bank"),
                       "DATABASE_URL": database_url or f"sqlite:///{folder / 'bench.sqlite'}", **config})


def insert_in_batches(model, rows: Iterable[dict]) -> None:
    """Insert generated rows BATCH_ROWS at a time (a million never sit in memory at once), then commit."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            db.session.execute(insert(model), batch)
            batch.clear()
    if batch:
        db.session.execute(insert(model), batch)
    db.session.commit()


def analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL also sets its visibility map)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def logged_in(app, email: str, password: str = PASSWORD):
    """A test client logged in through the real form, CSRF token included."""
    client = app.test_client()
    token = csrf_token(client.get("/account/login").get_data(as_text=True))
    response = client.post("/account/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def csrf_token(html: str) -> str:
    """The CSRF token a page's form carries, as a browser would send it back."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def timed(call, repeats: int, *, warm: bool = False, before=None) -> list[float]:
    """Milliseconds per call; `warm` makes one untimed call first, `before` runs untimed ahead of each."""
    if warm:
        call()
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]
