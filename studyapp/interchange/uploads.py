"""Uploaded import files between preview and confirm: kept in the instance folder under a random token.

A file belongs to the trainer who uploaded it (the user id is part of its name), is
deleted when imported, and any left over (a preview never confirmed) after a day."""

import secrets
import time
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(user_id: int, name: str, raw: bytes) -> str:
    """Keep `raw` for this user; the token that finds it again."""
    _forget_old()
    token = secrets.token_urlsafe(24)
    (_folder() / f"{user_id}-{token}.upload").write_bytes(raw)
    (_folder() / f"{user_id}-{token}.name").write_text(name[:200], encoding="utf-8")
    return token


def load(user_id: int, token: str) -> tuple[str, bytes] | None:
    """(file name, bytes) of this user's upload, or None (unknown token, another user's, or expired)."""
    path = _folder() / f"{user_id}-{token}.upload"
    if not path.is_file():
        return None
    return (_folder() / f"{user_id}-{token}.name").read_text(encoding="utf-8"), path.read_bytes()


def discard(user_id: int, token: str) -> None:
    for suffix in (".upload", ".name"):
        (_folder() / f"{user_id}-{token}{suffix}").unlink(missing_ok=True)


def _forget_old() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().glob("*-*.*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
