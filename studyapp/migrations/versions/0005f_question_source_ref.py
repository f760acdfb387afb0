"""formats: remember where an imported question came from, so a re-import updates it

`questions.source_ref` holds the identity a GIFT, Aiken, Moodle XML or CSV file gave
the question ("id:<idnumber>", "name:<title>" or "stem:<first 80 characters>").
Existing questions get NULL: they came from our YAML bank, which uses our ids.

Revision ID: 0005f
Revises: 0005
Create Date: 2026-11-30 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0005f"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_ref", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_questions_source_ref"), ["source_ref"], unique=False)


def downgrade():
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questions_source_ref"))
        batch_op.drop_column("source_ref")
