"""Flask extensions, created unbound and attached in create_app()."""

import fcntl
import os
import threading
import time
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from studyapp.models.base import Base, execute_on_connection

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Limits that cover every route, which Flask-Limiter checks before each view.
APP_WIDE_LIMITS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def init_app(app) -> None:
    _configure_engine(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _check_limits_in_limited_views_only(app)
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            app.extensions["sqlite_writers"] = _tune_sqlite(db.engine)
        elif not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
            _ping_idle_connections(db.engine, float(app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]))


def _check_limits_in_limited_views_only(app) -> None:
    """Drop Flask-Limiter's check before every request when no limit covers every route.

    A view decorated with limiter.limit() checks its own limits when it is called; the
    check before each request exists for default, application-wide and meta limits. We set
    none, yet resolving that there is nothing to check cost about 80 µs of a 1.1 ms question
    page. An operator who configures such a limit keeps the check. (The hook's name is
    Flask-Limiter's own: should a release rename it, remove() fails at start-up, not silently.)"""
    if not any(app.config.get(name) for name in APP_WIDE_LIMITS):
        app.before_request_funcs[None].remove(limiter._check_request_limit)


def _configure_engine(app) -> None:
    # Copies: the package default is one dict shared by every app built in this process
    # (a SQLite app's connect_args once leaked into a PostgreSQL app's).
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if ":memory:" not in app.config["SQLALCHEMY_DATABASE_URI"]:
        options.setdefault("pool_size", app.config["DATABASE_POOL_SIZE"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Wait for the write lock instead of failing at once with "database is locked".
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}


def _ping_idle_connections(engine, idle_seconds: float) -> None:
    """Check a pooled connection before use when it has been idle for over `idle_seconds`.

    A database restart, or a proxy or firewall closing idle connections, leaves pooled
    connections dead. SQLAlchemy's pool_pre_ping finds them by pinging on every checkout:
    a round trip per request, about 60 µs of a 1.4 ms PostgreSQL page in-process. A
    connection handed back moments ago was alive moments ago, so only one idle for a while
    is pinged, and a dead one is replaced before the request sees it (a DisconnectionError
    raised in a checkout handler makes the pool discard it and check out another). What
    this gives up: a restart while connections are in steady use fails the requests that
    meet a dead connection in those few seconds; SQLAlchemy then discards the whole pool.
    An operator who wants every checkout pinged sets pool_pre_ping in
    SQLALCHEMY_ENGINE_OPTIONS."""

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", 0.0) <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("a pooled connection died while idle") from error


def _tune_sqlite(engine) -> "WriterQueue":
    """WAL, foreign keys, and transactions we begin ourselves (see begin_write), writers
    queued (see WriterQueue)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling would BEGIN too late; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    database = engine.url.database
    writers = WriterQueue(f"{database}.writers" if database and database != ":memory:" else None)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get("sqlite_begin_immediate")
        if immediate:
            writers.enter()
        # Straight to the driver: exec_driver_sql's events and result handling cost more
        # than the statement, and every request with a query begins a transaction.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, _record):
        # Not on the "commit" event: SQLAlchemy fires it before the COMMIT runs, and the
        # next writer would meet the lock still held and fall into SQLite's busy sleep.
        # The session hands its connection back once the transaction has ended.
        writers.leave()

    @event.listens_for(engine, "engine_disposed")
    def _on_dispose(_engine):
        writers.close()

    return writers


class WriterQueue:
    """SQLite writers take turns on a lock before BEGIN IMMEDIATE: threads on a Python lock,
    processes (gunicorn workers) on an flock of a file beside the database.

    SQLite lets one connection write at a time. A second BEGIN IMMEDIATE waits in SQLite's
    busy handler, which sleeps and retries, up to 100 ms between tries: under eight
    concurrent answer submits most of the wait was sleep after the lock had come free,
    a one-second p95. Here a thread wakes the moment the writer before it in its process
    ends, and one thread per process polls the file lock every millisecond. After
    WAIT_SECONDS a writer goes on to SQLite's own wait rather than hang."""

    WAIT_SECONDS = 30
    POLL_SECONDS = 0.001

    def __init__(self, lock_path: str | None = None) -> None:
        self._lock = threading.Lock()
        self._mine = threading.local()
        self._lock_path = lock_path
        self._file = None
        self._pid = None   # a forked worker opens its own file: an inherited one would share the lock

    def enter(self) -> None:
        if getattr(self._mine, "held", False):
            return
        self._mine.held = self._lock.acquire(timeout=self.WAIT_SECONDS)
        self._mine.file_held = self._mine.held and self._lock_file_within(self.WAIT_SECONDS)

    def leave(self) -> None:
        if getattr(self._mine, "held", False):
            if self._mine.file_held:
                fcntl.flock(self._file, fcntl.LOCK_UN)
            self._mine.held = self._mine.file_held = False
            self._lock.release()

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def close(self) -> None:
        """Close the lock file (an engine disposed of); the next writer opens it again."""
        if self._file is not None:
            self._file.close()
            self._file = self._pid = None

    def _lock_file_within(self, seconds: float) -> bool:
        if self._lock_path is None:
            return False
        if self._pid != os.getpid():
            self._file, self._pid = open(self._lock_path, "a+b"), os.getpid()  # noqa: SIM115 (kept open)
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(self.POLL_SECONDS)


def execute_core(statement, params=None):
    """Run a Core statement in the request's transaction, on its session's connection
    (models.base.execute_on_connection says why)."""
    return execute_on_connection(db.session(), statement, params)


def begin_write() -> None:
    """Start this request's transaction holding the write lock (SQLite BEGIN IMMEDIATE).

    A transaction that reads a card and then writes it must not start as a reader:
    two such readers on SQLite cannot both upgrade, and one gets "database is
    locked". Must run before the request's first query. PostgreSQL needs nothing
    here; the services lock the rows they update with SELECT ... FOR UPDATE."""
    if db.engine.dialect.name == "sqlite" and not db.session().in_transaction():
        db.session.connection(execution_options={"sqlite_begin_immediate": True})


def begin_reads() -> None:
    """Run this request's reads without a transaction on PostgreSQL: each statement
    commits as it ends, as under Django's default autocommit.

    A page that only reads loses nothing by it. PostgreSQL's READ COMMITTED, our
    isolation level, already gives every statement its own snapshot, and a transaction
    around reads costs two round trips (BEGIN, ROLLBACK), as many as the reads of a
    question page. Must run before the request's first query. A GET that writes follows
    the rule it already follows for SQLite: end the reads (db.session.commit()), then
    begin_write() or begin_snapshot_write(); the connection checked out after the commit
    is transactional again. SQLite needs nothing here: its BEGIN is a call in-process."""
    if db.engine.dialect.name != "sqlite" and not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def begin_snapshot_write() -> None:
    """Start a transaction that reads one consistent snapshot and may write what it derives
    from it: SQLite's write lock, or PostgreSQL's REPEATABLE READ (where a concurrent writer
    of the same rows makes the commit fail instead of mixing two snapshots).

    Must run before the transaction's first query (commit the request's reads first)."""
    if db.engine.dialect.name == "sqlite":
        begin_write()
    elif not db.session().in_transaction():
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
