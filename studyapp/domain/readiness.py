"""Readiness to pass, and today's plan towards the exam date."""

import math
from dataclasses import dataclass
from datetime import date

from studyapp.domain.exams import EXAM_PASS_MARK, EXAM_QUESTIONS
from studyapp.domain.report import TopicStanding

Z_90 = 1.645


@dataclass(frozen=True)
class ReadinessRules:
    min_answers: int = 60            # across the whole syllabus
    min_answers_per_module: int = 3


@dataclass(frozen=True)
class MockCheck:
    """One submitted mock: what we predicted at the time, and what the learner scored."""

    predicted: float                  # out of EXAM_QUESTIONS
    scored: float                     # the mock's score scaled to EXAM_QUESTIONS


@dataclass(frozen=True)
class Readiness:
    withheld: str | None = None       # why there is no prediction yet
    predicted: float = 0.0            # expected mock score out of EXAM_QUESTIONS
    low: float = 0.0
    high: float = 0.0
    pass_probability: float = 0.0
    correction: float = 0.0           # added from the learner's own mock results
    mocks_checked: int = 0


def readiness(standings: list[TopicStanding], answers_by_module: dict[str, int], mocks: list[MockCheck],
              rules: ReadinessRules = ReadinessRules()) -> Readiness:
    """Predicted mock score and chance of passing, or the reason it is withheld.

    Each module contributes its share of the 50 questions times the mean mastery
    of its topics. The band adds the spread of 50 right-or-wrong answers to the
    uncertainty of the mastery estimates themselves. Past mocks correct the
    prediction by the mean amount it missed by, shrunk while there are few."""
    reason = _withheld_reason(standings, answers_by_module, rules)
    if reason:
        return Readiness(withheld=reason)
    expected, variance = _expected_score(standings)
    correction = 0.0
    if mocks:
        misses = [m.scored - m.predicted for m in mocks]
        correction = sum(misses) / len(misses) * len(mocks) / (len(mocks) + 2)
    predicted = min(max(expected + correction, 0.0), EXAM_QUESTIONS)
    sd = math.sqrt(variance)
    return Readiness(
        predicted=predicted, low=max(0.0, predicted - Z_90 * sd), high=min(EXAM_QUESTIONS, predicted + Z_90 * sd),
        pass_probability=_normal_tail(EXAM_PASS_MARK - 0.5, predicted, sd), correction=correction,
        mocks_checked=len(mocks),
    )


def _withheld_reason(standings, answers_by_module, rules) -> str | None:
    modules = sorted({s.module_id for s in standings})
    thin = [m for m in modules if answers_by_module.get(m, 0) < rules.min_answers_per_module]
    if thin:
        return (f"Practise every module first: {len(thin)} module(s) have fewer than "
                f"{rules.min_answers_per_module} answers.")
    total = sum(answers_by_module.values())
    if total < rules.min_answers:
        return f"Answer at least {rules.min_answers} questions first ({total} so far)."
    return None


def _expected_score(standings: list[TopicStanding]) -> tuple[float, float]:
    by_module: dict[str, list[TopicStanding]] = {}
    for standing in standings:
        by_module.setdefault(standing.module_id, []).append(standing)
    weight_total = sum(topics[0].module_weight for topics in by_module.values())
    expected = variance = 0.0
    for topics in by_module.values():
        count = EXAM_QUESTIONS * topics[0].module_weight / weight_total
        mean = sum(t.mastery.mean for t in topics) / len(topics)
        sd_of_mean = sum((t.mastery.high - t.mastery.low) / (2 * Z_90) for t in topics) / len(topics)
        expected += count * mean
        variance += count * mean * (1 - mean) + (count * sd_of_mean) ** 2
    return expected, variance


def _normal_tail(threshold: float, mean: float, sd: float) -> float:
    if sd == 0:
        return 1.0 if mean >= threshold else 0.0
    return 0.5 * math.erfc((threshold - mean) / (sd * math.sqrt(2)))


@dataclass(frozen=True)
class DailyPlan:
    days_left: int
    reviews_due: int
    new_today: int
    weak_topics: list[str]
    mock_suggested: bool
    message: str


def daily_plan(today: date, exam_date: date, reviews_due: int, unseen: int, weak_topics: list[str],
               review_margin_days: int = 3) -> DailyPlan:
    """What to do today so the whole bank is met in time and reviewed before the exam.

    New questions are spread over the days left minus a margin kept for reviews;
    mocks are suggested in the final week."""
    days_left = (exam_date - today).days
    if days_left < 0:
        return DailyPlan(days_left, reviews_due, 0, [], False, "Your exam date has passed. Set the next one in Settings.")
    learning_days = max(1, days_left - review_margin_days)
    new_today = 0 if days_left <= review_margin_days else math.ceil(unseen / learning_days)
    mock = days_left <= 7
    if days_left == 0:
        message = "Exam day. A light review at most, then trust what you know."
    elif mock:
        message = "Final week: sit a timed mock, then work on what it shows."
    else:
        message = f"Meet {new_today} new question(s) a day to cover the bank before the last {review_margin_days} days."
    return DailyPlan(days_left, reviews_due, new_today, weak_topics, mock, message)
