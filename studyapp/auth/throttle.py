"""Failed-login throttling per account, in the database so it holds across workers and
restarts (Flask-Limiter still limits each address). Keyed by the email as typed,
whether or not it has an account, so the lock itself reveals nothing."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from studyapp.extensions import db
from studyapp.models import LoginThrottle


def email_key(email: str) -> str:
    return email.strip().lower()[:254]


def locked_until(email: str, now: datetime) -> datetime | None:
    """When this email may try again, if it is locked now."""
    until = db.session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.email == email_key(email)))
    return until if until is not None and until > now else None


def record_failure(email: str, now: datetime) -> None:
    """Count one failure; every LOGIN_LOCK_AFTER-th in a row locks the email for LOGIN_LOCK_MINUTES.

    An upsert, so two failures at once on PostgreSQL cannot collide on the key."""
    config = current_app.config
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)
    statement = insert.values(email=email_key(email), failures=1, last_failure_at=now).on_conflict_do_update(
        index_elements=["email"], set_={"failures": LoginThrottle.failures + 1, "last_failure_at": now})
    db.session.execute(statement)
    row = db.session.get(LoginThrottle, email_key(email), populate_existing=True)
    if row.failures % config["LOGIN_LOCK_AFTER"] == 0:
        row.locked_until = now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    db.session.flush()


def clear(email: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email == email_key(email)))
