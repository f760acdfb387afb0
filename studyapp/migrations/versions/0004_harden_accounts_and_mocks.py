"""harden: one running mock per learner, disabled/deleted accounts, login throttle, reset links

Learners who already hold several running mocks (two starts at once on PostgreSQL) keep
the one with the most answers (the earliest on a tie); the others are deleted. A running
mock's answers reach the answer log only when it is submitted, so nothing recorded is
lost: only the choices in an abandoned duplicate.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RUNNING = sa.text("submitted_at IS NULL")


def upgrade():
    _drop_duplicate_running_mocks()
    with op.batch_alter_table("mock_exams", schema=None) as batch_op:
        batch_op.create_index("uq_mock_exams_one_running", ["user_id"], unique=True,
                              sqlite_where=RUNNING, postgresql_where=RUNNING)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.create_table(
        "login_throttle",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_password_resets_created_by_id_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_password_resets_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_resets_user_id"), ["user_id"], unique=False)


def _drop_duplicate_running_mocks():
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT e.user_id, e.id, (SELECT count(*) FROM mock_items i WHERE i.exam_id = e.id"
        " AND i.chosen_shown IS NOT NULL) AS answered FROM mock_exams e WHERE e.submitted_at IS NULL"
        " ORDER BY e.user_id, answered DESC, e.id")).all()
    kept, extra = set(), []
    for user_id, exam_id, _ in rows:
        if user_id in kept:
            extra.append(exam_id)
        kept.add(user_id)
    for exam_id in extra:
        connection.execute(sa.text("DELETE FROM mock_items WHERE exam_id = :id"), {"id": exam_id})
        connection.execute(sa.text("DELETE FROM mock_exams WHERE id = :id"), {"id": exam_id})


def downgrade():
    with op.batch_alter_table("password_resets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_resets_user_id"))
    op.drop_table("password_resets")
    op.drop_table("login_throttle")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
        batch_op.drop_column("disabled_at")
    with op.batch_alter_table("mock_exams", schema=None) as batch_op:
        batch_op.drop_index("uq_mock_exams_one_running", sqlite_where=RUNNING, postgresql_where=RUNNING)
