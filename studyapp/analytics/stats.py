"""Cached item statistics: filled in one pass over the answer log, read by the bank and question pages.

Refresh rule: `refresh_if_stale` runs the whole computation when the cache is older than
STATS_MAX_AGE_SECONDS and answers have arrived since (one indexed max(id) lookup tells),
or at once after a regrade; `studyapp stats refresh` runs it from cron. A page never
scans the answers itself: it reads item_stats, one row per question version."""

from collections import defaultdict
from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy import Float, Integer, and_, cast, delete, exists, func, insert, or_, select

from studyapp.domain.item_stats import (
    ItemResponses, form_statistics, item_flags, item_statistics, needs_checking,
)
from studyapp.extensions import begin_write, db
from studyapp.models import Answer, ItemStat, MockExam, MockItem, ProblemReport, Question, QuestionVersion, StatsRun

RUN_ID = 1
FLAG_NAMES = {
    "discrimination": "needs checking (discrimination)", "efficiency": "low discriminative efficiency",
    "easy": "too easy", "hard": "too hard", "distractor": "distractor preferred by the top third",
    "negative": "negative covariance", "reports": "open learner reports",
}


def refresh_if_stale(now: datetime, max_age_seconds: int) -> bool:
    """Refresh when stale (see the module docstring); True if it did. The caller commits."""
    run = db.session.get(StatsRun, RUN_ID)
    if run is not None and not run.stale:
        if now - run.computed_at < timedelta(seconds=max_age_seconds):
            return False
        if (db.session.scalar(select(func.max(Answer.id))) or 0) <= run.last_answer_id:
            return False
    db.session.commit()   # end the read so that refresh() starts its transaction holding the write lock (SQLite)
    refresh(now)
    return True


def refresh(now: datetime) -> StatsRun:
    """Recompute every version's statistics and the mock forms' test statistics."""
    begin_write()
    run = db.session.scalar(select(StatsRun).where(StatsRun.id == RUN_ID).with_for_update())
    if run is None:
        run = StatsRun(id=RUN_ID, computed_at=now)
        db.session.add(run)
    last_id, count = db.session.execute(select(func.coalesce(func.max(Answer.id), 0), func.count(Answer.id))).one()
    responses, attempts = _gather()
    rows = []
    for version_id, (question_id, item) in responses.items():
        stats = item_statistics(item)
        flags = item_flags(stats)
        shown = stats.facility_practice if stats.facility_practice.shown else stats.facility_mock
        rows.append({"question_version_id": version_id, "question_id": question_id,
                     "responses": len(item.practice), "mock_attempts": len(item.mock),
                     "facility": shown.value if shown.shown else None,
                     "discrimination": stats.discrimination.value if stats.discrimination.shown else None,
                     "efficiency": stats.efficiency.value if stats.efficiency.shown else None,
                     "needs_checking": needs_checking(stats.discrimination),
                     "flag_codes": "".join(f"|{f.code}" for f in flags) + ("|" if flags else ""),
                     "flags": [asdict(f) for f in flags], "detail": asdict(stats)})
    db.session.execute(delete(ItemStat))
    if rows:
        db.session.execute(insert(ItemStat), rows)
    run.computed_at, run.last_answer_id, run.answers, run.stale = now, last_id, count, False
    run.forms = _forms(attempts)
    db.session.flush()
    return run


def _gather() -> tuple[dict, dict]:
    """Per version: its key, first practice attempts and mock rows; per mock: its marks by position."""
    versions = {vid: (qid, ItemResponses(key=key if key is not None else _key(options), option_count=len(options)))
                for vid, qid, options, key in db.session.execute(
                    select(QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.options,
                           QuestionVersion.regraded_key))}
    mastery = dict(db.session.execute(select(Answer.user_id, func.avg(cast(cast(Answer.correct, Integer), Float)))
                                      .group_by(Answer.user_id)).all())
    first = (select(Answer.question_version_id, Answer.user_id, Answer.chosen_option, Answer.correct, Answer.guessed,
                    Answer.duration_ms, func.row_number().over(partition_by=(Answer.user_id, Answer.question_version_id),
                                                               order_by=(Answer.answered_at, Answer.id)).label("n"))
             .where(Answer.source == "practice").subquery())
    for vid, uid, chosen, correct, guessed, duration, _ in db.session.execute(select(first).where(first.c.n == 1)):
        versions[vid][1].practice.append((chosen, bool(correct), bool(guessed), duration, mastery.get(uid, 0.0)))
    attempts = defaultdict(dict)
    for vid, chosen, correct, score, exam_id, position, length in db.session.execute(
            select(Answer.question_version_id, Answer.chosen_option, Answer.correct, MockExam.score, MockExam.id,
                   MockItem.position, MockExam.length)
            .join(MockItem, MockItem.id == Answer.mock_item_id).join(MockExam, MockExam.id == MockItem.exam_id)):
        versions[vid][1].mock.append((chosen, float(correct), float(score or 0)))
        attempts[(length, exam_id)][position] = float(correct)
    return versions, attempts


def _key(options: list[dict]) -> int:
    return next((i for i, o in enumerate(options) if o["correct"]), 0)


def _forms(attempts: dict) -> list[dict]:
    """Test statistics per mock form (its length: the slots of a random mock) and for the bank as a whole.

    Every mock draws its own questions, so, as Moodle does for random slots, an item is a
    position. Blank answers never reach the log, so a missing position counts as 0."""
    by_length = defaultdict(list)
    for (length, _), marks in attempts.items():
        by_length[length].append([marks.get(p, 0.0) for p in range(1, length + 1)])
    forms = [{"form": f"{length}-question mock", **asdict(form_statistics(rows))}
             for length, rows in sorted(by_length.items())]
    if len(forms) == 1:
        forms.append({**forms[0], "form": "whole bank"})
    elif forms:
        forms.append(_pooled(forms))
    return forms


def _pooled(forms: list[dict]) -> dict:
    """Several mock lengths: attempt-weighted means of the forms' figures (said so on the page)."""
    total = sum(f["attempts"] for f in forms)
    pooled = {"form": "whole bank (weighted over forms)", "attempts": total}
    for name in ("mean", "sd", "alpha", "error_ratio", "standard_error"):
        known = [(f[name], f["attempts"]) for f in forms if f[name] is not None]
        weight = sum(n for _, n in known)
        pooled[name] = sum(v * n for v, n in known) / weight if weight else None
    return pooled


def open_reports_exist():
    return exists().where(ProblemReport.question_id == Question.id, ProblemReport.status == "open")


def attention_condition():
    """"Needs attention" in the bank: any statistics flag on the current version, or an open report."""
    return or_(ItemStat.flag_codes != "", open_reports_exist())


def flag_condition(code: str):
    """The bank's filter on one flag."""
    if code == "reports":
        return open_reports_exist()
    return and_(ItemStat.flag_codes.is_not(None), ItemStat.flag_codes.contains(f"|{code}|", autoescape=True))


def stats_of(version_id: int) -> ItemStat | None:
    return db.session.get(ItemStat, version_id)


def latest_run() -> StatsRun | None:
    return db.session.get(StatsRun, RUN_ID)


def mark_stale() -> None:
    """After a regrade the cached figures are wrong: the next trainer page refreshes them."""
    run = db.session.get(StatsRun, RUN_ID)
    if run is not None:
        run.stale = True
