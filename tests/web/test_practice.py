import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Answer, Card, Question, QuestionVersion, SessionItem, User, utcnow
from studyapp.practice import services
from tests.conftest import answer, csrf_from, start_session


def item_for(app, url: str) -> tuple[int, int]:
    """(shown position of the correct option, number of options) for the item at `url`."""
    session_id, position = map(int, url.rstrip("/").split("/")[-2:])
    with app.app_context():
        item = db.session.scalar(select(SessionItem).where(SessionItem.session_id == session_id,
                                                           SessionItem.position == position))
        return item.option_order.index(item.question_version.correct_index), len(item.option_order)


def item_showing(browser, first_url: str, question_id: str) -> str:
    """The URL of the item of first_url's session that shows `question_id`."""
    base = first_url.rsplit("/", 1)[0]
    return next(f"{base}/{n}" for n in range(1, 11)
                if f'value="{question_id}"' in browser.get(f"{base}/{n}").get_data(as_text=True))


def answers_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Answer))


def test_right_answer_gets_feedback_on_every_option_and_a_syllabus_link(app, learner):
    url = start_session(learner)
    correct, _ = item_for(app, url)
    response = answer(learner, url, correct)
    assert response.status_code == 302 and response.headers["Location"] == url
    page = learner.get(url).get_data(as_text=True)
    assert "Right" in page and "correct answer" in page and "your answer" in page
    assert len(re.findall(r'class="why"', page)) == 4
    assert re.search(r'href="/syllabus/(alpha|beta)/\w+#[\w-]+"', page)


def test_wrong_answer_is_marked_wrong_and_the_card_is_due_again_soon(app, learner):
    url = start_session(learner)
    correct, count = item_for(app, url)
    answer(learner, url, (correct + 1) % count)
    assert "Not quite" in learner.get(url).get_data(as_text=True)
    with app.app_context():
        card = db.session.scalar(select(Card))
        answered = db.session.scalar(select(Answer))
        assert answered.correct is False and answered.rating == 1
        assert card.due - answered.answered_at < timedelta(hours=1)


def test_double_submit_records_one_answer(app, learner):
    url = start_session(learner)
    page = learner.get(url).get_data(as_text=True)
    data = {"choice": "0", "question_id": re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1),
            "csrf_token": csrf_from(page)}
    first = learner.client.post(url, data=data)
    second = learner.client.post(url, data={**data, "choice": "1"})
    assert first.status_code == 302 and second.status_code in (200, 302)
    assert answers_count(app) == 1
    with app.app_context():
        assert db.session.scalar(select(Answer)).chosen_option is not None
        assert db.session.scalar(select(Card)).reviews == 1


def test_answering_a_question_that_is_not_in_the_session_is_refused(app, learner):
    url = start_session(learner, kind="topic", scope="alpha.first")
    response = answer(learner, url, 0, question_id="TST-010")
    assert response.status_code == 400
    assert answers_count(app) == 0


def test_answer_out_of_range_is_refused(app, learner):
    url = start_session(learner)
    page = learner.get(url).get_data(as_text=True)
    qid = re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
    response = learner.client.post(url, data={"choice": "7", "question_id": qid, "csrf_token": csrf_from(page)})
    assert response.status_code in (200, 400)
    assert answers_count(app) == 0


