"""learner: keyboard-shortcut switch, time zone, daily budget; where a running mock was left

Existing learners keep the shortcuts on, no time zone (the browser's is used) and no
daily budget; running mocks resume at question 1 until the learner opens another.

Revision ID: 0005l
Revises: 0005g
Create Date: 2026-12-10 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0005l"
down_revision = "0005g"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keyboard_shortcuts", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("daily_budget", sa.Integer(), nullable=True))
    with op.batch_alter_table("mock_exams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_position", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("mock_exams", schema=None) as batch_op:
        batch_op.drop_column("last_position")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("daily_budget")
        batch_op.drop_column("time_zone")
        batch_op.drop_column("keyboard_shortcuts")
