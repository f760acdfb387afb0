"""per-question correct counts and the content-state table

Topic facility becomes a sum over the bank's per-question counters instead of a
scan of the whole answer log; correct_count is counted from the log once here.
content_state remembers the digest of what was last loaded from the content
folders, so `serve` skips rendering a syllabus that has not changed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 23:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

questions = sa.table("questions", sa.column("id", sa.String), sa.column("correct_count", sa.Integer))
answers = sa.table("answers", sa.column("question_id", sa.String), sa.column("correct", sa.Boolean))


def upgrade():
    op.create_table(
        "content_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_content_state")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("correct_count", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    right = (sa.select(answers.c.question_id, sa.func.count()).where(answers.c.correct.is_(True))
             .group_by(answers.c.question_id))
    for question_id, count in connection.execute(right).all():
        connection.execute(questions.update().where(questions.c.id == question_id).values(correct_count=count))
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.alter_column("correct_count", server_default=None)


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("correct_count")
    op.drop_table("content_state")
