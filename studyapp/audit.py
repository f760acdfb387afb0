"""The audit trail: every trainer and admin action that changes content or accounts."""

from studyapp.extensions import db
from studyapp.models import AuditEntry, utcnow


def audit(actor_id: int | None, action: str, target_type: str, target_id: str, **detail) -> None:
    """Record one action (actor None: the command line); `detail` must be JSON-serializable."""
    db.session.add(AuditEntry(actor_id=actor_id, action=action, target_type=target_type,
                              target_id=str(target_id), detail=detail, at=utcnow()))
