"""Groups: who may see which group, creating and archiving, join codes, joining and leaving,
removing a learner and granting extra time. Every change a trainer makes is audited."""

import hashlib
import hmac
import secrets
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select

from studyapp.audit import audit
from studyapp.extensions import db
from studyapp.models import Group, GroupInvite, Membership, Role, User, utcnow

# Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or copied from a
# projector is not mistyped.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12                      # 60 bits: not guessable, even without a per-address limit
MAX_CODE_INPUT = 30


class GroupError(Exception):
    pass


def visible_groups(user: User, archived: bool = False) -> list[Group]:
    """The groups a trainer runs, or every group for an admin, by name."""
    statement = select(Group).where(Group.archived_at.is_not(None) if archived else Group.archived_at.is_(None))
    if not user.has_role(Role.ADMIN):
        statement = statement.where(Group.trainer_id == user.id)
    return list(db.session.scalars(statement.order_by(Group.name, Group.id)))


def get_group(user: User, group_id: int) -> Group | None:
    """A group this trainer runs (any group for an admin); another trainer's is None, as a missing one."""
    group = db.session.get(Group, group_id)
    if group is None or not (user.has_role(Role.ADMIN) or group.trainer_id == user.id):
        return None
    return group


def create_group(trainer: User, name: str, exam_date: date | None, default_extra_time: bool) -> Group:
    """A new group run by `trainer`, with a join code ready to hand out."""
    group = Group(name=name.strip(), trainer_id=trainer.id, exam_date=exam_date, default_extra_time=default_extra_time)
    db.session.add(group)
    db.session.flush()
    renew_invite(trainer, group)
    audit(trainer.id, "group_create", "group", group.id, name=group.name)
    return group


def update_group(actor: User, group: Group, name: str, exam_date: date | None, default_extra_time: bool) -> None:
    group.name, group.exam_date, group.default_extra_time = name.strip(), exam_date, default_extra_time
    audit(actor.id, "group_update", "group", group.id, name=group.name,
          exam_date=exam_date.isoformat() if exam_date else None, default_extra_time=default_extra_time)


def archive_group(actor: User, group: Group, now: datetime) -> None:
    """Archive: the join code stops working and the trainer no longer sees anyone's progress."""
    group.archived_at = now
    disable_invite(actor, group, now)
    audit(actor.id, "group_archive", "group", group.id)


# Join codes ---------------------------------------------------------------------------

def _code_for(invite: GroupInvite) -> str:
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), f"join:{invite.nonce}".encode(), "sha256").digest()
    number = int.from_bytes(digest[:10], "big")
    return "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalize_code(text: str) -> str | None:
    """The code as typed (any case, spaces or dashes) in canonical form, or None if it cannot be one."""
    code = "".join(c for c in text.upper() if c not in " -")[:MAX_CODE_INPUT]
    code = code.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def display_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def active_invite(group: Group) -> GroupInvite | None:
    return db.session.scalar(select(GroupInvite).where(GroupInvite.group_id == group.id,
                                                       GroupInvite.disabled_at.is_(None)))


def join_code(group: Group) -> str | None:
    """The group's current join code (recomputed from the secret key), or None when turned off."""
    invite = active_invite(group)
    return _code_for(invite) if invite else None


def renew_invite(actor: User, group: Group, now: datetime | None = None) -> str:
    """Turn the old code off and make a new one; returns it."""
    if group.archived_at is not None:
        raise GroupError("An archived group takes no new members.")
    disable_invite(actor, group, now or utcnow(), audited=False)
    invite = GroupInvite(group_id=group.id, nonce=secrets.token_hex(16), code_hash="")
    invite.code_hash = _hash(_code_for(invite))
    db.session.add(invite)
    db.session.flush()
    audit(actor.id, "group_invite_renew", "group", group.id)
    return _code_for(invite)


def disable_invite(actor: User, group: Group, now: datetime, audited: bool = True) -> None:
    invite = active_invite(group)
    if invite is not None:
        invite.disabled_at = now
        if audited:
            audit(actor.id, "group_invite_off", "group", group.id)


def group_for_code(code: str) -> Group | None:
    """The open group this code lets a learner into, or None (unknown, turned off, archived)."""
    normal = normalize_code(code)
    if normal is None:
        return None
    return db.session.scalar(select(Group).join(GroupInvite).where(
        GroupInvite.code_hash == _hash(normal), GroupInvite.disabled_at.is_(None), Group.archived_at.is_(None)))


# Members --------------------------------------------------------------------------------

def membership(group: Group, user_id: int, active: bool = True) -> Membership | None:
    statement = select(Membership).where(Membership.group_id == group.id, Membership.user_id == user_id)
    if active:
        statement = statement.where(Membership.left_at.is_(None))
    return db.session.scalar(statement)


def join(user: User, group: Group, now: datetime) -> Membership:
    """Put a learner in a group (again, if they had left); the group's default extra time applies."""
    if not user.has_role(Role.LEARNER):
        raise GroupError("Only learner accounts join groups: trainers and admins see groups from their own pages.")
    if group.archived_at is not None:
        raise GroupError("This group is archived and takes no new members.")
    member = membership(group, user.id, active=False)
    if member is None:
        member = Membership(group_id=group.id, user_id=user.id, joined_at=now, extra_time=group.default_extra_time)
        db.session.add(member)
    elif member.left_at is not None:
        member.left_at, member.joined_at, member.extra_time = None, now, group.default_extra_time
    db.session.flush()
    return member


def leave(user: User, group_id: int, now: datetime) -> bool:
    """The learner leaves; the trainer's view of them ends at once. False if not a member."""
    member = db.session.scalar(select(Membership).where(Membership.group_id == group_id, Membership.user_id == user.id,
                                                        Membership.left_at.is_(None)))
    if member is None:
        return False
    member.left_at = now
    return True


def remove_member(actor: User, group: Group, user_id: int, now: datetime) -> bool:
    member = membership(group, user_id)
    if member is None:
        return False
    member.left_at = now
    audit(actor.id, "group_remove_member", "group", group.id, user_id=user_id)
    return True


def set_extra_time(actor: User, group: Group, user_id: int, granted: bool) -> bool:
    """Grant or withdraw 25 % extra time in mocks for one member."""
    member = membership(group, user_id)
    if member is None:
        return False
    member.extra_time = granted
    audit(actor.id, "group_extra_time", "group", group.id, user_id=user_id, granted=granted)
    return True


def members(group: Group) -> list[tuple[User, Membership]]:
    """The group's current members, by name."""
    return list(db.session.execute(
        select(User, Membership).join(Membership, Membership.user_id == User.id)
        .where(Membership.group_id == group.id, Membership.left_at.is_(None))
        .order_by(func.lower(User.display_name), User.id)))


def visible_member(viewer: User, group_id: int, user_id: int) -> tuple[Group, User] | None:
    """A learner whose progress `viewer` may see now: in a live group the viewer runs (or any
    for an admin). Anything else is None, shown as the same 404 as a missing id."""
    group = get_group(viewer, group_id)
    if group is None or group.archived_at is not None or membership(group, user_id) is None:
        return None
    return group, db.session.get(User, user_id)
