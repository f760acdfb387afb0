"""Regrading: a trainer marks a published version's key wrong and publishes the fix; its answers are rescored.

The answer log keeps what each learner chose; `correct` and `rating` follow from the choice
and the key, so a corrected key re-derives them, and the learner's FSRS card is rebuilt by
replaying the corrected log (domain.scheduling.rebuild_card). Mock scores are recomputed
with the score first given kept for the result page's note. One learner is regraded per
transaction (the caller commits after each), and running it again changes nothing."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from studyapp.analytics import stats
from studyapp.analytics.services import close_reports, open_reports
from studyapp.audit import audit
from studyapp.content.questions import store_version, version_content
from studyapp.domain.scheduling import Review, count_lapses, exam_cap, make_scheduler, rating_for, rebuild_card
from studyapp.extensions import begin_write, db
from studyapp.models import Answer, Card, MockExam, MockItem, Question, QuestionVersion, Regrade, Status, User

LETTERS = "ABCDEFGH"


class NothingToRegrade(Exception):
    """The option named is already the key of that version."""


def correct_key(question: Question, version: QuestionVersion, right_key: int, trainer: User,
                now: datetime) -> Regrade:
    """Record that `version`'s key is wrong and `right_key` is right; publish the fix if it is the current version.

    Asking again for the same correction returns the earlier Regrade (the caller regrades again: a no-op
    for learners already done, the rest for any a broken run missed)."""
    if version.regraded_key == right_key:
        return db.session.scalar(select(Regrade).where(Regrade.question_version_id == version.id,
                                                       Regrade.right_key == right_key).order_by(Regrade.id.desc()))
    if version.correct_index == right_key or not 0 <= right_key < len(version.options):
        raise NothingToRegrade()
    fixed = question.current_version
    if version.id == question.current_version_id:
        content = version_content(version)
        content["options"] = [{**o, "correct": i == right_key} for i, o in enumerate(content["options"])]
        fixed = store_version(question, content, author_id=trainer.id, source="web", now=now)
        question.updated_at, question.updated_by_id = now, trainer.id
    regrade = Regrade(question_id=question.id, question_version_id=version.id, wrong_key=version.correct_index,
                      right_key=right_key, fixed_version_id=fixed.id, by_id=trainer.id, at=now)
    version.regraded_key = right_key
    db.session.add(regrade)
    audit(trainer.id, "regrade", "question", question.id, version=version.version, fixed_version=fixed.version,
          wrong=LETTERS[regrade.wrong_key], right=LETTERS[right_key], published=question.status == Status.PUBLISHED)
    outcome = (f"Fixed: the key of this question was wrong; option {LETTERS[right_key]} (\u201c{_short(version, right_key)}\u201d) "
               f"is right. Your answers were regraded (version {fixed.version}).")
    close_reports(open_reports(question.id), "fixed", outcome, trainer, now)
    stats.mark_stale()
    db.session.flush()
    return regrade


def _short(version: QuestionVersion, index: int) -> str:
    text = version.options[index]["text"]
    return text if len(text) <= 60 else text[:57] + "..."


def learners_to_regrade(version_id: int) -> list[int]:
    """Every learner with an answer on the version, or a submitted mock that held it."""
    answered = select(Answer.user_id).where(Answer.question_version_id == version_id)
    sat = (select(MockExam.user_id).join(MockItem, MockItem.exam_id == MockExam.id)
           .where(MockItem.question_version_id == version_id, MockExam.submitted_at.is_not(None)))
    return sorted(set(db.session.scalars(answered.union(sat))))


@dataclass(frozen=True)
class LearnerRegrade:
    answers_changed: int
    mocks_changed: int


def regrade_learner(regrade: Regrade, user_id: int, now: datetime) -> LearnerRegrade:
    """Rescore one learner's answers on the version, rebuild their card and their mock scores; the caller commits."""
    begin_write()
    user = db.session.scalar(select(User).where(User.id == user_id).with_for_update())
    key = regrade.right_key
    answers = list(db.session.scalars(select(Answer).where(Answer.user_id == user_id,
                                                           Answer.question_version_id == regrade.question_version_id)))
    changed = 0
    for answer in answers:
        correct = answer.chosen_option == key
        if answer.correct != correct:
            answer.correct, answer.guessed = correct, answer.guessed and correct
            answer.rating = int(rating_for(correct, answer.guessed))
            changed += 1
    db.session.flush()
    _rebuild_card(user, regrade.question_id, now)
    mocks = _rescore_mocks(user_id, regrade.question_version_id, now)
    if changed or mocks:
        regrade.learners += 1
        regrade.answers_changed += changed
        audit(regrade.by_id, "regrade-learner", "user", user_id, regrade=regrade.id, answers=changed, mocks=mocks)
    db.session.flush()
    return LearnerRegrade(changed, mocks)


def _rebuild_card(user: User, question_id: str, now: datetime) -> None:
    """The card as a fresh replay of the (corrected) answer log gives it."""
    card = db.session.scalar(select(Card).where(Card.user_id == user.id, Card.question_id == question_id))
    log = [Review(a.answered_at, a.correct, a.guessed) for a in db.session.scalars(
        select(Answer).where(Answer.user_id == user.id, Answer.question_id == question_id))]
    scheduler = make_scheduler(user.desired_retention)
    state = rebuild_card(log, scheduler, exam_cap(user.exam_date, now))
    if card is None or state is None:
        return
    for name, value in vars(state).items():
        setattr(card, name, value)
    card.reviews, card.lapses = len(log), count_lapses(log, scheduler)


def _rescore_mocks(user_id: int, version_id: int, now: datetime) -> int:
    exams = db.session.scalars(select(MockExam).join(MockItem, MockItem.exam_id == MockExam.id).where(
        MockExam.user_id == user_id, MockExam.submitted_at.is_not(None), MockItem.question_version_id == version_id))
    changed = 0
    for exam in exams:
        score = sum(item.correct for item in exam.items)
        if score != exam.score:
            if exam.score_before_regrade is None:
                exam.score_before_regrade = exam.score
            exam.score, exam.regraded_at = score, now
            changed += 1
    return changed
