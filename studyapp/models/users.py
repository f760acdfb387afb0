"""Accounts and roles."""

import secrets
from datetime import date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from studyapp.models.base import Base, utcnow


class Role(StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, Base):
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_all_sessions(self) -> None:
        self.session_token = new_session_token()

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
