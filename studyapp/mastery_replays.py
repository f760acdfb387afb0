"""Each learner's mastery tracker, replayed once and then advanced by new answers only.

A dashboard, report or weak-topic session needs the learner's whole answer log fed
through MasteryTracker; at 10,000 answers that replay was most of the page's time.
The replay is kept per app in each worker process and checked on every use against the
signature of the learner's answers (domain/tally.Signature: their count, the sum of the
ids of the correct ones, the latest id), the check the stored tallies use too. Anything
new answers cannot explain (domain/tally.explains) — a regrade, an answer logged out of
time order (a mock submitted after later practice), a deleted answer — means a full replay. So the cache is never wrong;
it can only miss.

Refresh rule, stated once: a learner's entry is current exactly when that signature
matches; it is advanced in place of a replay when only newer answers were added."""

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select

from flask import current_app

from studyapp.domain.mastery import MasteryTracker
from studyapp.domain.tally import Signature, explains
from studyapp.extensions import db
from studyapp.models import Answer
from studyapp.tallies import log_signatures

MAX_LEARNERS = 4096


@dataclass
class _Replay:
    tracker: MasteryTracker
    signature: Signature    # of the answers replayed
    last_moment: datetime | None

    def copy(self) -> "_Replay":
        return replace(self, tracker=self.tracker.copy())


_lock = threading.Lock()


def _cache() -> "OrderedDict[int, _Replay]":
    return current_app.extensions.setdefault("mastery_replays", OrderedDict())


def replayed_tracker(user_id: int) -> MasteryTracker:
    """A tracker holding every answer of this learner, oldest first (a private copy)."""
    signature = log_signatures([user_id]).get(user_id, Signature())
    with _lock:
        cached = _cache().get(user_id)
        if cached is not None:
            _cache().move_to_end(user_id)
            cached = cached.copy()
    if cached is not None and cached.signature == signature:
        return cached.tracker
    replay = (_advanced(user_id, cached, signature) if cached is not None
              and signature.answers > cached.signature.answers else None)
    replay = replay or _full_replay(user_id)
    _store(user_id, replay)
    return replay.tracker.copy()


def _advanced(user_id: int, cached: _Replay, signature: Signature) -> _Replay | None:
    """The cached replay plus the answers logged since, or None if they do not simply follow it."""
    new = db.session.execute(select(Answer.topic_id, Answer.correct, Answer.answered_at, Answer.id)
                             .where(Answer.user_id == user_id, Answer.id > cached.signature.last_answer_id)
                             .order_by(Answer.answered_at, Answer.id)).all()
    if not explains(cached.signature, cached.last_moment, [(i, correct, moment) for _, correct, moment, i in new],
                    signature):
        return None
    for topic_id, correct, _, _ in new:
        cached.tracker.record(topic_id, correct)
    return _Replay(cached.tracker, signature, new[-1][2])


def _full_replay(user_id: int) -> _Replay:
    tracker, replayed, last_moment = MasteryTracker(), [], None
    for topic_id, correct, moment, answer_id in db.session.execute(
            select(Answer.topic_id, Answer.correct, Answer.answered_at, Answer.id)
            .where(Answer.user_id == user_id).order_by(Answer.answered_at, Answer.id)):
        tracker.record(topic_id, correct)
        replayed.append((answer_id, correct))
        last_moment = moment
    return _Replay(tracker, Signature().plus(replayed), last_moment)


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
