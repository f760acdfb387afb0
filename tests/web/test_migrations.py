"""The Alembic migrations build exactly the schema the models describe."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from studyapp import create_app
from studyapp.extensions import db
from studyapp.models import Base


@pytest.fixture
def empty_app(tmp_path):
    config = {"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production"}
    if not os.environ.get("STUDYAPP_DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    os.environ["STUDYAPP_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    yield app
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def test_upgrade_creates_the_models_schema_and_downgrade_removes_it(empty_app):
    with empty_app.app_context():
        directory = empty_app.extensions["migrate"].directory
        upgrade(directory=directory)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        downgrade(directory=directory, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
