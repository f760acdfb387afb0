"""The weak-topic report: ranking by expected score gain, weekly trend, chart geometry."""

from dataclasses import dataclass
from datetime import datetime, timedelta

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

    @property
    def expected_gain(self) -> float:
        """Module weight x (1 - mastery): the marks at stake if the topic is mastered."""
        return self.module_weight * (1 - self.mastery.mean)


def rank_weak_topics(standings: list[TopicStanding], limit: int = 5) -> list[TopicStanding]:
    """Practised topics, largest expected score gain first."""
    practised = [s for s in standings if s.mastery.answers > 0]
    return sorted(practised, key=lambda s: (-s.expected_gain, s.topic_id))[:limit]


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


def mastery_chart(standings: list[TopicStanding], row_height: int = 22) -> tuple[list[ChartRow], int]:
    """Rows for a horizontal bar chart grouped by module; returns rows and total height."""
    rows, y, current_module = [], 0, None
    for standing in standings:
        if standing.module_id != current_module:
            current_module = standing.module_id
            y += 8 if rows else 0
            rows.append(ChartRow(y=y, heading=f"{standing.module_title} ({standing.module_weight} %)"))
            y += row_height
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
