"""A learner's answer log summed up for a group report, and advanced by newer answers
without reading the older ones again.

The mastery counts are decayed sums (see domain/mastery.py): a new answer multiplies
its topic's counts and the learner's counts by the decay and adds itself, so a stored
tally plus the answers given since equals a tally of the whole log. Questions met and open
mistakes (questions whose latest answer was wrong) advance the same way, given the
latest earlier answer to each question the new answers touch."""

from dataclasses import dataclass
from datetime import datetime

from studyapp.domain.mastery import DEFAULT_PARAMS, MasteryParams, MasteryTracker

Counts = tuple[float, float, int]   # decayed right, decayed wrong, answers


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
