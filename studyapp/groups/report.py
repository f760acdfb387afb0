"""The group report in a handful of aggregate queries whatever the group's size: mastery,
activity and open mistakes for every learner from their stored tallies, kept up to date
with the answer log (standings.group_standings, studyapp/tallies.py), mock checks and
mock results each grouped by learner in the database. Python then only arranges
per-learner totals (see domain/cohort_report.py)."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from studyapp.domain.cohort_report import (
    Bin, GridRow, HelpRules, LearnerFacts, MockWeek, NeedsHelp, TopicColumn, TopicStake, cell_of, mock_weeks,
    needs_help, readiness_spread, sort_rows, weakest_topics,
)
from studyapp.domain.readiness import readiness
from studyapp.extensions import db
from studyapp.models import Group, Membership, MockExam, Question, Status, User
from studyapp.standings import empty_standings, group_standings, mock_checks, topic_facility


@dataclass(frozen=True)
class GroupReport:
    topics: list[TopicColumn]
    rows: list[GridRow]
    weakest: list[TopicStake]
    help: list[NeedsHelp]
    spread: list[Bin]
    withheld: int
    mock_weeks: list[MockWeek]
    rules: HelpRules


def _members(group: Group):
    return select(Membership.user_id).where(Membership.group_id == group.id, Membership.left_at.is_(None))


def help_rules() -> HelpRules:
    config = current_app.config
    return HelpRules(inactive_days=config["GROUP_INACTIVE_DAYS"], open_mistakes=config["GROUP_OPEN_MISTAKES"])


def build_report(group: Group, now: datetime, sort: str = "name", descending: bool = False) -> GroupReport:
    """Everything the report page shows for the group's current members."""
    members = _members(group)
    people = db.session.execute(select(User.id, User.display_name, User.exam_date, Membership.joined_at)
                                .join(Membership, Membership.user_id == User.id)
                                .where(Membership.group_id == group.id, Membership.left_at.is_(None))).all()
    facility = topic_facility()   # a sum over the bank's counters: cheap, so never cached
    known = group_standings([person.id for person in people], facility)
    blank = empty_standings(facility)
    checks = mock_checks(members)
    bank_size = db.session.scalar(select(func.count()).select_from(Question).where(Question.status == Status.PUBLISHED))
    rows, facts, per_learner = [], [], []
    for user_id, name, own_date, joined in people:
        entry = known.get(user_id)
        standings = entry.standings if entry else blank
        ready = readiness(standings, entry.answers_by_module if entry else {}, checks.get(user_id, []))
        rows.append(GridRow(user_id, name, [cell_of(s) for s in standings], ready))
        per_learner.append(standings)
        last, met, mistakes = (entry.last_answer, entry.questions_met, entry.open_mistakes) if entry else (None, 0, 0)
        facts.append(LearnerFacts(user_id, name, ready, own_date or group.exam_date, joined.date(), met, bank_size,
                                  last, mistakes))
    topics = [TopicColumn(s.topic_id, s.topic_title, s.module_title) for s in blank]
    spread, withheld = readiness_spread([row.readiness for row in rows])
    rules = help_rules()
    return GroupReport(topics, sort_rows(rows, topics, sort, descending), weakest_topics(per_learner),
                       needs_help(facts, now, rules), spread, withheld, mock_weeks(_mocks(members), now), rules)


def _mocks(members) -> list[tuple[datetime, int, int, int]]:
    return list(db.session.execute(select(MockExam.submitted_at, MockExam.score, MockExam.length, MockExam.pass_mark)
                                   .where(MockExam.user_id.in_(members), MockExam.submitted_at.is_not(None))))


def grid_csv(report: GroupReport) -> str:
    """The grid as CSV: per topic the estimate (blank with too little data) and the answers."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["learner", "predicted_score", "pass_probability"]
    for topic in report.topics:
        header += [f"{topic.topic_id} mastery", f"{topic.topic_id} answers"]
    writer.writerow(header)
    for row in report.rows:
        ready = row.readiness
        line = [_safe(row.name), "" if ready.withheld else f"{ready.predicted:.1f}",
                "" if ready.withheld else f"{ready.pass_probability:.2f}"]
        for cell in row.cells:
            line += ["" if cell.level in ("none", "unknown") else f"{cell.mean:.2f}", cell.answers]
        writer.writerow(line)
    return out.getvalue()


def help_csv(report: GroupReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "reasons"])
    for person in report.help:
        writer.writerow([_safe(person.name), " | ".join(person.reasons)])
    return out.getvalue()


def _safe(text: str) -> str:
    """A learner's own name cannot become a spreadsheet formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
