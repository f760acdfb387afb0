"""Groups a trainer runs, who is in them, how learners get in, and what a group changes
for its learners (exam date, extra time)."""

from datetime import date, datetime
from functools import cache

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, bindparam, func, select
from sqlalchemy.orm import Mapped, Session, joinedload, mapped_column, relationship

from studyapp.models.base import Base, utcnow
from studyapp.models.users import User


class Group(Base):
    """A class a trainer runs. Archived groups keep their rows but show no one's progress."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    exam_date: Mapped[date | None]
    # New members get 25 % extra time granted; the trainer can change it per learner.
    default_extra_time: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    trainer: Mapped[User] = relationship()
    memberships: Mapped[list["Membership"]] = relationship(back_populates="group")


class Membership(Base):
    """A learner in a group. Leaving (or being removed) sets left_at: from that moment the
    trainer sees nothing. Joining again reopens the same row."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"), Index("ix_memberships_user", "user_id", "left_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]
    # 25 % extra time in mocks, granted by the trainer (the learner may also declare it).
    extra_time: Mapped[bool] = mapped_column(default=False)

    group: Mapped[Group] = relationship(back_populates="memberships")


class GroupInvite(Base):
    """A join link/code. The code is derived from the app's secret key and `nonce`
    (see groups/services.py), so it can be shown again; only its hash is searchable here,
    and the database alone does not reveal it. Turning it off or renewing disables it."""

    __tablename__ = "group_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[datetime | None]


class SetPasswordToken(Base):
    """A one-time link for an account a trainer created from a list; only the hash is kept."""

    __tablename__ = "set_password_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


def _active_groups(user_id: int):
    """Current memberships of live (not archived) groups."""
    return (select(Group, Membership).join(Membership, Membership.group_id == Group.id)
            .where(Membership.user_id == user_id, Membership.left_at.is_(None), Group.archived_at.is_(None)))


def learner_groups(session: Session, user_id: int) -> list[tuple[Group, Membership]]:
    """The groups a learner is in now (one indexed query), by name."""
    statement = _active_groups(user_id).options(joinedload(Group.trainer)).order_by(Group.name, Group.id)
    return list(session.execute(statement))


def nearest_exam_date(groups: list[tuple[Group, Membership]], today: date) -> date | None:
    """The nearest group exam date still ahead, from groups already loaded."""
    dates = [group.exam_date for group, _ in groups if group.exam_date and group.exam_date >= today]
    return min(dates) if dates else None


def exam_date_for(session: Session, user: User, today: date) -> date | None:
    """The learner's own exam date, else their groups' nearest one still ahead."""
    return user.exam_date or group_exam_date(session, user.id, today)


def group_exam_date(session: Session, user_id: int, today: date) -> date | None:
    """The nearest exam date still ahead among the learner's groups: theirs unless they set one."""
    return session.scalar(_group_exam_date_of_user(), {"user_id": user_id, "today": today})


@cache
def _group_exam_date_of_user():
    # Built once: the dashboard and a mock's submit ask it.
    return group_exam_date_statement().where(Membership.user_id == bindparam("user_id"))


def group_exam_date_statement():
    """The nearest exam date on or after :today among the groups of the learner that a
    where() on Membership.user_id names: a statement to run, or a subquery of one."""
    return (select(func.min(Group.exam_date)).join(Membership, Membership.group_id == Group.id)
            .where(Membership.left_at.is_(None), Group.archived_at.is_(None), Group.exam_date >= bindparam("today")))


def extra_time_granted(session: Session, user_id: int) -> bool:
    """Whether a trainer of one of the learner's groups has granted 25 % extra time."""
    statement = (select(Membership.id).join(Group, Group.id == Membership.group_id)
                 .where(Membership.user_id == user_id, Membership.left_at.is_(None), Group.archived_at.is_(None),
                        Membership.extra_time.is_(True)).limit(1))
    return session.scalar(statement) is not None
