"""item analysis: cached item statistics, learners' problem reports, regrades

Adds the statistics cache (item_stats, stats_runs), problem_reports with one open report
per learner and version, regrades, the regraded key of a version and a mock's score
before a regrade. Existing rows need nothing: no key has been regraded yet, and the
cache fills itself on first use.

Revision ID: 0005s
Revises: 0005f
Create Date: 2026-11-30 12:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0005s"
down_revision = "0005f"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade():
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("regraded_key", sa.Integer(), nullable=True))
    with op.batch_alter_table("mock_exams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score_before_regrade", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("regraded_at", sa.DateTime(), nullable=True))
    _create_item_stats()
    op.create_table(
        "stats_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("last_answer_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_runs")),
    )
    _create_problem_reports()
    _create_regrades()


def _create_item_stats():
    op.create_table(
        "item_stats",
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("mock_attempts", sa.Integer(), nullable=False),
        sa.Column("facility", sa.Double(), nullable=True),
        sa.Column("discrimination", sa.Double(), nullable=True),
        sa.Column("efficiency", sa.Double(), nullable=True),
        sa.Column("needs_checking", sa.String(length=12), nullable=True),
        sa.Column("flag_codes", sa.String(length=200), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_item_stats_question_id_questions")),
        sa.ForeignKeyConstraint(["question_version_id"], ["question_versions.id"],
                                name=op.f("fk_item_stats_question_version_id_question_versions")),
        sa.PrimaryKeyConstraint("question_version_id", name=op.f("pk_item_stats")),
    )
    with op.batch_alter_table("item_stats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_stats_question_id"), ["question_id"], unique=False)


def _create_problem_reports():
    op.create_table(
        "problem_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_problem_reports_question_id_questions")),
        sa.ForeignKeyConstraint(["question_version_id"], ["question_versions.id"],
                                name=op.f("fk_problem_reports_question_version_id_question_versions")),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"], name=op.f("fk_problem_reports_resolved_by_id_users")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_problem_reports_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_reports")),
    )
    with op.batch_alter_table("problem_reports", schema=None) as batch_op:
        batch_op.create_index("ix_problem_reports_user_created", ["user_id", "created_at"], unique=False)
        batch_op.create_index("ix_problem_reports_question_status", ["question_id", "status"], unique=False)
        batch_op.create_index("uq_problem_reports_one_open", ["user_id", "question_version_id"], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)


def _create_regrades():
    op.create_table(
        "regrades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=20), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.Column("wrong_key", sa.Integer(), nullable=False),
        sa.Column("right_key", sa.Integer(), nullable=False),
        sa.Column("fixed_version_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("learners", sa.Integer(), nullable=False),
        sa.Column("answers_changed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_regrades_by_id_users")),
        sa.ForeignKeyConstraint(["fixed_version_id"], ["question_versions.id"],
                                name=op.f("fk_regrades_fixed_version_id_question_versions")),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_regrades_question_id_questions")),
        sa.ForeignKeyConstraint(["question_version_id"], ["question_versions.id"],
                                name=op.f("fk_regrades_question_version_id_question_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regrades")),
    )
    with op.batch_alter_table("regrades", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regrades_question_id"), ["question_id"], unique=False)


def downgrade():
    for table in ("regrades", "problem_reports", "stats_runs", "item_stats"):
        op.drop_table(table)
    with op.batch_alter_table("mock_exams", schema=None) as batch_op:
        batch_op.drop_column("regraded_at")
        batch_op.drop_column("score_before_regrade")
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.drop_column("regraded_key")
