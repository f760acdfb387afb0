"""Per-topic mastery: the chance of answering a new question on a topic correctly.

A recency-weighted Beta-Binomial: each topic keeps decayed counts of right and
wrong answers, on top of a prior that starts at the topic's facility (how often
everyone gets it right) and is shifted by how this learner does across all
topics. The learner term is what lets the estimate beat a plain per-topic
moving average on the first answers of a new topic (see bench/mastery_bench.py,
which fits these parameters on the ASSISTments training students)."""

import math
from dataclasses import dataclass, field

Z_90 = 1.645


@dataclass(frozen=True)
class MasteryParams:
    # Fitted on the ASSISTments training students by bench/mastery_bench.py.
    topic_decay: float = 0.85     # weight left on older answers in the topic after each new one
    prior_strength: float = 2.5   # pseudo-answers the prior counts for
    learner_decay: float = 0.98   # the same for the learner's answers across all topics
    learner_weight: float = 0.5   # how far the learner's general form moves the topic prior
    global_rate: float = 0.7      # mean correctness when nothing else is known


DEFAULT_PARAMS = MasteryParams()


@dataclass(frozen=True)
class Mastery:
    """Estimate with a 90 % band; `answers` counts what it is based on."""

    mean: float
    low: float
    high: float
    answers: int
    # What the mean rests on, in answers: the prior plus the recency-weighted counts. Far
    # fewer than `answers` for a long history; readiness uses it for the estimate's own error.
    evidence: float | None = None

    @property
    def width(self) -> float:
        return self.high - self.low

    def enough_data(self, band_limit: float) -> bool:
        return self.answers > 0 and self.width <= band_limit


@dataclass
class _Counts:
    right: float = 0.0
    wrong: float = 0.0
    answers: int = 0

    def add(self, correct: bool, decay: float) -> None:
        self.right = decay * self.right + (1.0 if correct else 0.0)
        self.wrong = decay * self.wrong + (0.0 if correct else 1.0)
        self.answers += 1


@dataclass
class MasteryTracker:
    """Online estimator for one learner: feed answers in order, ask for any topic."""

    facility: dict[str, float] = field(default_factory=dict)
    params: MasteryParams = DEFAULT_PARAMS
    _topics: dict[str, _Counts] = field(default_factory=dict)
    _learner: _Counts = field(default_factory=_Counts)

    @classmethod
    def from_counts(cls, facility: dict[str, float], topics: dict[str, tuple[float, float, int]],
                    learner: tuple[float, float, int], params: MasteryParams = DEFAULT_PARAMS) -> "MasteryTracker":
        """A tracker in the state that feeding the answers one by one would leave it in.

        Each count is (decayed right, decayed wrong, answers): after n answers the
        decayed right count is sum(correct_i * decay**k_i), k_i = answers given since
        answer i. A database computes these sums for many learners in one aggregate
        query (see studyapp/standings.py), with no answer replayed in Python."""
        tracker = cls(facility=facility, params=params)
        tracker._topics = {topic: _Counts(*counts) for topic, counts in topics.items()}
        tracker._learner = _Counts(*learner)
        return tracker

    def counts(self) -> tuple[dict[str, tuple[float, float, int]], tuple[float, float, int]]:
        """The state `from_counts` takes: per topic and for the learner, (decayed right, decayed wrong, answers)."""
        topics = {topic: (c.right, c.wrong, c.answers) for topic, c in self._topics.items()}
        return topics, (self._learner.right, self._learner.wrong, self._learner.answers)

    def copy(self) -> "MasteryTracker":
        """An independent tracker in the same state (cheaper than copy.deepcopy)."""
        return MasteryTracker.from_counts(dict(self.facility), *self.counts(), self.params)

    def record(self, topic: str, correct: bool) -> None:
        """Add one answer (oldest first)."""
        self._topics.setdefault(topic, _Counts()).add(correct, self.params.topic_decay)
        self._learner.add(correct, self.params.learner_decay)

    def prior(self, topic: str) -> float:
        """Topic facility, moved by the learner's recent form across all topics."""
        p = self.params
        base = self.facility.get(topic, p.global_rate)
        learner = (p.prior_strength * p.global_rate + self._learner.right) / (
            p.prior_strength + self._learner.right + self._learner.wrong)
        return _sigmoid(_logit(base) + p.learner_weight * (_logit(learner) - _logit(p.global_rate)))

    def estimate(self, topic: str) -> Mastery:
        """Mastery of `topic` now, with a 90 % band.

        The mean leans on recent answers (decayed counts); the band narrows with
        every answer given (undecayed count), otherwise the decay would keep it
        wide for ever and a steady learner would never get a verdict."""
        return _mastery(self.prior(topic), self._topics.get(topic, _Counts()), self.params.prior_strength)


    def estimate_many(self, topics: list[str]) -> list[Mastery]:
        """`estimate` of each topic, with the learner's form worked out once (a group report
        asks for thousands); equal to calling `estimate` topic by topic."""
        p = self.params
        k = p.prior_strength
        learner = (k * p.global_rate + self._learner.right) / (k + self._learner.right + self._learner.wrong)
        shift = p.learner_weight * (_logit(learner) - _logit(p.global_rate))
        empty = _Counts()
        result = []
        for topic in topics:
            prior = _sigmoid(_logit(self.facility.get(topic, p.global_rate)) + shift)
            result.append(_mastery(prior, self._topics.get(topic, empty), k))
        return result


def _mastery(prior: float, counts: "_Counts", k: float) -> Mastery:
    """The estimate from a prior and a topic's counts: the one formula both estimate paths use."""
    mean = (k * prior + counts.right) / (k + counts.right + counts.wrong)
    half = Z_90 * math.sqrt(mean * (1 - mean) / (k + counts.answers + 1))
    return Mastery(mean, max(0.0, mean - half), min(1.0, mean + half), counts.answers,
                   evidence=k + counts.right + counts.wrong)


def topic_mastery(answers: list[tuple[str, bool]], facility: dict[str, float],
                  params: MasteryParams = DEFAULT_PARAMS) -> MasteryTracker:
    """A tracker fed with (topic, correct) answers, oldest first."""
    tracker = MasteryTracker(facility=facility, params=params)
    for topic, correct in answers:
        tracker.record(topic, correct)
    return tracker


def smoothed_facility(right: int, total: int, global_rate: float = 0.7, strength: float = 10.0) -> float:
    """How often a topic is answered correctly by everyone, pulled towards the global rate."""
    return (right + strength * global_rate) / (total + strength)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))
