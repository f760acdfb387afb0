"""Readiness to pass, and today's plan towards the exam date."""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from studyapp.domain.exams import EXAM_PASS_MARK, EXAM_QUESTIONS
from studyapp.domain.report import TopicStanding

Z_90 = 1.645


@dataclass(frozen=True)
class ReadinessRules:
    min_answers: int = 60            # across the whole syllabus
    min_answers_per_module: int = 3
    # How far one learner's topic estimates err together (1) or independently (0) across
    # modules; 0 fitted on the ASSISTments training students (bench/readiness_bench.py).
    shared_error: float = 0.0


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
    expected, variance = _expected_score(standings, rules)
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


def _expected_score(standings: list[TopicStanding], rules: ReadinessRules) -> tuple[float, float]:
    """Expected score and its variance.

    Two parts: the luck of right-or-wrong answers, and the error of the topic estimates,
    from what each really rests on (Mastery.evidence: the recency-weighted counts, not
    every answer ever given, so practice no longer shrinks the band without shrinking the
    error), partly shared across modules (one learner's estimates err together)."""
    by_module: dict[str, list[TopicStanding]] = {}
    for standing in standings:
        by_module.setdefault(standing.module_id, []).append(standing)
    weight_total = sum(topics[0].module_weight for topics in by_module.values())
    expected = luck = shared = independent = 0.0
    for topics in by_module.values():
        count = EXAM_QUESTIONS * topics[0].module_weight / weight_total
        mean = sum(t.mastery.mean for t in topics) / len(topics)
        sd_of_mean = sum(_estimate_sd(t) for t in topics) / len(topics)
        expected += count * mean
        luck += count * mean * (1 - mean)
        shared += count * sd_of_mean
        independent += (count * sd_of_mean) ** 2
    estimate = rules.shared_error * shared ** 2 + (1 - rules.shared_error) * independent
    return expected, luck + estimate


def _estimate_sd(standing: TopicStanding) -> float:
    m = standing.mastery
    if m.evidence is None:   # an estimate from elsewhere: its band is all we know
        return (m.high - m.low) / (2 * Z_90)
    return math.sqrt(m.mean * (1 - m.mean) / (m.evidence + 1))


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
    reviews_today: int = 0            # due today plus reviews brought forward from the final days
    done_today: int = 0               # answers given today
    final_days: list[tuple[date, int]] = field(default_factory=list)   # reviews per day up to the exam

    @property
    def target_today(self) -> int:
        return self.reviews_today + self.new_today


def spread_final_reviews(due_by_date: dict[date, int], today: date, exam_date: date,
                         budget: int | None, margin_days: int = 3) -> dict[date, int]:
    """Reviews per day from today to the day before the exam, none after a daily cap.

    The exam cap makes every late card fall due on the day before the exam. Working back
    from that day, whatever is over the cap moves to the day before (a review done early
    is still a review); today keeps whatever reaches it. The cap is the learner's budget,
    else the mean load of the final `margin_days` days, so the last day is never a wall."""
    last = exam_date - timedelta(days=1)
    if last < today:
        return {}
    days = [today + timedelta(days=n) for n in range((last - today).days + 1)]
    load = {day: due_by_date.get(day, 0) for day in days}
    load[last] += sum(n for day, n in due_by_date.items() if day > last)
    if budget is None:
        final = days[-margin_days:]
        budget = math.ceil(sum(load[d] for d in final) / len(final))
    for day in reversed(days[1:]):
        over = load[day] - max(budget, 0)
        if over > 0:
            load[day] -= over
            load[day - timedelta(days=1)] += over
    return load


def daily_plan(today: date, exam_date: date, reviews_due: int, unseen: int, weak_topics: list[str],
               review_margin_days: int = 3, *, due_by_date: dict[date, int] | None = None,
               budget: int | None = None, done_today: int = 0) -> DailyPlan:
    """What to do today so the whole bank is met in time and reviewed before the exam.

    New questions are spread over the days left minus a margin kept for reviews, within
    the learner's daily budget (questions a day) when they set one; the final reviews are
    spread backwards from the exam (spread_final_reviews); mocks are suggested in the final week."""
    days_left = (exam_date - today).days
    if days_left < 0:
        return DailyPlan(days_left, reviews_due, 0, [], False, "Your exam date has passed. Set the next one in Settings.")
    load = spread_final_reviews(due_by_date or {today: reviews_due}, today, exam_date, budget, review_margin_days)
    reviews_today = load.get(today, reviews_due if days_left == 0 else 0)
    learning_days = max(1, days_left - review_margin_days)
    new_today = 0 if days_left <= review_margin_days else math.ceil(unseen / learning_days)
    if budget is not None:
        new_today = max(0, min(new_today, budget - reviews_today))
    mock = days_left <= 7
    if days_left == 0:
        message = "Exam day. A light review at most, then trust what you know."
    elif mock:
        message = "Final week: sit a timed mock, then work on what it shows."
    else:
        message = f"Meet {new_today} new question(s) a day to cover the bank before the last {review_margin_days} days."
    return DailyPlan(days_left, reviews_due, new_today, weak_topics, mock, message, reviews_today=reviews_today,
                     done_today=done_today, final_days=sorted(load.items())[-review_margin_days:])
