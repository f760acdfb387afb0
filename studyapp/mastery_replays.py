"""Each learner's mastery tracker, replayed once and then advanced by new answers only.

A dashboard, report or weak-topic session needs the learner's whole answer log fed
through MasteryTracker; at 10,000 answers that replay was most of the page's time.
The replay is kept per app in each worker process and checked on every use against one
aggregate row of the learner's answers: their count, the sum of the ids of the correct
ones (a regrade that flips any answer changes it), and the latest id. Anything new answers
cannot explain — a regrade, an answer logged out of time order (a mock submitted after
later practice), a deleted answer — means a full replay. So the cache is never wrong;
it can only miss.

Refresh rule, stated once: a learner's entry is current exactly when that aggregate
matches; it is advanced in place of a replay when only newer answers were added."""

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import case, func, select

from flask import current_app

from studyapp.domain.mastery import MasteryTracker
from studyapp.extensions import db
from studyapp.models import Answer

MAX_LEARNERS = 4096


@dataclass
class _Replay:
    tracker: MasteryTracker
    count: int
    right: int          # the sum of the ids of the correct answers
    last_id: int
    last_moment: datetime | None

    def copy(self) -> "_Replay":
        return replace(self, tracker=self.tracker.copy())


_lock = threading.Lock()


def _cache() -> "OrderedDict[int, _Replay]":
    return current_app.extensions.setdefault("mastery_replays", OrderedDict())


def replayed_tracker(user_id: int) -> MasteryTracker:
    """A tracker holding every answer of this learner, oldest first (a private copy)."""
    count, right, last_id = db.session.execute(
        select(func.count(), func.sum(case((Answer.correct, Answer.id), else_=0)), func.max(Answer.id))
        .where(Answer.user_id == user_id)).one()
    count, right, last_id = count, int(right or 0), last_id or 0
    with _lock:
        cached = _cache().get(user_id)
        if cached is not None:
            _cache().move_to_end(user_id)
            cached = cached.copy()
    if cached is not None and (cached.count, cached.right, cached.last_id) == (count, right, last_id):
        return cached.tracker
    replay = (_advanced(user_id, cached, count, right) if cached is not None and count > cached.count else None)
    replay = replay or _full_replay(user_id)
    _store(user_id, replay)
    return replay.tracker.copy()


def _advanced(user_id: int, cached: _Replay, count: int, right: int) -> _Replay | None:
    """The cached replay plus the answers logged since, or None if they do not simply follow it."""
    new = db.session.execute(select(Answer.topic_id, Answer.correct, Answer.answered_at, Answer.id)
                             .where(Answer.user_id == user_id, Answer.id > cached.last_id)
                             .order_by(Answer.answered_at, Answer.id)).all()
    in_order = cached.last_moment is None or all(moment >= cached.last_moment for _, _, moment, _ in new)
    added_right = sum(answer_id for _, correct, _, answer_id in new if correct)
    if len(new) != count - cached.count or not in_order or cached.right + added_right != right:
        return None
    for topic_id, correct, _, _ in new:
        cached.tracker.record(topic_id, correct)
    return _Replay(cached.tracker, count, right, max(i for *_, i in new), new[-1][2])


def _full_replay(user_id: int) -> _Replay:
    tracker = MasteryTracker()
    count = right = last_id = 0
    last_moment = None
    for topic_id, correct, moment, answer_id in db.session.execute(
            select(Answer.topic_id, Answer.correct, Answer.answered_at, Answer.id)
            .where(Answer.user_id == user_id).order_by(Answer.answered_at, Answer.id)):
        tracker.record(topic_id, correct)
        count, right, last_id, last_moment = count + 1, right + (answer_id if correct else 0), max(last_id, answer_id), moment
    return _Replay(tracker, count, right, last_id, last_moment)


def _store(user_id: int, replay: _Replay) -> None:
    with _lock:
        cache = _cache()
        cache[user_id] = replay.copy()
        cache.move_to_end(user_id)
        while len(cache) > MAX_LEARNERS:
            cache.popitem(last=False)


def forget(user_id: int | None = None) -> None:
    """Drop one learner's entry (or all): for tests and for a deleted account."""
    with _lock:
        if user_id is None:
            _cache().clear()
        else:
            _cache().pop(user_id, None)
