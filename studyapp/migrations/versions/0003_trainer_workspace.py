"""trainer workspace: question status, authors, audit log, answer counts, search text, lint acknowledgements

Existing rows keep their meaning: a retired question becomes status 'retired', every
other one 'published'; answer counts are counted from the answer log once; every
version gets its search text and tag key; each question is marked as in step with
the bank files (synced_state), since until now the files were the only way in.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:20:00

"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

questions = sa.table("questions", sa.column("id", sa.String), sa.column("retired", sa.Boolean),
                     sa.column("status", sa.String), sa.column("current_version_id", sa.Integer),
                     sa.column("answer_count", sa.Integer), sa.column("synced_state", sa.String),
                     sa.column("updated_at", sa.DateTime))
versions = sa.table("question_versions", sa.column("id", sa.Integer), sa.column("stem", sa.Text),
                    sa.column("options", sa.JSON), sa.column("explanation", sa.Text), sa.column("tags", sa.JSON),
                    sa.column("content_hash", sa.String), sa.column("created_at", sa.DateTime),
                    sa.column("search_text", sa.Text), sa.column("tags_key", sa.String))
answers = sa.table("answers", sa.column("question_id", sa.String))


def upgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=120), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_log_target", ["target_type", "target_id", "at"], unique=False)

    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=10), nullable=False, server_default="file"))
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("tags_key", sa.String(length=600), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("lint_ok", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.create_foreign_key(batch_op.f("fk_question_versions_author_id_users"), "users", ["author_id"], ["id"])

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=False, server_default="published"))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("updated_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("answer_count", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("synced_state", sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f("ix_questions_status"), ["status"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_questions_updated_by_id_users"), "users", ["updated_by_id"], ["id"])

    _backfill()

    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.alter_column("updated_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_column("retired")
    _drop_server_defaults()


def _backfill():
    connection = op.get_bind()
    connection.execute(questions.update().where(questions.c.retired.is_(True)).values(status="retired"))
    for version_id, stem, options, explanation, tags in connection.execute(
            sa.select(versions.c.id, versions.c.stem, versions.c.options, versions.c.explanation, versions.c.tags)):
        connection.execute(versions.update().where(versions.c.id == version_id).values(
            search_text=_search_text(stem, _json(options), explanation), tags_key=_tags_key(_json(tags))))
    counts = dict(connection.execute(sa.select(answers.c.question_id, sa.func.count())
                                     .group_by(answers.c.question_id)).all())
    rows = connection.execute(sa.select(questions.c.id, questions.c.status, versions.c.content_hash, versions.c.created_at)
                              .join(versions, versions.c.id == questions.c.current_version_id)).all()
    for question_id, status, digest, created_at in rows:
        connection.execute(questions.update().where(questions.c.id == question_id).values(
            answer_count=counts.get(question_id, 0), synced_state=f"{digest}:{status}", updated_at=created_at))


# Frozen copies of domain/question_index.py as of this revision: a migration must
# keep doing what it did when it was written, whatever that module becomes.
def _search_text(stem, options, explanation):
    parts = [stem] + [f"{o['text']} {o['why']}" for o in options] + [explanation]
    return " ".join(" ".join(parts).split()).casefold()


def _tags_key(tags):
    tags = [t.strip().casefold() for t in tags if t.strip()]
    return f"|{'|'.join(tags)}|" if tags else ""


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _drop_server_defaults():
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        for name in ("source", "search_text", "tags_key", "lint_ok"):
            batch_op.alter_column(name, server_default=None)
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for name in ("status", "answer_count"):
            batch_op.alter_column(name, server_default=None)


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.false()))
    connection = op.get_bind()
    connection.execute(questions.update().where(questions.c.status != "published").values(retired=True))
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.alter_column("retired", server_default=None)
        batch_op.drop_constraint(batch_op.f("fk_questions_updated_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_questions_status"))
        for name in ("synced_state", "answer_count", "updated_by_id", "updated_at", "status"):
            batch_op.drop_column(name)
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_question_versions_author_id_users"), type_="foreignkey")
        for name in ("lint_ok", "tags_key", "search_text", "source", "author_id"):
            batch_op.drop_column(name)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_target")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")
