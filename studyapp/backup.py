"""Backups: a consistent online copy of a SQLite database (sqlite3's backup API, safe while
the app serves), and pg_dump / pg_restore for PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for any other database."""
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def backup_sqlite(source: Path, out: Path) -> None:
    """Copy `source` to `out` in one step of the backup API: one read transaction, so the
    copy is a consistent snapshot even while workers write (WAL lets them go on)."""
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        _check(dst, partial)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    os.replace(partial, out)


def restore_sqlite(backup: Path, target: Path, force: bool = False) -> None:
    """Put a backup in place of `target` (the app must be stopped); refuses to overwrite
    a database unless `force`."""
    check = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        _check(check, backup)
    finally:
        check.close()
    if target.exists() and not force:
        raise BackupError(f"{target} exists; stop the app and pass --force to replace it")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(backup, target)


def _check(connection: sqlite3.Connection, path: Path) -> None:
    if connection.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "users" not in tables:
        raise BackupError(f"{path} is not a studyapp database")


def postgres_commands(url: str, file: Path) -> tuple[list[str], list[str]]:
    """pg_dump and pg_restore command lines for a SQLAlchemy PostgreSQL URL."""
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return (["pg_dump", "--format=custom", "--no-owner", f"--file={file}", libpq],
            ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={libpq}", str(file)])


def run_if_available(command: list[str]) -> bool:
    """Run a pg_* command when it is on PATH; False when it is not (the caller prints it)."""
    if shutil.which(command[0]) is None:
        return False
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
    return True