def test_answer_survives_hours_with_the_question_open(app, learner, monkeypatch):
    url = start_session(learner)
    page = learner.get(url).get_data(as_text=True)
    import time

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 6 * 3600)
    qid = re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
    response = learner.client.post(url, data={"choice": "0", "question_id": qid, "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert answers_count(app) == 1


def test_options_are_shuffled_per_presentation(app, learner):
    orders = set()
    for _ in range(8):
        url = start_session(learner, kind="topic", scope="alpha.first")
        session_id = int(url.split("/")[-2])
        with app.app_context():
            items = db.session.scalars(select(SessionItem).where(SessionItem.session_id == session_id)).all()
            orders |= {tuple(i.option_order) for i in items}
    assert len(orders) > 3


def test_a_whole_session_ends_in_a_summary(app, learner):
    url = start_session(learner, kind="module", scope="beta")
    total = 4
    for position in range(1, total + 1):
        item_url = url.rsplit("/", 1)[0] + f"/{position}"
        correct, _ = item_for(app, item_url)
        answer(learner, item_url, correct, guessed=position == 1)
    page = learner.get(url.rsplit("/", 1)[0] + "/summary").get_data(as_text=True)
    assert "4 of 4 right" in page and "1 guessed" in page


def test_guessed_right_answer_is_rated_hard(app, learner):
    url = start_session(learner)
    correct, _ = item_for(app, url)
    answer(learner, url, correct, guessed=True)
    with app.app_context():
        assert db.session.scalar(select(Answer)).rating == 2


def test_due_and_mistakes_sessions_say_when_there_is_nothing(learner):
    for kind, words in (("due", "Nothing is due"), ("mistakes", "no mistakes"), ("weak", "no weak topics")):
        response = learner.post("/practice/start", {"kind": kind}, token_from="/practice/")
        assert response.status_code == 302 and response.headers["Location"] == "/practice/"
        assert words in learner.get("/practice/").get_data(as_text=True)


def test_mistakes_session_brings_back_wrong_answers(app, learner):
    url = start_session(learner, kind="topic", scope="beta.only")
    correct, count = item_for(app, url)
    answer(learner, url, (correct + 1) % count)
    mistakes = start_session(learner, kind="mistakes")
    with app.app_context():
        wrong = db.session.scalar(select(Answer)).question_id
        session_id = int(mistakes.split("/")[-2])
        assert [i.question_id for i in db.session.scalars(select(SessionItem).where(SessionItem.session_id == session_id))] == [wrong]


def test_unknown_scope_is_refused(learner):
    response = learner.post("/practice/start", {"kind": "topic", "scope": "alpha.nothing"}, token_from="/practice/")
    assert response.status_code == 400


def test_card_state_can_be_rebuilt_from_the_answer_log(app, learner):
    from studyapp.models import utcnow
    from studyapp.practice.services import rebuilt_card

    for _ in range(3):
        url = start_session(learner, kind="topic", scope="alpha.second")
        for position in (1, 2, 3):
            item_url = url.rsplit("/", 1)[0] + f"/{position}"
            correct, count = item_for(app, item_url)
            answer(learner, item_url, correct if position != 2 else (correct + 1) % count)
    with app.app_context():
        user = db.session.scalar(select(User))
        for card in db.session.scalars(select(Card)):
            rebuilt = rebuilt_card(user, card.question_id, utcnow())
            assert (rebuilt.state, rebuilt.stability, rebuilt.due) == (card.state, card.stability, card.due)


def test_candidates_carry_each_questions_latest_answer_by_time_then_id(app, make_user):
    from datetime import datetime, timezone

    from studyapp.models import Question
    from studyapp.practice.services import candidates

    user_id = make_user("latest@example.org")
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with app.app_context():
        first, second = db.session.scalars(select(Question).order_by(Question.id).limit(2))
        log = [(first, True, start), (first, False, start + timedelta(hours=1)),
               (first, True, start + timedelta(minutes=30)),      # logged last, answered earlier (a late mock)
               (second, True, start), (second, False, start)]      # same moment: the later id wins
        for question, correct, moment in log:
            db.session.add(Answer(user_id=user_id, question_id=question.id, question_version_id=question.current_version_id,
                                  topic_id=question.topic_id, chosen_option=0, correct=correct, rating=3,
                                  answered_at=moment))
            db.session.flush()
        found = {c.question_id: (c.last_correct, c.last_answered) for c in candidates(user_id)}
        assert found[first.id] == (False, start + timedelta(hours=1))
        assert found[second.id] == (False, start)
        assert all(last == (None, None) for qid, last in found.items() if qid not in (first.id, second.id))


def test_an_answer_without_its_csrf_token_is_refused_and_not_recorded(app, learner):
    """CSRFProtect guards the answer form (the form itself does not check the token twice)."""
    url = start_session(learner)
    page = learner.get(url).get_data(as_text=True)
    question_id = re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
    for token in (None, "not-a-token"):
        data = {"choice": "0", "question_id": question_id} | ({"csrf_token": token} if token else {})
        assert learner.client.post(url, data=data).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_an_item_whose_version_was_regraded_is_shown_and_graded_by_the_new_key(app, learner):
    """A session started before a regrade holds the old version: its page and its grading
    follow the key as regraded (find_item reads versions without the ORM)."""
    url = start_session(learner)
    with app.app_context():
        item = db.session.scalar(select(SessionItem).where(SessionItem.position == 1))
        version = db.session.get(QuestionVersion, item.question_version_id)
        new_key = (version.authored_key + 1) % len(version.options)
        version.regraded_key = new_key
        shown_new_key = item.option_order.index(new_key)
        db.session.commit()
    response = answer(learner, url, choice=shown_new_key)
    assert response.status_code == 302
    page = learner.get(url).get_data(as_text=True)
    assert "Right" in page
    with app.app_context():
        assert db.session.scalar(select(Answer.correct)) is True


@pytest.mark.parametrize("answered_before", [0, 1])
def test_a_second_record_of_an_item_read_before_the_first_changes_nothing(app, learner, answered_before):
    """Two requests that both read the item as unanswered (PostgreSQL lets the second read
    before the first commits): the database skips the second answer, and its card and the
    question's counts move once, whether the card is new or was there before."""
    url = start_session(learner, "module", "alpha")
    if answered_before:
        # Another session's answer to the same question makes the card.
        page = learner.get(url).get_data(as_text=True)
        question_id = re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
        other = item_showing(learner, start_session(learner, "module", "alpha"), question_id)
        assert answer(learner, other).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User))
        session_id, position = (int(part) for part in url.rstrip("/").split("/")[-2:])
        item = services.find_item(user, session_id, position, answering_on=utcnow().date())
        assert (item.card is not None) == bool(answered_before)
        right = item.option_order.index(item.correct_index)
        services.record_answer(user, item, services.Submission(item.question_id, right, False), utcnow())
        db.session.commit()
        wrong = (right + 1) % len(item.option_order)
        services.record_answer(user, item, services.Submission(item.question_id, wrong, False), utcnow())
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.session_item_id == item.id)) == 1
        assert db.session.scalar(select(Answer.correct).where(Answer.session_item_id == item.id)) is True
        card = db.session.scalar(select(Card).where(Card.question_id == item.question_id))
        rebuilt = services.rebuilt_card(user, item.question_id, utcnow())
        assert card.reviews == 1 + answered_before
        assert (card.state, card.stability, card.due) == (rebuilt.state, rebuilt.stability, rebuilt.due)
        assert db.session.get(Question, item.question_id).answer_count == 1 + answered_before
