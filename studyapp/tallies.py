"""Each learner's answer log summed up and stored (LearnerTally), for the group report.

Ranking a group's answers to decay them (two window sorts and a power() per answer) was
most of a 200-learner report: about 280 ms of PostgreSQL time at 100,000 answers. The
tallies keep the result per learner and topic and are brought up to date when read.

Refresh rule, stated once: a learner's tally is current exactly when its signature (the
answer count, the sum of the ids of the correct answers, the latest id) equals one
aggregate row of their answers. When only newer answers were added since, they are added
to it (domain/tally.advance). Anything else (a regrade, an answer logged out of time order,
a deleted answer) recomputes that learner from the log with one aggregate query. The
tallies are derived data: deleting any of them loses nothing."""

import logging
import math
from collections import defaultdict

from sqlalchemy import and_, case, delete, func, insert, null, select, union_all, update
from sqlalchemy.exc import IntegrityError, OperationalError

from studyapp.domain.mastery import DEFAULT_PARAMS
from studyapp.domain.tally import NewAnswer, Signature, Tally, advance, explains
from studyapp.extensions import begin_snapshot_write, db
from studyapp.models import Answer, LearnerTally

log = logging.getLogger(__name__)

# A decayed weight below this is dropped (it would change no figure shown), which also
# keeps PostgreSQL's power() from underflowing on a learner's ten-thousandth answer.
NEGLIGIBLE_WEIGHT = 1e-12

Stored = dict[int, tuple[Signature, Tally]]


def current_tallies(user_ids: list[int]) -> dict[int, Tally]:
    """The tally of each of these learners who has answered anything, up to date with the log.

    Reads two small results when nothing changed; otherwise ends the request's read and
    refreshes the learners whose answers changed, in one snapshot (see the module docstring)."""
    if not user_ids:
        return {}
    signatures, stored = log_signatures(user_ids), _stored(user_ids)
    current = {user_id: tally for user_id, (signature, tally) in stored.items() if signatures.get(user_id) == signature}
    changed = [user_id for user_id in set(signatures) | set(stored) if user_id not in current]
    if changed:
        current.update(_refresh(changed))
    return current


def _refresh(user_ids: list[int]) -> dict[int, Tally]:
    """Recount or advance these learners' tallies in one snapshot and store them."""
    db.session.commit()   # end the request's read: the refresh reads one snapshot and writes from it
    begin_snapshot_write()
    signatures, stored = log_signatures(user_ids), _stored(user_ids)
    stale = [user_id for user_id, signature in signatures.items() if stored.get(user_id, (None,))[0] != signature]
    fresh = _refreshed(stale, signatures, stored)
    gone = [user_id for user_id in stored if user_id not in signatures]
    try:
        _save(fresh, set(stored), gone)
        db.session.commit()
    except (IntegrityError, OperationalError) as error:
        # Another request refreshed the same learners at the same moment; its rows are as good.
        db.session.rollback()
        log.info("tallies not stored (a concurrent refresh won): %s", error.orig)
    current = {user_id: tally for user_id, (_, tally) in stored.items() if user_id in signatures}
    current.update({user_id: tally for user_id, (_, tally) in fresh.items()})
    return current


def log_signatures(user_ids: list[int]) -> dict[int, Signature]:
    """The signature of each learner's answer log (learners with no answers are absent):
    one aggregate, read from the covering index ix_answers_user_question."""
    rows = db.session.execute(
        select(Answer.user_id, func.count(), func.sum(case((Answer.correct, Answer.id), else_=0)), func.max(Answer.id))
        .where(Answer.user_id.in_(user_ids)).group_by(Answer.user_id))
    return {user_id: Signature(count, int(right or 0), last) for user_id, count, right, last in rows}


def _stored(user_ids: list[int]) -> Stored:
    stored = {}
    for user_id, answers, right_ids, last_id, last_at, right, wrong, met, mistakes, topics in db.session.execute(
            select(LearnerTally.user_id, LearnerTally.answers, LearnerTally.right_ids, LearnerTally.last_answer_id,
                   LearnerTally.last_answered_at, LearnerTally.decayed_right, LearnerTally.decayed_wrong,
                   LearnerTally.questions_met, LearnerTally.open_mistakes, LearnerTally.topics)
            .where(LearnerTally.user_id.in_(user_ids))):
        counts = {topic_id: (right_, wrong_, int(n)) for topic_id, (right_, wrong_, n) in topics.items()}
        stored[user_id] = (Signature(answers, right_ids, last_id),
                           Tally(counts, (right, wrong, answers), last_at, met, mistakes))
    return stored


