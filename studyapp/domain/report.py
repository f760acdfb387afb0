"""The weak-topic report: ranking by expected score gain, weekly trend, chart geometry."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from studyapp.domain.exams import EXAM_QUESTIONS, mock_exam_blueprint
from studyapp.domain.mastery import Mastery


@dataclass(frozen=True)
class TopicStanding:
    topic_id: str
    topic_title: str
    module_id: str
    module_title: str
    module_weight: int
    mastery: Mastery
    enough_data: bool
    mock_marks: float | None = None   # this topic's share of a 50-question mock's marks

    @property
    def expected_gain(self) -> float:
        """Marks of a 50-question mock this topic would add if mastered: its share x (1 - mastery)."""
        return (self.mock_marks or 0.0) * (1 - self.mastery.mean)


def with_mock_marks(standings: list[TopicStanding], questions: int = EXAM_QUESTIONS) -> list[TopicStanding]:
    """Each topic's share of the mock: its module's question count shared equally among the module's topics.

    The shares add up to `questions`, so a topic can never have more at stake than the mock holds."""
    weights = {s.module_id: s.module_weight for s in standings}
    counts = mock_exam_blueprint(weights, questions) if weights else {}
    topics = {m: sum(1 for s in standings if s.module_id == m) for m in weights}
    return [replace(s, mock_marks=counts[s.module_id] / topics[s.module_id]) for s in standings]


def rank_weak_topics(standings: list[TopicStanding], limit: int = 5) -> list[TopicStanding]:
    """Practised topics, measured ones first by marks at stake, then those with too little data.

    Pass every topic: a topic's share of the mock depends on how many its module holds."""
    practised = [s for s in with_mock_marks(standings) if s.mastery.answers > 0]
    return sorted(practised, key=lambda s: (not s.enough_data, -s.expected_gain, s.topic_id))[:limit]


@dataclass(frozen=True)
class WeekPoint:
    start: datetime
    answers: int
    correct: int

    @property
    def rate(self) -> float | None:
        return self.correct / self.answers if self.answers else None


def weekly_trend(answers: list[tuple[datetime, bool]], now: datetime, weeks: int = 8) -> list[WeekPoint]:
    """Accuracy per week for the last `weeks` weeks, oldest first (weeks end at `now`)."""
    points = []
    for back in range(weeks - 1, -1, -1):
        end = now - timedelta(weeks=back)
        start = end - timedelta(weeks=1)
        inside = [correct for moment, correct in answers if start < moment <= end]
        points.append(WeekPoint(start, len(inside), sum(inside)))
    return points


@dataclass(frozen=True)
class Bar:
    """One topic's row in the SVG chart, in chart units (0..width)."""

    y: int
    label: str
    topic_id: str
    value: float
    low: float
    high: float
    level: str          # "weak", "fair", "strong", "unknown" (too little data) or "none" (never practised)


@dataclass(frozen=True)
class ChartRow:
    y: int
    heading: str | None = None
    bar: Bar | None = None


def mastery_chart(standings: list[TopicStanding], row_height: int = 38) -> tuple[list[ChartRow], int]:
    """Rows for a bar chart grouped by module, each topic's label above its bar (so the
    chart stays narrow enough to read on a phone); returns rows and total height."""
    rows, y, current_module = [], 0, None
    for standing in standings:
        if standing.module_id != current_module:
            current_module = standing.module_id
            y += 8 if rows else 0
            rows.append(ChartRow(y=y, heading=f"{standing.module_title} ({standing.module_weight} %)"))
            y += 24
        m = standing.mastery
        rows.append(ChartRow(y=y, bar=Bar(y, standing.topic_title, standing.topic_id, m.mean, m.low, m.high,
                                          _level(standing))))
        y += row_height
    return rows, y


def _level(standing: TopicStanding) -> str:
    if standing.mastery.answers == 0:
        return "none"
    if not standing.enough_data:
        return "unknown"
    if standing.mastery.mean < 0.6:
        return "weak"
    return "strong" if standing.mastery.mean >= 0.8 else "fair"


@dataclass(frozen=True)
class ReviewDays:
    due_now: int
    due_today: int                       # due now plus due later today, the learner's day
    by_day: list[tuple[date, int]]       # the following days, learner's calendar
    due_by_date: dict[date, int]         # every due date from today on (overdue counted today)


def review_days(dues: list[datetime], now: datetime, zone: tzinfo, days: int = 7) -> ReviewDays:
    """Reviews due now, by the end of the learner's today, and on each following day, in their time zone."""
    today = now.astimezone(zone).date()
    end_of_today = datetime.combine(today + timedelta(days=1), time(), zone)
    by_date: dict[date, int] = {}
    for due in dues:
        day = max(due.astimezone(zone).date(), today)
        by_date[day] = by_date.get(day, 0) + 1
    following = [(today + timedelta(days=n), by_date.get(today + timedelta(days=n), 0)) for n in range(1, days + 1)]
    return ReviewDays(due_now=sum(1 for due in dues if due <= now),
                      due_today=sum(1 for due in dues if due < end_of_today), by_day=following, due_by_date=by_date)
