"""A trainer's group report: the topic x learner grid, the group's weakest topics, who
needs help and why, how readiness is spread, and the group's mocks week by week.

Pure: it takes standings and facts already gathered (one aggregate query each, see
groups/report.py) and `today`/`now`; it queries nothing."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from studyapp.domain.exams import EXAM_PASS_MARK, EXAM_QUESTIONS
from studyapp.domain.readiness import Readiness
from studyapp.domain.report import TopicStanding


@dataclass(frozen=True)
class Cell:
    """One learner on one topic. `level` is "none" (never practised), "unknown" (too
    little data: no colour, the answer count instead), or weak / fair / strong."""

    mean: float
    low: float
    high: float
    answers: int
    level: str

    @property
    def text(self) -> str:
        if self.level == "none":
            return "not practised"
        if self.level == "unknown":
            return f"too little data ({self.answers} answer{'s' if self.answers != 1 else ''})"
        return f"{round(self.mean * 100)} % ({round(self.low * 100)}–{round(self.high * 100)})"


def cell_of(standing: TopicStanding) -> Cell:
    """The grid cell for one standing, with the same thresholds as the learner's own chart."""
    m = standing.mastery
    if m.answers == 0:
        level = "none"
    elif not standing.enough_data:
        level = "unknown"
    else:
        level = "weak" if m.mean < 0.6 else "strong" if m.mean >= 0.8 else "fair"
    return Cell(m.mean, m.low, m.high, m.answers, level)


@dataclass(frozen=True)
class GridRow:
    user_id: int
    name: str
    cells: list[Cell]                 # in the order of the grid's topics
    readiness: Readiness


@dataclass(frozen=True)
class TopicColumn:
    topic_id: str
    title: str
    module_title: str


SORTS = ("name", "readiness")


def sort_rows(rows: list[GridRow], topics: list[TopicColumn], sort: str, descending: bool = False) -> list[GridRow]:
    """Rows by learner name, by predicted score, or by mastery in one topic ("topic:<id>").

    Learners without an estimate (withheld readiness, unpractised topic) always go last."""
    if sort == "name":
        return sorted(rows, key=lambda r: (r.name.casefold(), r.user_id), reverse=descending)
    if sort == "readiness":
        known = [r for r in rows if r.readiness.withheld is None]
        rest = [r for r in rows if r.readiness.withheld is not None]
        return sorted(known, key=lambda r: r.readiness.predicted, reverse=descending) + _by_name(rest)
    index = [t.topic_id for t in topics].index(sort.removeprefix("topic:"))
    known = [r for r in rows if r.cells[index].answers]
    rest = [r for r in rows if not r.cells[index].answers]
    return sorted(known, key=lambda r: r.cells[index].mean, reverse=descending) + _by_name(rest)


def _by_name(rows: list[GridRow]) -> list[GridRow]:
    return sorted(rows, key=lambda r: (r.name.casefold(), r.user_id))


@dataclass(frozen=True)
class TopicStake:
    """How much of a 50-question mock the group stands to lose on one topic."""

    topic_id: str
    title: str
    module_title: str
    questions: float                  # the topic's expected share of a 50-question mock
    group_mastery: float              # mean estimate over the learners who practised it
    learners: int                     # how many practised it

    @property
    def marks_at_stake(self) -> float:
        """Marks per learner the group would gain in a mock if the topic were mastered."""
        return self.questions * (1 - self.group_mastery)


def weakest_topics(per_learner: list[list[TopicStanding]], limit: int = 5) -> list[TopicStake]:
    """Topics practised by the group, ranked by the marks they put at stake in a mock.

    A module's share of the 50 questions is spread evenly over its topics."""
    if not per_learner:
        return []
    first = per_learner[0]
    weights = {s.module_id: s.module_weight for s in first}
    topics_in_module = {m: sum(1 for s in first if s.module_id == m) for m in weights}
    total_weight = sum(weights.values()) or 1
    stakes = []
    for index, standing in enumerate(first):
        practised = [learner[index].mastery.mean for learner in per_learner if learner[index].mastery.answers]
        if not practised:
            continue
        questions = EXAM_QUESTIONS * standing.module_weight / total_weight / topics_in_module[standing.module_id]
        stakes.append(TopicStake(standing.topic_id, standing.topic_title, standing.module_title, questions,
                                 sum(practised) / len(practised), len(practised)))
    return sorted(stakes, key=lambda s: (-s.marks_at_stake, s.topic_id))[:limit]


@dataclass(frozen=True)
class HelpRules:
    inactive_days: int = 7
    open_mistakes: int = 15
    fail_probability: float = 0.5     # flagged when the chance of passing is below this
    plan_margin_days: int = 3         # the last days before the exam are for review (as daily_plan)
    plan_tolerance: float = 0.1       # share of the bank a learner may lag before it is flagged


