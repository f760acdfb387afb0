"""formats: an imported question whose category maps to no topic arrives as a draft waiting for one

`questions.topic_id`, `questions.module_id` and `question_versions.topic_id` become
nullable. Only drafts hold NULL: publishing re-runs the bank rules, which require a
known topic. Existing rows keep their topics.

Revision ID: 0006
Revises: 0005l
Create Date: 2026-11-30 13:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005l"
branch_labels = None
depends_on = None


def upgrade():
    _set_nullable(True)


def downgrade():
    waiting = op.get_bind().exec_driver_sql(
        "SELECT count(*) FROM question_versions WHERE topic_id IS NULL").scalar()
    if waiting:  # the older schema cannot hold them; deleting a trainer's drafts silently would lose work
        raise RuntimeError(f"{waiting} question versions have no topic: give those drafts a topic (or delete them) "
                           "before downgrading below 0006")
    _set_nullable(False)


def _set_nullable(nullable: bool) -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.alter_column("topic_id", existing_type=sa.String(length=100), nullable=nullable)
        batch_op.alter_column("module_id", existing_type=sa.String(length=40), nullable=nullable)
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.alter_column("topic_id", existing_type=sa.String(length=100), nullable=nullable)
