"""Revision 0005g adds the groups tables to a database holding data, and removes them again."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from studyapp.extensions import db
from tests.web.test_migrations import empty_app, seeded_at_0002  # noqa: F401 (fixture)

GROUP_ROWS = [
    "INSERT INTO groups (id, name, trainer_id, exam_date, default_extra_time, created_at)"
    " VALUES (1, 'Class', 1, '2027-01-01', false, '2026-12-01 00:00:00')",
    "INSERT INTO memberships (id, group_id, user_id, joined_at, extra_time) VALUES (1, 1, 1, '2026-12-01 00:00:00', true)",
]


def test_upgrade_to_0005g_keeps_existing_data_and_takes_groups(empty_app):  # noqa: F811
    with empty_app.app_context():
        directory = seeded_at_0002(empty_app)
        upgrade(directory=directory, revision="0005g")
        with db.engine.begin() as connection:
            for statement in GROUP_ROWS:
                connection.exec_driver_sql(statement)
        with db.engine.connect() as connection:
            answers = connection.exec_driver_sql("SELECT count(*) FROM answers").scalar()
            member = connection.exec_driver_sql("SELECT user_id, extra_time, left_at FROM memberships").one()
        assert answers == 3 and (member[0], bool(member[1]), member[2]) == (1, True, None)
        downgrade(directory=directory, revision="0004")
        tables = set(inspect(db.engine).get_table_names())
        assert not tables & {"groups", "memberships", "group_invites", "set_password_tokens"}
        assert "answers" in tables
