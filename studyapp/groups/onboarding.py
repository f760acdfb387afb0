"""Adding a class from a list: accounts created all together or not at all, each with a
one-time link to set a password (shown to the trainer; mailed too when SMTP is set up)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from studyapp.audit import audit
from studyapp.auth.services import hash_password
from studyapp.domain.roster import RosterProblem, parse_roster
from studyapp.extensions import db
from studyapp.groups.services import join, membership
from studyapp.mail import send_mail
from studyapp.models import Group, SetPasswordToken, User

# Until the learner sets a password the account has none that can match: Werkzeug's
# check_password_hash answers False for a value without its "method$salt$hash" form.
NO_PASSWORD = "!unset"


@dataclass(frozen=True)
class Onboarded:
    name: str
    email: str
    link: str
    mailed: bool


def add_roster(actor: User, group: Group, text: str, now: datetime) -> tuple[list[Onboarded], list[RosterProblem]]:
    """Create an account per row, put each in the group and make its set-password link.

    Any problem (a bad row, an email that already has an account) creates nothing: the
    caller gets every problem by line. Existing accounts are never added by a trainer:
    a learner's progress becomes visible only when they join themselves."""
    rows, problems = parse_roster(text)
    taken = set(db.session.scalars(select(func.lower(User.email)).where(func.lower(User.email).in_([r.email for r in rows]))))
    problems += [RosterProblem(r.line, f"{r.email} already has an account: send that learner the join link instead.")
                 for r in rows if r.email in taken]
    if problems:
        return [], sorted(problems, key=lambda p: p.line)
    try:
        with db.session.begin_nested():
            accounts = [_create(row.email, row.name, group, now) for row in rows]
    except IntegrityError:   # one of the emails was registered in the meantime
        return [], [RosterProblem(0, "An account with one of these emails was created meanwhile: send the list again.")]
    created = [Onboarded(user.display_name, user.email, link, _mail_link(user, group, link)) for user, link in accounts]
    audit(actor.id, "group_roster_import", "group", group.id, accounts=len(created))
    return created, []


def _create(email: str, name: str, group: Group, now: datetime) -> tuple[User, str]:
    user = User(email=email, display_name=name, password_hash=f"{NO_PASSWORD}{secrets.token_hex(8)}")
    db.session.add(user)
    db.session.flush()
    join(user, group, now)
    return user, url_for("groups.welcome", token=_new_token(user, group, now), _external=True)


def awaiting_password(user: User) -> bool:
    """The account was made from a class list and its owner has not chosen a password yet."""
    return user.password_hash.startswith(NO_PASSWORD)


def reissue_link(actor: User, group: Group, user_id: int, now: datetime) -> Onboarded | None:
    """A new set-password link for a member whose account still has no password (the old
    link was lost or ran out); every earlier link of the account stops working.

    None for anyone else: once a learner has chosen a password, a trainer can never set or
    reset it, so a trainer cannot take over an account in use."""
    user = db.session.get(User, user_id)
    if user is None or not awaiting_password(user) or membership(group, user_id) is None:
        return None
    _end_links(user.id, now)
    link = url_for("groups.welcome", token=_new_token(user, group, now), _external=True)
    audit(actor.id, "set_password_link_reissued", "user", user.id, group=group.id)
    return Onboarded(user.display_name, user.email, link, _mail_link(user, group, link))


def _new_token(user: User, group: Group, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    days = current_app.config["SET_PASSWORD_DAYS"]
    db.session.add(SetPasswordToken(user_id=user.id, group_id=group.id, token_hash=token_hash(token),
                                    created_at=now, expires_at=now + timedelta(days=days)))
    return token


def _mail_link(user: User, group: Group, link: str) -> bool:
    if not current_app.config.get("MAIL_SERVER"):
        return False
    return send_mail(user.email, f"Your studyapp account for {group.name}",
                     f"Your trainer has made you a studyapp account for the group {group.name}.\n"
                     f"Choose your password here (the link works once):\n{link}\n")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def usable_token(token: str, now: datetime) -> SetPasswordToken | None:
    """The unused, unexpired link for this token, or None."""
    if not token or len(token) > 100:
        return None
    found = db.session.scalar(select(SetPasswordToken).where(SetPasswordToken.token_hash == token_hash(token)))
    if found is None or found.used_at is not None or found.expires_at <= now:
        return None
    return found


def set_password_with(link: SetPasswordToken, password: str, now: datetime) -> User:
    """Use the link once: the password is set and every other link of the account dies."""
    user = db.session.get(User, link.user_id)
    user.password_hash = hash_password(password)
    user.end_all_sessions()
    _end_links(user.id, now)
    return user


def _end_links(user_id: int, now: datetime) -> None:
    """Every unused set-password link of the account stops working."""
    for link in db.session.scalars(select(SetPasswordToken).where(SetPasswordToken.user_id == user_id,
                                                                  SetPasswordToken.used_at.is_(None))):
        link.used_at = now
