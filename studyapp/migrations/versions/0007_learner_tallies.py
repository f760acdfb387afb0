"""groups: learners' answer logs summed up and stored for the group report

`learner_tallies` holds, per learner, decayed counts derived from `answers` (overall and
per topic). They start empty: studyapp/tallies.py fills
a learner's rows the first time a report needs them and keeps them current, so an
existing database needs no backfill here.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 02:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "learner_tallies",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("right_ids", sa.BigInteger(), nullable=False),
        sa.Column("last_answer_id", sa.Integer(), nullable=False),
        sa.Column("last_answered_at", sa.DateTime(), nullable=False),
        sa.Column("decayed_right", sa.Double(), nullable=False),
        sa.Column("decayed_wrong", sa.Double(), nullable=False),
        sa.Column("questions_met", sa.Integer(), nullable=False),
        sa.Column("open_mistakes", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_learner_tallies_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_learner_tallies")),
    )


def downgrade():
    op.drop_table("learner_tallies")
