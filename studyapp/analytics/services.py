"""Learners' problem reports, the trainer's queue, resolving reports, and a question's statistics panel.

A report names a question version the learner was shown (a practice item they answered,
or a question of a submitted mock): another learner's item is the same "not found" as a
missing one. One open report per learner and version (held by a partial unique index),
and at most REPORTS_PER_HOUR reports an hour per learner."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from studyapp.analytics import stats
from studyapp.audit import audit
from studyapp.domain.item_stats import report_flag
from studyapp.extensions import db
from studyapp.models import (
    ItemStat, MockExam, MockItem, PracticeSession, ProblemReport, Question, QuestionVersion, Regrade, SessionItem, User,
)

REASONS = {"key": "The key is wrong", "two": "Two answers are right", "unclear": "The wording is unclear",
           "typo": "A typo", "link": "The syllabus link is broken", "other": "Something else"}


class AlreadyReported(Exception):
    """This learner already has an open report on this question version."""


class Throttled(Exception):
    """Too many reports from this learner in the last hour."""


@dataclass(frozen=True)
class Reportable:
    version: QuestionVersion
    kind: str          # practice | mock
    place: tuple       # (session id, position) or (exam id, position): where to send the learner back


def reportable(user: User, kind: str, item_id: int) -> Reportable | None:
    """The version behind the learner's own answered practice item or submitted mock item, else None."""
    if kind == "practice":
        item = db.session.scalar(select(SessionItem).join(PracticeSession)
                                 .where(SessionItem.id == item_id, PracticeSession.user_id == user.id))
        if item is None or item.answer is None:
            return None
        return Reportable(item.question_version, kind, (item.session_id, item.position))
    item = db.session.scalar(select(MockItem).join(MockExam).where(
        MockItem.id == item_id, MockExam.user_id == user.id, MockExam.submitted_at.is_not(None)))
    return None if item is None else Reportable(item.question_version, kind, (item.exam_id, item.position))


def file_report(user: User, version: QuestionVersion, reason: str, text: str, now: datetime,
                per_hour: int) -> ProblemReport:
    """Record a learner's report; AlreadyReported or Throttled when it may not be filed."""
    recent = db.session.scalar(select(func.count(ProblemReport.id)).where(
        ProblemReport.user_id == user.id, ProblemReport.created_at > now - timedelta(hours=1)))
    if recent >= per_hour:
        raise Throttled()
    if _open_report(user.id, version.id) is not None:
        raise AlreadyReported()
    report = ProblemReport(user_id=user.id, question_id=version.question_id, question_version_id=version.id,
                           reason=reason, text=text.strip(), created_at=now, status="open")
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:   # the same report sent twice at once: the index kept one
        raise AlreadyReported() from None
    return report


def _open_report(user_id: int, version_id: int) -> ProblemReport | None:
    return db.session.scalar(select(ProblemReport).where(ProblemReport.user_id == user_id, ProblemReport.status == "open",
                                                        ProblemReport.question_version_id == version_id))


@dataclass
class QueueGroup:
    """Open reports on one question: counts by reason and every learner's text."""

    question_id: str
    stem: str
    reports: list[ProblemReport] = field(default_factory=list)

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return Counter(REASONS[r.reason] for r in self.reports).most_common()


def queue() -> list[QueueGroup]:
    """Open reports grouped by question, the most reported first."""
    groups: dict[str, QueueGroup] = {}
    rows = db.session.execute(select(ProblemReport, QuestionVersion.stem)
                              .join(Question, Question.id == ProblemReport.question_id)
                              .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
                              .where(ProblemReport.status == "open").order_by(ProblemReport.created_at))
    for report, stem in rows:
        groups.setdefault(report.question_id, QueueGroup(report.question_id, stem)).reports.append(report)
    return sorted(groups.values(), key=lambda g: (-len(g.reports), g.question_id))


def open_reports(question_id: str) -> list[ProblemReport]:
    return list(db.session.scalars(select(ProblemReport).where(ProblemReport.question_id == question_id,
                                                               ProblemReport.status == "open")
                                   .order_by(ProblemReport.created_at)))


class NotFixedYet(Exception):
    """"Fixed" needs a version newer than every reported one."""


def resolve(question: Question, action: str, note: str, trainer: User, now: datetime) -> int:
    """Close the question's open reports as fixed (by a newer version) or dismissed (with a reason).

    Returns how many were closed; the reporters read `outcome` on their dashboard."""
    reports = open_reports(question.id)
    if action == "fixed":
        current = question.current_version
        if any(r.question_version.version >= current.version for r in reports):
            raise NotFixedYet()
        outcome = f"Fixed: the question was changed (version {current.version}). {note}".strip()
    else:
        outcome = f"Dismissed: {note}"
    close_reports(reports, "fixed" if action == "fixed" else "dismissed", outcome, trainer, now)
    audit(trainer.id, f"reports-{action}", "question", question.id, reports=[r.id for r in reports], note=note)
    return len(reports)


def close_reports(reports: list[ProblemReport], status: str, outcome: str, trainer: User, now: datetime) -> None:
    for report in reports:
        report.status, report.outcome, report.resolved_at, report.resolved_by_id = status, outcome, now, trainer.id
    db.session.flush()


def my_reports(user_id: int, limit: int = 5) -> list[ProblemReport]:
    """The learner's latest reports with what happened to them (their dashboard)."""
    return list(db.session.scalars(select(ProblemReport).where(ProblemReport.user_id == user_id)
                                   .order_by(ProblemReport.created_at.desc(), ProblemReport.id.desc()).limit(limit)))


@dataclass(frozen=True)
class Panel:
    """A question's statistics section: cached figures of the current version, flags, reports, regrades."""

    stat: ItemStat | None
    flags: list[dict]
    open_reports: list[ProblemReport]
    regrades: list[Regrade]
    answered_versions: list[QuestionVersion]
    computed_at: datetime | None


def question_panel(question: Question) -> Panel:
    """What the question page shows about how the question works (read from the cache)."""
    stat = stats.stats_of(question.current_version_id)
    reports = open_reports(question.id)
    regrades = list(db.session.scalars(select(Regrade).where(Regrade.question_id == question.id).order_by(Regrade.at)))
    answered = list(db.session.scalars(select(QuestionVersion).where(QuestionVersion.question_id == question.id)
                                       .order_by(QuestionVersion.version.desc())))
    run = stats.latest_run()
    flags = [*(stat.flags if stat else []), *([vars(report_flag(len(reports)))] if reports else [])]
    return Panel(stat, flags, reports, regrades, answered,
                 run.computed_at if run else None)
