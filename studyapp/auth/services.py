"""Accounts: registering, checking passwords with per-account throttling, ending sessions."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from studyapp.audit import audit
from studyapp.auth import throttle
from studyapp.extensions import db
from studyapp.mail import send_mail
from studyapp.models import PasswordReset, Role, User



@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash of a random password by the configured method, checked when the email is
    unknown (or locked) so that a failed login takes as long whether or not it exists."""
    return generate_password_hash("not-a-real-password-0f2b6c", method=method)


def _waste_a_check(password: str) -> None:
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)


class AccountError(Exception):
    pass


def hash_password(password: str) -> str:
    """A salted hash by the configured method (scrypt unless a test asks for a cheap one)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, password: str, display_name: str, role: str = Role.LEARNER) -> User:
    """Add a user (scrypt password hash); raises AccountError if the email is taken."""
    if role not in set(Role):
        raise AccountError(f"unknown role {role!r}")
    if find_user(email) is not None:
        raise AccountError("An account with this email already exists.")
    user = User(email=email.strip().lower(), display_name=display_name.strip(),
                password_hash=hash_password(password), role=role)
    try:
        with db.session.begin_nested():  # the same email registered twice at once
            db.session.add(user)
    except IntegrityError as error:
        raise AccountError("An account with this email already exists.") from error
    return user


def register(email: str, password: str, display_name: str) -> User | None:
    """A new learner account, or None when the email is taken: then its owner is told by
    mail. The caller answers the same either way, so registering reveals no accounts."""
    try:
        return create_user(email, password, display_name)
    except AccountError:
        owner = find_user(email)
        if owner is not None:
            send_mail(owner.email, "Someone tried to register with your email",
                      "Someone (perhaps you) tried to create a studyapp account with this email address.\n"
                      "You already have one: log in with it, or ask an admin for a password reset link.\n"
                      "If it was not you, you need do nothing.")
        return None


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_until: datetime | None = None


def authenticate(email: str, password: str, now: datetime) -> LoginResult:
    """Check a login; failures count against the email (see throttle.py) and are audited."""
    until = throttle.locked_until(email, now)
    if until is not None:
        _waste_a_check(password)
        return LoginResult(None, until)
    user = find_user(email)
    if user is None:
        _waste_a_check(password)
    elif check_password_hash(user.password_hash, password) and user.is_active:
        throttle.clear(email)
        audit(user.id, "sign_in", "user", user.id)
        return LoginResult(user)
    throttle.record_failure(email, now)
    if user is not None:
        audit(None, "sign_in_failed", "user", user.id)
    return LoginResult(None, throttle.locked_until(email, now))


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password and end every other session of this user."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("The current password is not right.")
    user.password_hash = hash_password(new)
    user.end_all_sessions()


def token_hash(token: str) -> str:
    """What is stored of a reset token: a leaked table holds no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


def valid_reset(token: str, now: datetime, lock: bool = False) -> PasswordReset | None:
    """The unused, unexpired reset of an active account that this token opens, or None."""
    if len(token) > 100:
        return None
    statement = select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    reset = db.session.scalar(statement.with_for_update() if lock else statement)
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    return reset if db.session.get(User, reset.user_id).is_active else None


def reset_password(token: str, new: str, now: datetime) -> User | None:
    """Set a new password through a one-time link (used up at once) and end every session."""
    reset = valid_reset(token, now, lock=True)
    if reset is None:
        return None
    user = db.session.get(User, reset.user_id)
    reset.used_at = now
    user.password_hash = hash_password(new)
    user.end_all_sessions()
    throttle.clear(user.email)
    audit(user.id, "password_reset", "user", user.id)
    return user