def _refreshed(stale: list[int], signatures: dict[int, Signature], stored: Stored) -> Stored:
    """New tallies for the stale learners: advanced where only newer answers came, else recomputed."""
    appended = [user_id for user_id in stale if user_id in stored
                and signatures[user_id].answers > stored[user_id][0].answers
                and signatures[user_id].last_answer_id > stored[user_id][0].last_answer_id]
    fresh = _advanced(appended, signatures, stored)
    recount = [user_id for user_id in stale if user_id not in fresh]
    if recount:
        fresh.update(_from_log(recount, signatures))
    return fresh


def _advanced(user_ids: list[int], signatures: dict[int, Signature], stored: Stored) -> Stored:
    """The stored tallies plus the answers logged since, for the learners where those explain
    the whole change (count, correct ids, none older than the tally); the rest are left out."""
    if not user_ids:
        return {}
    new: dict[int, list] = defaultdict(list)
    for user_id, answer_id, topic_id, question_id, correct, moment in db.session.execute(
            select(Answer.user_id, Answer.id, Answer.topic_id, Answer.question_id, Answer.correct, Answer.answered_at)
            .join(LearnerTally, LearnerTally.user_id == Answer.user_id)
            .where(Answer.user_id.in_(user_ids), Answer.id > LearnerTally.last_answer_id)
            .order_by(Answer.user_id, Answer.answered_at, Answer.id)):
        new[user_id].append((answer_id, NewAnswer(topic_id, question_id, correct, moment)))
    explained = {}
    for user_id in user_ids:
        (old, tally), answers = stored[user_id], new[user_id]
        if explains(old, tally.last_answered_at, [(i, a.correct, a.answered_at) for i, a in answers],
                    signatures[user_id]):
            explained[user_id] = [a for _, a in answers]
    latest = _latest_before(list(explained))
    return {user_id: (signatures[user_id], advance(stored[user_id][1], answers, latest[user_id]))
            for user_id, answers in explained.items()}


def _latest_before(user_ids: list[int]) -> dict[int, dict[str, bool]]:
    """For each learner, whether their latest tallied answer to each question they have
    answered since was right (the answers up to the tally's last id)."""
    result: dict[int, dict[str, bool]] = defaultdict(dict)
    if not user_ids:
        return result
    since = (select(Answer.user_id, Answer.question_id).join(LearnerTally, LearnerTally.user_id == Answer.user_id)
             .where(Answer.user_id.in_(user_ids), Answer.id > LearnerTally.last_answer_id))
    ranked = (select(Answer.user_id, Answer.question_id, Answer.correct,
                     func.row_number().over(partition_by=(Answer.user_id, Answer.question_id),
                                            order_by=(Answer.answered_at.desc(), Answer.id.desc())).label("k"))
              .join(LearnerTally, LearnerTally.user_id == Answer.user_id)
              .where(Answer.user_id.in_(user_ids), Answer.id <= LearnerTally.last_answer_id,
                     Answer.question_id.in_(since.with_only_columns(Answer.question_id)))
              .subquery())
    touched = {tuple(row) for row in db.session.execute(since)}
    for user_id, question_id, correct in db.session.execute(
            select(ranked.c.user_id, ranked.c.question_id, ranked.c.correct).where(ranked.c.k == 1)):
        if (user_id, question_id) in touched:
            result[user_id][question_id] = correct
    return result


def _from_log(user_ids: list[int], signatures: dict[int, Signature]) -> Stored:
    topics: dict[int, dict] = defaultdict(dict)
    learner: dict[int, list] = defaultdict(lambda: [0.0, 0.0, 0])
    activity = {}
    for user_id, topic_id, right, wrong, answers, learner_right, learner_wrong, last, met, mistakes in _decayed_counts(
            user_ids):
        if topic_id is None:
            activity[user_id] = (last, int(met), int(mistakes))
            continue
        topics[user_id][topic_id] = (float(right), float(wrong), int(answers))
        total = learner[user_id]
        total[0] += float(learner_right)
        total[1] += float(learner_wrong)
        total[2] += int(answers)
    return {user_id: (signatures[user_id], Tally(topics[user_id], tuple(learner[user_id]), *activity[user_id]))
            for user_id in activity}


