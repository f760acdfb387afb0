"""The bare baseline for bench/http_bench.py: Flask + Flask-SQLAlchemy doing the same database
work as each studyapp endpoint, and nothing else (no login, no CSRF, no forms, no templates).

The learner is named in the URL (`?u=<id>`) instead of a login cookie. Run it as
`gunicorn 'bench.bare_app:create()'` with STUDYAPP_DATABASE_URL pointing at the database
the app uses."""

import os
from datetime import datetime, timedelta, timezone

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event, text

db = SQLAlchemy()


def create() -> Flask:
    app = Flask(__name__)
    url = os.environ["STUDYAPP_DATABASE_URL"]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    db.init_app(app)
    if url.startswith("sqlite"):
        with app.app_context():
            _sqlite_like_the_app(db.engine)
    app.add_url_rule("/answer/<int:item_id>", view_func=answer, methods=["POST"])
    app.add_url_rule("/item/<int:item_id>", view_func=item)
    app.add_url_rule("/dashboard", view_func=learner_rows)
    app.add_url_rule("/report", view_func=learner_rows)
    app.add_url_rule("/topic/<topic_id>", view_func=topic)
    return app


def _sqlite_like_the_app(engine) -> None:
    """WAL, and writes that take the lock at BEGIN: without them a bare app on SQLite
    measures "database is locked" errors, not the stack."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if request.method == "POST" else "BEGIN")


def answer(item_id: int):
    """What an answer costs the database: read the item and its card, write the answer and the card."""
    user = int(request.args["u"])
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    row = db.session.execute(text("SELECT question_id, question_version_id FROM session_items WHERE id = :i"),
                             {"i": item_id}).one()
    card = db.session.execute(text("SELECT id FROM cards WHERE user_id = :u AND question_id = :q"),
                              {"u": user, "q": row[0]}).scalar()
    db.session.execute(text(
        "INSERT INTO answers (user_id, question_id, question_version_id, topic_id, session_item_id, source,"
        " chosen_option, correct, guessed, rating, answered_at) SELECT :u, :q, :v, topic_id, :i, 'practice', 0,"
        " true, false, 3, :now FROM question_versions WHERE id = :v"),
        {"u": user, "q": row[0], "v": row[1], "i": item_id, "now": now})
    # The card's next review, as the app writes it after an answer (fixed values: no scheduling here).
    card_values = {"u": user, "q": row[0], "c": card, "now": now, "due": now + timedelta(days=3)}
    if card is None:
        db.session.execute(text(
            "INSERT INTO cards (user_id, question_id, state, step, stability, difficulty, due, last_review, reviews,"
            " lapses) VALUES (:u, :q, 1, 0, 2.3, 5.0, :due, :now, 1, 0)"), card_values)
    else:
        db.session.execute(text(
            "UPDATE cards SET state = 2, step = NULL, stability = stability + 1.0, difficulty = 5.0, due = :due,"
            " last_review = :now, reviews = reviews + 1 WHERE id = :c"), card_values)
    db.session.execute(text("UPDATE questions SET answer_count = answer_count + 1, correct_count = correct_count + 1"
                            " WHERE id = :q"), {"q": row[0]})
    db.session.commit()
    return "ok", 303, {"Location": f"/item/{item_id}"}


def item(item_id: int):
    row = db.session.execute(text(
        "SELECT v.stem, v.options, a.correct FROM session_items i JOIN question_versions v ON v.id = i.question_version_id"
        " LEFT JOIN answers a ON a.session_item_id = i.id WHERE i.id = :i"), {"i": item_id}).one()
    return f"<html><body><p>{row[0]}</p><pre>{row[1]}</pre><p>{row[2]}</p></body></html>"


def learner_rows():
    """The rows a dashboard or report must read: the learner's answers and cards."""
    user = int(request.args["u"])
    answers = db.session.execute(text("SELECT topic_id, correct FROM answers WHERE user_id = :u"
                                      " ORDER BY answered_at"), {"u": user}).all()
    cards = db.session.execute(text("SELECT due FROM cards WHERE user_id = :u"), {"u": user}).all()
    return f"<html><body>{len(answers)} answers, {len(cards)} cards</body></html>"


def topic(topic_id: str):
    row = db.session.execute(text("SELECT title, html FROM topics WHERE id = :t"), {"t": topic_id}).one()
    return f"<html><body><h1>{row[0]}</h1>{row[1]}</body></html>"
