"""Accounts and roles."""

import secrets
from datetime import date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column

from studyapp.models.base import Base, utcnow


class Role(StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class AccountRules:
    """What a user answers from its own columns, alike for the ORM User and for the
    read-only LoggedInUser a request's login loads (security.py)."""

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses inactive users: a disabled or deleted account cannot log in."""
        return self.disabled_at is None and self.deleted_at is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class User(AccountRules, UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.LEARNER)
    # Part of the login cookie; replacing it ends every session of this user.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    desired_retention: Mapped[float] = mapped_column(default=0.9)
    exam_date: Mapped[date | None]
    extra_time: Mapped[bool] = mapped_column(default=False)
    # Single-letter keys (1-4, G, F) on question pages; off for speech-input users (WCAG 2.1.4).
    keyboard_shortcuts: Mapped[bool] = mapped_column(default=True, server_default=true())
    # IANA name such as "Europe/London"; None: the browser's zone (cookie), else UTC.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # Questions a day the exam-date plan may ask for; None: no limit.
    daily_budget: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by an admin: no login, every session ends. Deleted accounts are anonymized rows
    # (their answers stay, anonymous, for item statistics; see auth/privacy.py).
    disabled_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()


class LoginThrottle(Base):
    """Failed logins per email address (known or not, so it reveals nothing), in the
    database so that the limit holds across workers and restarts."""

    __tablename__ = "login_throttle"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class PasswordReset(Base):
    """A one-time password reset link an admin made; only the token's hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
