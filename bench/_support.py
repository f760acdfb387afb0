"""What the database benchmarks share: statistics after a bulk load, a logged-in test
client, and timing a call (bank_bench, item_stats_bench, group_report_bench, scale_bench)."""

import re
import time

from sqlalchemy import text

from studyapp.extensions import db

PASSWORD = "bench password 1"


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
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/account/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


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