@dataclass(frozen=True)
class LearnerFacts:
    """What the rules look at, for one learner, all from aggregate queries."""

    user_id: int
    name: str
    readiness: Readiness
    exam_date: date | None
    started: date                     # when they joined the group
    questions_met: int
    bank_size: int
    last_answer: datetime | None
    open_mistakes: int                # questions whose latest answer was wrong


@dataclass(frozen=True)
class NeedsHelp:
    user_id: int
    name: str
    reasons: list[str] = field(default_factory=list)


def help_reasons(facts: LearnerFacts, now: datetime, rules: HelpRules = HelpRules()) -> list[str]:
    """Why this learner needs help, one sentence per rule that fires (empty: none)."""
    return [reason for reason in (_predicted_fail(facts, rules), _behind_plan(facts, now.date(), rules),
                                  _inactive(facts, now, rules), _mistakes(facts, rules)) if reason]


def needs_help(learners: list[LearnerFacts], now: datetime, rules: HelpRules = HelpRules()) -> list[NeedsHelp]:
    """The learners with at least one reason, most reasons first, then by name."""
    flagged = [NeedsHelp(f.user_id, f.name, help_reasons(f, now, rules)) for f in learners]
    return sorted((f for f in flagged if f.reasons), key=lambda f: (-len(f.reasons), f.name.casefold(), f.user_id))


def _predicted_fail(facts: LearnerFacts, rules: HelpRules) -> str | None:
    r = facts.readiness
    if r.withheld is not None or r.pass_probability >= rules.fail_probability:
        return None
    return (f"Predicted to fail: {r.predicted:.0f}/{EXAM_QUESTIONS} expected (pass mark {EXAM_PASS_MARK}), "
            f"{r.pass_probability:.0%} chance of passing.")


def expected_met(facts: LearnerFacts, today: date, rules: HelpRules) -> int | None:
    """How many questions the plan for their exam date expects met by today (None: no plan)."""
    if facts.exam_date is None or facts.exam_date < today or facts.bank_size == 0:
        return None
    span = max(1, (facts.exam_date - facts.started).days - rules.plan_margin_days)
    elapsed = min(max(0, (today - facts.started).days), span)
    return math.floor(facts.bank_size * elapsed / span)


def _behind_plan(facts: LearnerFacts, today: date, rules: HelpRules) -> str | None:
    expected = expected_met(facts, today, rules)
    if expected is None or facts.questions_met >= expected - rules.plan_tolerance * facts.bank_size:
        return None
    # The date is not named: it may be the learner's own setting, which a trainer does not see.
    return (f"Behind the plan for their exam date: has met {facts.questions_met} of "
            f"{facts.bank_size} questions; about {expected} by now would cover the bank in time.")


def _inactive(facts: LearnerFacts, now: datetime, rules: HelpRules) -> str | None:
    if facts.last_answer is None:
        days = (now.date() - facts.started).days
        return f"No answers yet, {days} days after joining." if days >= rules.inactive_days else None
    days = (now - facts.last_answer).days
    return f"Inactive: no answers for {days} days." if days >= rules.inactive_days else None


def _mistakes(facts: LearnerFacts, rules: HelpRules) -> str | None:
    if facts.open_mistakes < rules.open_mistakes:
        return None
    return f"{facts.open_mistakes} open mistakes: questions last answered wrong and not yet put right."


@dataclass(frozen=True)
class Bin:
    label: str
    count: int


def readiness_spread(readiness: list[Readiness], width: int = 5) -> tuple[list[Bin], int]:
    """Predicted scores in bins of `width` marks (0-4, 5-9, ... 45-50), and how many are withheld."""
    edges = list(range(0, EXAM_QUESTIONS, width))
    counts = [0] * len(edges)
    withheld = 0
    for r in readiness:
        if r.withheld is not None:
            withheld += 1
            continue
        counts[min(int(r.predicted // width), len(edges) - 1)] += 1
    labels = [f"{lo}–{lo + width - 1 if lo + width < EXAM_QUESTIONS else EXAM_QUESTIONS}" for lo in edges]
    return [Bin(label, count) for label, count in zip(labels, counts)], withheld


@dataclass(frozen=True)
class MockWeek:
    start: date
    mocks: int
    mean_percent: float | None
    passed: int


def mock_weeks(mocks: list[tuple[datetime, int, int, int]], now: datetime, weeks: int = 8) -> list[MockWeek]:
    """The group's mocks per week, oldest first: (submitted_at, score, length, pass_mark) in."""
    result = []
    for back in range(weeks - 1, -1, -1):
        end = now - timedelta(weeks=back)
        start = end - timedelta(weeks=1)
        inside = [(score, length, mark) for moment, score, length, mark in mocks if start < moment <= end]
        mean = sum(score / length for score, length, _ in inside) / len(inside) if inside else None
        result.append(MockWeek(start.date(), len(inside), mean, sum(1 for s, _, m in inside if s >= m)))
    return result
