"""Who may do what: loading the logged-in user, roles, safe redirects, write locks."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_login import UserMixin, current_user, login_required
from sqlalchemy import bindparam, select

from studyapp.extensions import begin_reads, begin_write, db, execute_core, login_manager
from studyapp.models import User
from studyapp.models.users import AccountRules

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def init_app(app) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_begin_request_transaction)


def _begin_request_transaction() -> None:
    # Runs before anything touches the database in this request (the user is
    # loaded lazily), so a write starts with the write lock and a read with no
    # transaction at all (see begin_reads).
    if request.method in UNSAFE_METHODS:
        begin_write()
    else:
        begin_reads()


class LoggedInUser(AccountRules, UserMixin):
    """The logged-in user as read for this request: every column of users, read-only.

    Every logged-in request loads its user, and almost all of them only read it. Through
    the ORM that cost about 0.1 ms of a 1 ms question page (an interleaved in-process A/B),
    more than the page's own query, so the login reads the row with Core instead. A request
    that changes the account asks for the ORM object with record(); writing to this one
    raises at once instead of being silently lost. Services that take a User and only read
    it take this as well, and it equals the User of the same id and session (UserMixin
    compares get_id())."""

    def __init__(self, columns) -> None:
        self.__dict__.update(columns)

    def __setattr__(self, name, _value):
        raise AttributeError(f"the logged-in user is read-only here: change {name!r} on current_user.record()")

    def record(self) -> User:
        """This user as an ORM object in the request's session, to change and commit."""
        return db.session.get(User, self.id)


# A statement built once: building it on every request cost more than running it.
_USER_ROW_BY_ID = select(User.__table__).where(User.__table__.c.id == bindparam("id"))


@login_manager.user_loader
def load_user(user_key: str) -> LoggedInUser | None:
    """The cookie holds "<id>:<session token>"; a replaced token ends old sessions."""
    user_id, _, token = user_key.partition(":")
    if not user_id.isdigit() or not token:
        return None
    row = execute_core(_USER_ROW_BY_ID, {"id": int(user_id)}).first()
    if row is None:
        return None
    user = LoggedInUser(row._mapping)
    if user.session_token != token or not user.is_active:
        return None
    return user


def role_required(*roles: str, hide: bool = False):
    """Logged in and holding one of `roles`, or 403. The one gate for every role check.

    With `hide`, others get 404 instead: the area does not exist for them, so nothing
    in it (a draft question's id, say) can be probed by comparing answers."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(404 if hide else 403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def safe_next(target: str | None) -> str | None:
    """Only a same-site relative path is an acceptable `next` redirect."""
    if not target or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
