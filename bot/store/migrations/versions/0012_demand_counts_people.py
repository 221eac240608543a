"""demand counts people: a pseudonym per person, on searches and step visits

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 14:00:00

Old searches keep `person` empty and count one person each; old `step_counts` stay and are
added to the funnel the same way, so reports over earlier days read as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("pseudonym", sa.String(length=16), nullable=True))
    with op.batch_alter_table("searches") as batch:
        batch.add_column(sa.Column("person", sa.String(length=16), nullable=True))
    op.create_table(
        "step_visits",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("person", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("day", "step", "person"),
    )


def downgrade() -> None:
    op.drop_table("step_visits")
    with op.batch_alter_table("searches") as batch:
        batch.drop_column("person")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("pseudonym")
