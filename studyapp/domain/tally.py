"""A learner's answer log summed up for a group report, and advanced by newer answers
without reading the older ones again.

The mastery counts are decayed sums (see domain/mastery.py): a new answer multiplies
its topic's counts and the learner's counts by the decay and adds itself, so a stored
tally plus the answers given since equals a tally of the whole log. Questions met and open
mistakes (questions whose latest answer was wrong) advance the same way, given the
latest earlier answer to each question the new answers touch."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from studyapp.domain.mastery import DEFAULT_PARAMS, MasteryParams, MasteryTracker

Counts = tuple[float, float, int]   # decayed right, decayed wrong, answers


@dataclass(frozen=True)
class Signature:
    """A learner's answer log told apart from any other state of it without reading it:
    the count, the sum of the ids of the correct answers (a regrade that flips any answer
    changes it) and the latest id. One aggregate row of the log gives it."""

    answers: int = 0
    right_ids: int = 0
    last_answer_id: int = 0

    def plus(self, new: Iterable[tuple[int, bool]]) -> "Signature":
        """The signature once these (id, correct) answers are logged too."""
        answers, right_ids, last_id = self.answers, self.right_ids, self.last_answer_id
        for answer_id, correct in new:
            answers, right_ids, last_id = answers + 1, right_ids + (answer_id if correct else 0), max(last_id, answer_id)
        return Signature(answers, right_ids, last_id)


def explains(old: Signature, old_last_moment: datetime | None, new: list[tuple[int, bool, datetime]],
             now: Signature) -> bool:
    """Whether a log summed up as `old` (last answer at `old_last_moment`) plus the (id, correct,
    moment) answers `new` is the log now signed `now`, with none of them older than the old
    log's last answer. If so, a summary of the old log can be advanced by `new` alone;
    anything else (a regrade, a late answer, a deletion) needs the whole log again."""
    in_order = old_last_moment is None or all(moment >= old_last_moment for _, _, moment in new)
    return in_order and old.plus((answer_id, correct) for answer_id, correct, _ in new) == now


@dataclass(frozen=True)
class Tally:
    topics: dict[str, Counts]
    learner: Counts
    last_answered_at: datetime | None
    questions_met: int
    open_mistakes: int


EMPTY = Tally({}, (0.0, 0.0, 0), None, 0, 0)


@dataclass(frozen=True)
class NewAnswer:
    topic_id: str
    question_id: str
    correct: bool
    answered_at: datetime


def advance(tally: Tally, new: list[NewAnswer], latest_before: dict[str, bool],
            params: MasteryParams = DEFAULT_PARAMS) -> Tally:
    """`tally` plus the answers in `new` (oldest first, none older than the tally's last).

    `latest_before` holds, for each question of `new` answered before, whether its latest
    earlier answer was right; a question missing from it is met for the first time."""
    tracker = MasteryTracker.from_counts({}, tally.topics, tally.learner, params)
    latest = dict(latest_before)
    met, open_mistakes = tally.questions_met, tally.open_mistakes
    for answer in new:
        tracker.record(answer.topic_id, answer.correct)
        previous = latest.get(answer.question_id)
        met += previous is None
        open_mistakes += (not answer.correct) - (previous is False)
        latest[answer.question_id] = answer.correct
    topics, learner = tracker.counts()
    last = new[-1].answered_at if new else tally.last_answered_at
    return Tally(topics, learner, last, met, open_mistakes)
