"""The declarative base shared by every model."""

from datetime import datetime, timezone

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Session, registry

# Named constraints make Alembic migrations (and SQLite batch mode) predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: SQLite keeps no time zone, fsrs wants one."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(timezone.utc)")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def execute_on_connection(session: Session, statement, params=None):
    """Run a Core statement (table columns, no mapped classes) in the session's transaction,
    on its connection.

    session.execute() sends even a Core statement through the ORM's execution and result
    layers, which build a row processor for every column on every call (about 45 of the
    topic page query's 135 µs, in-process, SQLite), and a list of one row through
    executemany. Pending ORM changes are flushed first, as session.execute() would (free
    when there are none)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
