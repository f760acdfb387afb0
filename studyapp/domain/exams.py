"""Mock exams in the real format: blueprint, sampling, the clock, scoring."""

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

EXAM_QUESTIONS = 50
EXAM_PASS_MARK = 25
EXTRA_TIME = 1.25   # the accommodation the exam bodies grant


class NotEnoughQuestions(Exception):
    """A module has fewer questions than the blueprint asks of it."""

    def __init__(self, module: str, needed: int, available: int):
        self.module, self.needed, self.available = module, needed, available
        super().__init__(f"module {module!r} needs {needed} questions for a mock but has only {available}")


def mock_exam_blueprint(weights: dict[str, int], length: int = EXAM_QUESTIONS) -> dict[str, int]:
    """Exact question count per module: shares of `length`, rounded by largest remainder."""
    total = sum(weights.values())
    exact = {module: length * weight / total for module, weight in weights.items()}
    counts = {module: math.floor(share) for module, share in exact.items()}
    by_remainder = sorted(exact, key=lambda m: (-(exact[m] - counts[m]), m))
    for module in by_remainder[: length - sum(counts.values())]:
        counts[module] += 1
    return counts


@dataclass(frozen=True)
class PoolQuestion:
    question_id: str
    module_id: str
    met_in_mock: bool = False


def sample_mock(pool: list[PoolQuestion], blueprint: dict[str, int], rng: random.Random) -> list[str]:
    """Question ids for one mock: exact counts per module, no repeats, unmet questions first."""
    chosen = []
    for module, needed in sorted(blueprint.items()):
        candidates = [q for q in pool if q.module_id == module]
        if len(candidates) < needed:
            raise NotEnoughQuestions(module, needed, len(candidates))
        unmet = [q.question_id for q in candidates if not q.met_in_mock]
        met = [q.question_id for q in candidates if q.met_in_mock]
        rng.shuffle(unmet)
        rng.shuffle(met)
        chosen += (unmet + met)[:needed]
    rng.shuffle(chosen)
    return chosen


def pass_mark_for(length: int) -> int:
    """25 of 50, and the same share of a shorter mock, rounded up."""
    return math.ceil(length * EXAM_PASS_MARK / EXAM_QUESTIONS)


def time_allowed(minutes: float, extra_time: bool) -> timedelta:
    """The mock's minutes (40 for the real 50 questions), x1.25 with extra time."""
    return timedelta(minutes=minutes * (EXTRA_TIME if extra_time else 1))


@dataclass(frozen=True)
class ExamClock:
    started_at: datetime
    deadline: datetime

    def remaining(self, now: datetime) -> timedelta:
        return max(self.deadline - now, timedelta(0))

    def expired(self, now: datetime) -> bool:
        """True once the deadline has passed: later answers do not count."""
        return now >= self.deadline


@dataclass(frozen=True)
class ItemOutcome:
    module_id: str
    answered: bool
    correct: bool


@dataclass(frozen=True)
class ModuleScore:
    module_id: str
    right: int
    total: int
    weight: int


@dataclass(frozen=True)
class MockScore:
    score: int
    total: int
    pass_mark: int
    modules: list[ModuleScore]

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark


def score_mock(outcomes: list[ItemOutcome], weights: dict[str, int], pass_mark: int) -> MockScore:
    """Score, pass or fail, and right/total per module in blueprint order."""
    modules = []
    for module, weight in weights.items():
        mine = [o for o in outcomes if o.module_id == module]
        if mine:
            modules.append(ModuleScore(module, sum(o.correct for o in mine), len(mine), weight))
    score = sum(o.correct for o in outcomes)
    return MockScore(score, len(outcomes), pass_mark, modules)
