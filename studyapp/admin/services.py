"""Account administration. Every change leaves an audit entry and ending access is immediate:
a disabled account's session token is replaced, so its open sessions end at once."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from studyapp.audit import audit
from studyapp.auth.services import token_hash
from studyapp.extensions import db
from studyapp.models import AuditEntry, PasswordReset, User


class AdminError(Exception):
    """An admin action that would lock the admins out (acting on one's own account)."""


def users(query: str = "") -> list[User]:
    """Accounts by email; with a query, those whose email or name contains it."""
    statement = select(User).order_by(User.email)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(or_(func.lower(User.email).like(like), func.lower(User.display_name).like(like)))
    return list(db.session.scalars(statement.limit(500)))


def _not_yourself(admin: User, user: User) -> None:
    if admin.id == user.id:
        raise AdminError("You cannot do that to your own account; ask another admin.")


def set_role(admin: User, user: User, role: str) -> None:
    """Change a user's role."""
    _not_yourself(admin, user)
    if role != user.role:
        audit(admin.id, "role_changed", "user", user.id, before=user.role, after=role)
        user.role = role
        user.end_all_sessions()  # what they may see changes now, not at their next login


def set_disabled(admin: User, user: User, disabled: bool, now: datetime) -> None:
    """Disable (every session ends at once, no login) or enable an account."""
    _not_yourself(admin, user)
    user.disabled_at = now if disabled else None
    user.end_all_sessions()
    audit(admin.id, "account_disabled" if disabled else "account_enabled", "user", user.id)


def create_reset_link_token(admin: User, user: User, now: datetime, hours: int) -> str:
    """A one-time reset token for `user` (only its hash is stored); older unused ones die."""
    for earlier in db.session.scalars(select(PasswordReset).where(PasswordReset.user_id == user.id,
                                                                  PasswordReset.used_at.is_(None))):
        earlier.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token_hash=token_hash(token), created_at=now,
                                 created_by_id=admin.id, expires_at=now + timedelta(hours=hours)))
    audit(admin.id, "password_reset_link", "user", user.id, hours=hours)
    return token


def audit_log(limit: int = 300) -> list[AuditEntry]:
    """The newest entries first."""
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))


def entries_about(user: User, limit: int = 50) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.target_type == "user",
                                                            AuditEntry.target_id == str(user.id))
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))
