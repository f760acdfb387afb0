"""Answers arriving at the same moment from many learners are all stored (SQLite included)."""

import re
import threading

from sqlalchemy import func, select

from studyapp.auth.services import create_user
from studyapp.extensions import WriterQueue, begin_write, db, execute_core
from studyapp.models import Answer, Card, Question, TopicRead, User, utcnow
from studyapp.practice import routes as practice_routes
from studyapp.practice import services
from tests.conftest import Browser, csrf_from, start_session
from tests.web.test_practice import item_for, item_showing

LEARNERS = 8


def prepared_answers(app, make_user):
    """For each learner: a logged-in client and the form posts for a whole session."""
    prepared = []
    for n in range(LEARNERS):
        make_user(f"learner{n}@example.org")
        browser = Browser(app.test_client())
        browser.login(f"learner{n}@example.org")
        base = start_session(browser, "module", "alpha").rsplit("/", 1)[0]
        posts = []
        for position in range(1, 8):
            page = browser.get(f"{base}/{position}").get_data(as_text=True)
            qid = re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
            posts.append((f"{base}/{position}", {"choice": "0", "question_id": qid, "csrf_token": csrf_from(page)}))
        prepared.append((browser, posts))
    return prepared


def test_simultaneous_answers_from_many_learners_are_all_stored(app, make_user):
    prepared = prepared_answers(app, make_user)
    start = threading.Barrier(LEARNERS)
    failures = []

    def answer_all(browser, posts):
        start.wait()
        for url, data in posts:
            response = browser.client.post(url, data=data)
            if response.status_code != 302:
                failures.append((url, response.status_code, response.get_data(as_text=True)[:200]))

    threads = [threading.Thread(target=answer_all, args=item) for item in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == LEARNERS * 7
        assert db.session.scalar(select(func.count()).select_from(Card)) == LEARNERS * 7


def test_the_same_answer_sent_twice_at_once_is_stored_once(app, make_user):
    [(browser, posts)] = prepared_answers(app, make_user)[:1]
    url, data = posts[0]
    start = threading.Barrier(4)
    codes = []

    def send():
        start.wait()
        codes.append(browser.client.post(url, data=data).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes and all(code in (200, 302) for code in codes)
    with app.app_context():
        question_id = data["question_id"]
        stored = db.session.scalar(select(func.count()).select_from(Answer).where(Answer.question_id == question_id))
        assert stored == 1
        # The requests that found the item answered moved neither the card nor the counts.
        assert db.session.scalar(select(Card.reviews).where(Card.question_id == question_id)) == 1
        assert db.session.get(Question, question_id).answer_count == 1


def test_answers_to_one_question_from_two_sessions_at_once_both_reach_its_card(app, make_user, monkeypatch):
    # First round: neither request finds a card to lock, so both try to create it; on
    # PostgreSQL the second insert waits for the first to commit, then applies its answer
    # to that card. Second round: the first request locks the card with its item, and the
    # second waits for it, then reads the card as the first left it. (On SQLite the second
    # request always waits for the write lock instead.)
    make_user("twice@example.org")
    browser = Browser(app.test_client())
    browser.login("twice@example.org")
    page = browser.get(start_session(browser, "module", "alpha")).get_data(as_text=True)
    question_id = re.search(r'name="question_id"[^>]*value="([^"]+)"', page).group(1)
    both_read = []
    find_item = services.find_item

    def find_item_then_wait(user, session_id, position, answering_on=None):
        item = find_item(user, session_id, position, answering_on)
        if answering_on is not None:
            try:
                both_read[-1].wait(timeout=2)   # unless the other request is waiting for a lock
            except threading.BrokenBarrierError:
                pass
        return item

    monkeypatch.setattr(services, "find_item", find_item_then_wait)
    moment = utcnow()
    monkeypatch.setattr(practice_routes, "utcnow", lambda: moment)
    token = csrf_from(page)
    for round_number in (1, 2):
        urls = [item_showing(browser, start_session(browser, "module", "alpha"), question_id) for _ in range(2)]
        # Both right: two answers at one moment then replay to the same card in either order.
        posts = [(url, {"choice": str(item_for(app, url)[0]), "question_id": question_id, "csrf_token": token})
                 for url in urls]
        both_read.append(threading.Barrier(2))
        codes = []

        def send(url, data):
            codes.append(browser.client.post(url, data=data).status_code)

        threads = [threading.Thread(target=send, args=post) for post in posts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert codes == [302, 302]
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == "twice@example.org"))
            card = db.session.scalar(select(Card).where(Card.user_id == user.id, Card.question_id == question_id))
            rebuilt = services.rebuilt_card(user, question_id, moment)
            assert card.reviews == 2 * round_number
            assert (card.state, card.stability, card.difficulty, card.due) == (rebuilt.state, rebuilt.stability,
                                                                               rebuilt.difficulty, rebuilt.due)


def test_sqlite_writers_take_turns_and_every_way_out_of_a_write_frees_the_queue(app, make_user):
    prepared = prepared_answers(app, make_user)[:2]
    writers = app.extensions.get("sqlite_writers")
    if writers is None:
        return   # PostgreSQL: rows are locked by the services, no process-wide queue
    (browser, posts), _ = prepared
    url, data = posts[0]
    assert browser.client.post(url, data=data).status_code == 302          # commit
    assert not writers.busy
    refused_url, refused = posts[1]
    assert browser.client.post(refused_url, data={**refused, "choice": "9"}).status_code != 302   # rolled back
    assert not writers.busy
    with app.app_context():
        begin_write()
        assert writers.busy
        db.session.rollback()
        assert not writers.busy


def test_a_queued_writer_goes_on_as_soon_as_the_one_before_leaves():
    queue = WriterQueue()
    order = []
    queue.enter()
    second = threading.Thread(target=lambda: (queue.enter(), order.append("second"), queue.leave()))
    second.start()
    second.join(timeout=0.2)
    assert second.is_alive() and order == []      # waiting its turn
    order.append("first")
    queue.leave()
    second.join(timeout=5)
    assert order == ["first", "second"] and not queue.busy


def test_writers_in_two_processes_take_turns_on_the_lock_file(tmp_path):
    import multiprocessing

    path = str(tmp_path / "db.sqlite.writers")
    context = multiprocessing.get_context("fork")
    holding, release = context.Event(), context.Event()

    def other_worker():
        queue = WriterQueue(path)
        queue.enter()
        holding.set()
        release.wait(10)
        queue.leave()

    child = context.Process(target=other_worker)
    child.start()
    assert holding.wait(10)
    mine = WriterQueue(path)
    waiting = threading.Thread(target=mine.enter)
    waiting.start()
    waiting.join(timeout=0.3)
    assert waiting.is_alive()          # the other process holds the file lock
    release.set()
    waiting.join(timeout=10)
    assert not waiting.is_alive()
    child.join(timeout=10)
    mine.close()


def test_a_get_reads_outside_a_transaction_on_postgresql_and_its_writes_start_one(app):
    # extensions.begin_reads: BEGIN and ROLLBACK around a page's reads buy nothing under
    # READ COMMITTED. A GET that writes ends its reads first and gets a transaction again.
    seen = {}

    def driver_autocommit() -> bool:
        # psycopg's own flag; sqlite3 (Python 3.11) has none: we emit SQLite's BEGIN ourselves.
        return bool(getattr(db.session.connection().connection.dbapi_connection, "autocommit", False))

    def probe():
        seen["reads"] = driver_autocommit()
        db.session.commit()
        begin_write()
        seen["writes"] = driver_autocommit()
        db.session.rollback()
        return ""

    app.add_url_rule("/_isolation", "isolation", probe)
    assert app.test_client().get("/_isolation").status_code == 200
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    assert seen == {"reads": postgres, "writes": False}


def test_a_core_statement_runs_in_the_request_transaction_and_sees_pending_objects(app):
    # extensions.execute_core skips the ORM's result layer; it must still flush first and
    # share the session's transaction, as session.execute() does.
    with app.test_request_context("/", method="POST"):
        begin_write()
        db.session.add(TopicRead(user_id=create_user("core@example.org", "a long password", "Core").id,
                                 topic_id="alpha.first"))
        assert execute_core(select(func.count()).select_from(TopicRead.__table__)).scalar() == 1
        db.session.rollback()
        assert execute_core(select(func.count()).select_from(TopicRead.__table__)).scalar() == 0
