"""offers submitted by Vereine in the chat

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offer_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("gemeinde", sa.String(length=80), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=60), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("offer_submissions", schema=None) as batch_op:
        batch_op.create_index("ix_offer_submissions_status", ["status"], unique=False)
        batch_op.create_index("ix_offer_submissions_updated_at", ["updated_at"], unique=False)
        batch_op.create_index("ix_offer_submissions_user_id", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("offer_submissions")
