"""Accounts: registering, checking passwords, ending sessions."""

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from studyapp.extensions import db
from studyapp.models import Role, User

# A hash of a random password, checked when the email is unknown so that a
# failed login takes as long whether or not the account exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0f2b6c")


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
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password and end every other session of this user."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("The current password is not right.")
    user.password_hash = hash_password(new)
    user.end_all_sessions()
