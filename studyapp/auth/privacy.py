"""A learner's own data: everything studyapp holds about them, and deleting the account.

Deletion anonymizes the account row and deletes what is personal but not statistical:
cards, reading marks, practice sessions, reset links and login counters. The answer log
and submitted mocks stay, attached to the anonymized row (no email, name, password or
settings; not reversible), because item statistics and the cohort's topic facility are
computed from every answer ever given; deleting them would silently change other
learners' estimates and trainers' item analysis."""

import csv
import io
import secrets
import zipfile
from datetime import datetime

from sqlalchemy import delete, select, update

from studyapp import tallies
from studyapp.audit import audit
from studyapp.extensions import db
from studyapp.models import (
    Answer, AuditEntry, Card, Group, LoginThrottle, Membership, MockExam, PasswordReset, PracticeSession,
    ProblemReport, SessionItem, TopicRead, User,
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _owned(model, user_id: int):
    return db.session.scalars(select(model).where(model.user_id == user_id))


def export_data(user: User) -> dict:
    """Everything held about `user`, as plain JSON-ready data."""
    uid = user.id
    return {
        "account": {"id": uid, "email": user.email, "display_name": user.display_name, "role": user.role,
                    "created_at": _iso(user.created_at)},
        "settings": {"desired_retention": user.desired_retention, "exam_date": _iso(user.exam_date),
                     "extra_time": user.extra_time},
        "answers": [{"answered_at": _iso(a.answered_at), "question_id": a.question_id, "topic_id": a.topic_id,
                     "source": a.source, "chosen_option": a.chosen_option, "correct": a.correct, "guessed": a.guessed,
                     "rating": a.rating, "duration_ms": a.duration_ms} for a in _owned(Answer, uid)],
        "cards": [{"question_id": c.question_id, "state": c.state, "stability": c.stability,
                   "difficulty": c.difficulty, "due": _iso(c.due), "last_review": _iso(c.last_review),
                   "reviews": c.reviews, "lapses": c.lapses} for c in _owned(Card, uid)],
        "mocks": [{"started_at": _iso(m.started_at), "submitted_at": _iso(m.submitted_at), "length": m.length,
                   "score": m.score, "pass_mark": m.pass_mark, "auto_submitted": m.auto_submitted} for m in _owned(MockExam, uid)],
        "practice_sessions": [{"created_at": _iso(s.created_at), "kind": s.kind, "scope": s.scope}
                              for s in _owned(PracticeSession, uid)],
        "topics_read": [{"topic_id": t.topic_id, "read_at": _iso(t.read_at)} for t in _owned(TopicRead, uid)],
        "account_events": [{"at": _iso(e.at), "action": e.action, "detail": e.detail} for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.target_type == "user", AuditEntry.target_id == str(uid)))],
        "reports_filed": [{"created_at": _iso(r.created_at), "question_id": r.question_id, "reason": r.reason,
                           "text": r.text, "status": r.status, "outcome": r.outcome} for r in _owned(ProblemReport, uid)],
        "groups": [{"group": name, "joined_at": _iso(m.joined_at), "left_at": _iso(m.left_at),
                    "extra_time_granted": m.extra_time} for m, name in db.session.execute(
            select(Membership, Group.name).join(Group, Group.id == Membership.group_id).where(Membership.user_id == uid))],
    }


def export_zip(data: dict) -> bytes:
    """The same data as one CSV file per section, zipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for section, value in data.items():
            records = value if isinstance(value, list) else [value]
            text = io.StringIO()
            columns = sorted({key for record in records for key in record}) or ["(none)"]
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows(records)
            archive.writestr(f"{section}.csv", text.getvalue())
    return out.getvalue()


def delete_account(user: User, now: datetime) -> None:
    """Delete or anonymize everything personal (see the module docstring); sessions end."""
    uid = user.id
    sessions = select(PracticeSession.id).where(PracticeSession.user_id == uid)
    db.session.execute(update(Answer).where(Answer.user_id == uid).values(session_item_id=None))
    db.session.execute(delete(SessionItem).where(SessionItem.session_id.in_(sessions)))
    db.session.execute(delete(PracticeSession).where(PracticeSession.user_id == uid))
    for model in (Card, TopicRead, PasswordReset):
        db.session.execute(delete(model).where(model.user_id == uid))
    tallies.forget(uid)
    db.session.execute(update(PasswordReset).where(PasswordReset.created_by_id == uid).values(created_by_id=None))
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email == user.email))
    # Problem reports stay for the trainer's queue and the item statistics, without what the learner wrote.
    db.session.execute(update(ProblemReport).where(ProblemReport.user_id == uid).values(text=""))
    # No trainer sees the account any more.
    db.session.execute(update(Membership).where(Membership.user_id == uid, Membership.left_at.is_(None))
                       .values(left_at=now))
    user.email = f"deleted-{uid}-{secrets.token_hex(6)}@invalid"
    user.display_name = "Deleted account"
    user.password_hash = "!"  # matches no password
    user.exam_date, user.desired_retention, user.extra_time = None, 0.9, False
    user.deleted_at = now
    user.end_all_sessions()
    audit(uid, "account_deleted", "user", uid)
    db.session.flush()