def _decayed_counts(user_ids: list[int]):
    """One pass over the learners' answers (windows computed once, in a materialized CTE).

    Rows with a topic, per (learner, topic): decayed right and wrong within the topic, the
    number of answers, the learner-wide decayed right and wrong contributed by the topic's
    answers. Rows without a topic, one per learner: the latest answer, questions met and
    open mistakes (questions whose latest answer was wrong)."""
    params = DEFAULT_PARAMS
    order = (Answer.answered_at.desc(), Answer.id.desc())
    ranked = select(
        Answer.user_id, Answer.topic_id, Answer.question_id, Answer.correct, Answer.answered_at,
        (func.row_number().over(partition_by=Answer.user_id, order_by=order) - 1).label("k_learner"),
        (func.row_number().over(partition_by=(Answer.user_id, Answer.topic_id), order_by=order) - 1).label("k_topic"),
    ).where(Answer.user_id.in_(user_ids)).cte("ranked").prefix_with("MATERIALIZED")
    a = ranked.c
    sums = [_sum_decayed(a, want, k, decay)
            for want, k, decay in ((True, a.k_topic, params.topic_decay), (False, a.k_topic, params.topic_decay),
                                   (True, a.k_learner, params.learner_decay), (False, a.k_learner, params.learner_decay))]
    by_topic = select(a.user_id, a.topic_id, *sums[:2], func.count(), *sums[2:], null(), null(),
                      null()).group_by(a.user_id, a.topic_id)
    # k_learner is unique within a learner, so the smallest 2k + wrong is the latest answer
    # to the question, and its last bit says whether it was wrong: a hash aggregate, no sort.
    latest = select(a.user_id, func.min(2 * a.k_learner + case((a.correct.is_(False), 1), else_=0)).label("code"),
                    func.max(a.answered_at).label("last")).group_by(a.user_id, a.question_id).subquery()
    by_learner = select(latest.c.user_id, null(), null(), null(), null(), null(), null(), func.max(latest.c.last),
                        func.count(), func.sum(latest.c.code % 2)).group_by(latest.c.user_id)
    # The learners' rows first: their columns' types (a timestamp) are the union's.
    return db.session.execute(union_all(by_learner, by_topic)).all()


def _sum_decayed(columns, correct_wanted: bool, k, decay: float):
    """sum(decay**k) over the rows whose `correct` is `correct_wanted` (k: answers given since)."""
    horizon = math.ceil(math.log(NEGLIGIBLE_WEIGHT) / math.log(decay))
    hit = columns.correct.is_(True) if correct_wanted else columns.correct.is_(False)
    return func.sum(case((and_(hit, k < horizon), func.power(decay, k)), else_=0.0))


def _save(fresh: Stored, known: set[int], gone: list[int]) -> None:
    """Update the learners who had a tally (`known`), insert the others, drop the `gone`."""
    if gone:
        db.session.execute(delete(LearnerTally).where(LearnerTally.user_id.in_(gone)))
    rows = {user_id: _row(user_id, signature, tally) for user_id, (signature, tally) in fresh.items()}
    updated = [row for user_id, row in rows.items() if user_id in known]
    if updated:
        db.session.execute(update(LearnerTally), updated)
    if len(updated) < len(rows):
        db.session.execute(insert(LearnerTally), [row for user_id, row in rows.items() if user_id not in known])


def _row(user_id: int, signature: Signature, tally: Tally) -> dict:
    return {"user_id": user_id, "answers": signature.answers, "right_ids": signature.right_ids,
            "last_answer_id": signature.last_answer_id, "last_answered_at": tally.last_answered_at,
            "decayed_right": tally.learner[0], "decayed_wrong": tally.learner[1],
            "questions_met": tally.questions_met, "open_mistakes": tally.open_mistakes,
            "topics": {topic_id: list(counts) for topic_id, counts in tally.topics.items()}}


def forget(user_id: int) -> None:
    """Drop one learner's tally (a deleted account); the caller commits."""
    db.session.execute(delete(LearnerTally).where(LearnerTally.user_id == user_id))
