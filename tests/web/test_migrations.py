"""The Alembic migrations build exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from studyapp.extensions import db
from studyapp.models import Base
from tests.conftest import make_app


@pytest.fixture
def empty_app(tmp_path):
    app = make_app(tmp_path, load=False)
    with app.app_context():
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    yield app
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def seeded_at_0002(app) -> str:
    """Upgrade the empty database to 0002 and fill it with SEED_0002 (a learner, questions,
    answers and a mock); returns the migrations folder for the next upgrade."""
    directory = app.extensions["migrate"].directory
    upgrade(directory=directory, revision="0002")
    with db.engine.begin() as connection:
        for statement in SEED_0002:
            connection.exec_driver_sql(statement)
    return directory


def test_upgrade_creates_the_models_schema_and_downgrade_removes_it(empty_app):
    with empty_app.app_context():
        directory = empty_app.extensions["migrate"].directory
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        downgrade(directory=directory, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


SEED_0002 = [
    "INSERT INTO users (id, email, display_name, password_hash, role, session_token, desired_retention, extra_time, created_at)"
    " VALUES (1, 'a@example.org', 'a', 'x', 'learner', 't', 0.9, false, '2026-01-01 00:00:00')",
    "INSERT INTO modules (id, title, weight, position, html) VALUES ('m', 'Module', 100, 1, '')",
    "INSERT INTO topics (id, module_id, slug, title, position, objectives, html, toc, word_count)"
    " VALUES ('m.t', 'm', 't', 'Topic', 1, '[]', '', '[]', 0)",
    "INSERT INTO questions (id, topic_id, module_id, current_version_id, retired) VALUES ('ABC-001', 'm.t', 'm', 1, false)",
    "INSERT INTO questions (id, topic_id, module_id, current_version_id, retired) VALUES ('ABC-002', 'm.t', 'm', 2, true)",
    "INSERT INTO question_versions (id, question_id, version, content_hash, topic_id, level, stem, options, explanation,"
    " see, tags, created_at) VALUES (1, 'ABC-001', 1, 'h1', 'm.t', 1, 'First STEM?',"
    " '[{\"text\": \"Yes\", \"correct\": true, \"why\": \"Because\"}, {\"text\": \"No\", \"correct\": false, \"why\": \"Not so\"}]',"
    " 'Explained', NULL, '[\"definition\", \"list\"]', '2026-02-01 10:00:00')",
    "INSERT INTO question_versions (id, question_id, version, content_hash, topic_id, level, stem, options, explanation,"
    " see, tags, created_at) VALUES (2, 'ABC-002', 1, 'h2', 'm.t', 2, 'Second?',"
    " '[{\"text\": \"A\", \"correct\": true, \"why\": \"a\"}, {\"text\": \"B\", \"correct\": false, \"why\": \"b\"}]',"
    " 'E', NULL, '[]', '2026-02-02 10:00:00')",
] + [
    "INSERT INTO answers (id, user_id, question_id, question_version_id, topic_id, source, chosen_option, correct,"
    f" guessed, rating, answered_at) VALUES ({n}, 1, 'ABC-001', 1, 'm.t', 'practice', 0, true, false, 3, '2026-03-01 00:00:00')"
    for n in (1, 2, 3)
]


def test_upgrade_to_0003_keeps_every_question_and_derives_status_counts_and_search(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0003")
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql(
                "SELECT id, status, answer_count, synced_state, updated_at FROM questions ORDER BY id").all()
            versions = connection.exec_driver_sql(
                "SELECT search_text, tags_key, source FROM question_versions ORDER BY id").all()
            answers = connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()
        assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
            ("ABC-001", "published", 3, "h1:published"), ("ABC-002", "retired", 0, "h2:retired")]
        assert all(r[4] is not None for r in rows)
        assert versions[0] == ("first stem? yes because no not so explained", "|definition|list|", "file")
        assert versions[1][1] == "" and answers == 3
        downgrade(directory=directory, revision="0002")
        with db.engine.connect() as connection:
            retired = connection.exec_driver_sql("SELECT id, retired FROM questions ORDER BY id").all()
        assert [(r[0], bool(r[1])) for r in retired] == [("ABC-001", False), ("ABC-002", True)]


MOCKS_0003 = [
    "INSERT INTO mock_exams (id, user_id, started_at, deadline, submitted_at, auto_submitted, length, pass_mark)"
    f" VALUES ({n}, 1, '2026-04-01 10:00:00', '2026-04-01 10:40:00', {submitted}, false, 1, 1)"
    for n, submitted in ((1, "'2026-04-01 10:30:00'"), (2, "NULL"), (3, "NULL"), (4, "NULL"))
] + [
    "INSERT INTO mock_items (id, exam_id, position, question_id, question_version_id, module_id, option_order,"
    f" chosen_shown, flagged) VALUES ({n}, {n}, 1, 'ABC-001', 1, 'm', '[0, 1]', {chosen}, false)"
    for n, chosen in ((1, "0"), (2, "NULL"), (3, "1"), (4, "NULL"))
]


def test_upgrade_to_0004_keeps_one_running_mock_per_learner_and_enforces_it(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0003")
        with db.engine.begin() as connection:
            for statement in MOCKS_0003:
                connection.exec_driver_sql(statement)
        upgrade(directory=directory, revision="0004")
        with db.engine.connect() as connection:
            exams = connection.exec_driver_sql("SELECT id FROM mock_exams ORDER BY id").scalars().all()
            answers = connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()
            disabled = connection.exec_driver_sql("SELECT disabled_at, deleted_at FROM users").one()
        assert exams == [1, 3] and answers == 3 and tuple(disabled) == (None, None)  # 3 had an answer
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.exec_driver_sql(MOCKS_0003[1].replace("VALUES (2,", "VALUES (9,"))
        downgrade(directory=directory, revision="0003")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(MOCKS_0003[1].replace("VALUES (2,", "VALUES (9,"))


def test_upgrade_to_0005_counts_each_questions_right_answers_from_the_log(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO answers (id, user_id, question_id, question_version_id, topic_id, source, chosen_option,"
                " correct, guessed, rating, answered_at) VALUES (4, 1, 'ABC-001', 1, 'm.t', 'practice', 1, false, false,"
                " 1, '2026-03-02 00:00:00')")
        upgrade(directory=directory, revision="0005")
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT id, answer_count, correct_count FROM questions ORDER BY id").all()
        assert [tuple(r) for r in rows] == [("ABC-001", 4, 3), ("ABC-002", 0, 0)]
        downgrade(directory=directory, revision="0004")


def test_upgrade_to_0005f_adds_source_ref_and_keeps_every_question(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0005f")
        with db.engine.begin() as connection:
            rows = connection.exec_driver_sql("SELECT id, status, source_ref FROM questions ORDER BY id").all()
            connection.exec_driver_sql("UPDATE questions SET source_ref = 'name:First' WHERE id = 'ABC-001'")
            versions = connection.exec_driver_sql("SELECT count(*) FROM question_versions").scalar()
        assert [tuple(r) for r in rows] == [("ABC-001", "published", None), ("ABC-002", "retired", None)]
        assert versions == 2
        downgrade(directory=directory, revision="0004")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM questions").scalar() == 2
        assert "source_ref" not in {c["name"] for c in inspect(db.engine).get_columns("questions")}


def test_upgrade_to_0005s_keeps_answers_and_mocks_and_holds_one_open_report(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0003")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(MOCKS_0003[0])
        upgrade(directory=directory, revision="0005s")
        with db.engine.connect() as connection:
            answers = connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()
            keys = connection.exec_driver_sql("SELECT regraded_key FROM question_versions").scalars().all()
            mock = connection.exec_driver_sql("SELECT id, score_before_regrade FROM mock_exams").one()
        assert answers == 3 and keys == [None, None] and tuple(mock) == (1, None)
        report = ("INSERT INTO problem_reports (user_id, question_id, question_version_id, reason, text, created_at,"
                  " status) VALUES (1, 'ABC-001', 1, 'key', '', '2026-05-01 00:00:00', '{}')")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(report.format("open"))
            connection.exec_driver_sql(report.format("dismissed"))   # closed ones may repeat
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.exec_driver_sql(report.format("open"))
        downgrade(directory=directory, revision="0004")
        assert "problem_reports" not in inspect(db.engine).get_table_names()


def test_upgrade_to_0005l_keeps_learners_and_running_mocks_with_shortcuts_on(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0003")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(MOCKS_0003[0])
        upgrade(directory=directory, revision="0005l")
        with db.engine.connect() as connection:
            user = connection.exec_driver_sql("SELECT keyboard_shortcuts, time_zone, daily_budget FROM users").one()
            mock = connection.exec_driver_sql("SELECT id, last_position FROM mock_exams").one()
            answers = connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()
        assert tuple(user) == (True, None, None) and tuple(mock) == (1, 1) and answers == 3
        downgrade(directory=directory, revision="0004")
        assert "last_position" not in {c["name"] for c in inspect(db.engine).get_columns("mock_exams")}


def test_upgrade_to_0006_keeps_every_question_and_lets_a_draft_wait_for_a_topic(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0006")
        with db.engine.begin() as connection:
            rows = connection.exec_driver_sql("SELECT id, topic_id, module_id FROM questions ORDER BY id").all()
            connection.exec_driver_sql("UPDATE questions SET topic_id = NULL, module_id = NULL WHERE id = 'ABC-002'")
            connection.exec_driver_sql("UPDATE question_versions SET topic_id = NULL WHERE id = 2")
        assert [tuple(r) for r in rows] == [("ABC-001", "m.t", "m"), ("ABC-002", "m.t", "m")]
        with pytest.raises(SystemExit):   # flask_migrate reports the RuntimeError and exits
            downgrade(directory=directory, revision="0005l")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE questions SET topic_id = 'm.t', module_id = 'm' WHERE id = 'ABC-002'")
            connection.exec_driver_sql("UPDATE question_versions SET topic_id = 'm.t' WHERE id = 2")
        downgrade(directory=directory, revision="0005l")
        assert not {c["name"]: c for c in inspect(db.engine).get_columns("questions")}["topic_id"]["nullable"]
        downgrade(directory=directory, revision="0004")


def test_upgrade_to_0007_keeps_every_answer_and_tallies_them_on_first_read(empty_app):
    from studyapp.tallies import current_tallies

    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0007")
        with db.engine.connect() as connection:
            answers = connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()
            assert connection.exec_driver_sql("SELECT count(*) FROM learner_tallies").scalar() == 0
        with empty_app.test_request_context():
            tally = current_tallies([1])[1]
            assert tally.learner[2] == answers > 0
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT answers FROM learner_tallies WHERE user_id = 1").scalar() == answers
        downgrade(directory=directory, revision="0006")
        assert "learner_tallies" not in inspect(db.engine).get_table_names()
        downgrade(directory=directory, revision="0004")


def test_upgrade_to_0008_indexes_answers_by_learner_and_question_keeping_every_answer(empty_app):
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0008")
        names = {index["name"] for index in inspect(db.engine).get_indexes("answers")}
        with db.engine.connect() as connection:
            answers = connection.exec_driver_sql("SELECT count(*) FROM answers WHERE user_id = 1").scalar()
        assert "ix_answers_user_question" in names and answers == 3
        downgrade(directory=directory, revision="0007")
        assert "ix_answers_user_question" not in {index["name"] for index in inspect(db.engine).get_indexes("answers")}
        downgrade(directory=directory, revision="0004")
