"""groups: groups, memberships, join invites and one-time set-password links

New tables only; nothing existing changes, so data already held is untouched.

Revision ID: 0005g
Revises: 0005s
Create Date: 2026-12-05 00:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0005g"
down_revision = "0005s"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=True),
        sa.Column("default_extra_time", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["trainer_id"], ["users.id"], name=op.f("fk_groups_trainer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
    )
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groups_trainer_id"), ["trainer_id"], unique=False)
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.Column("extra_time", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_memberships_group_id_groups")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("group_id", "user_id", name=op.f("uq_memberships_group_id_user_id")),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index("ix_memberships_user", ["user_id", "left_at"], unique=False)
    op.create_table(
        "group_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_group_invites_group_id_groups")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_invites")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_group_invites_code_hash")),
    )
    with op.batch_alter_table("group_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_invites_group_id"), ["group_id"], unique=False)
    op.create_table(
        "set_password_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_set_password_tokens_group_id_groups")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_set_password_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_password_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_set_password_tokens_token_hash")),
    )
    with op.batch_alter_table("set_password_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_set_password_tokens_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("set_password_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_set_password_tokens_user_id"))
    op.drop_table("set_password_tokens")
    with op.batch_alter_table("group_invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_invites_group_id"))
    op.drop_table("group_invites")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_memberships_user")
    op.drop_table("memberships")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_groups_trainer_id"))
    op.drop_table("groups")
