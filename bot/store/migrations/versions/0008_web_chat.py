"""web chat: transcript, one-time codes to continue on Telegram, the channel of a lead

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("buttons", sa.JSON(), nullable=False),
        sa.Column("location", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["conversations.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("web_messages", schema=None) as batch_op:
        batch_op.create_index("ix_web_messages_user_id", ["user_id"], unique=False)
    op.create_table(
        "handover_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    with op.batch_alter_table("handover_codes", schema=None) as batch_op:
        batch_op.create_index("ix_handover_codes_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=20), nullable=True))
    # Leads made before: the channel of the person who made them.
    op.execute(
        "UPDATE leads SET channel = "
        "(SELECT users.channel FROM users WHERE users.id = leads.user_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("channel")
    op.drop_table("handover_codes")
    op.drop_table("web_messages")
