"""Imports commit in steps and land at once: what an unfinished batch wrote stays hidden.

Respondents remember the batch that created them (like opinions), changes to rows already
shown wait in `import_change` until the batch lands, the open batches are found through a
partial index, and a batch's opinions through an index of their own.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Before this revision a batch landed in the transaction that opened it, so any batch
    # without an end time was complete: say so, or every read would hide its rows.
    op.execute("UPDATE import_batch SET finished_at = started_at WHERE finished_at IS NULL")
    # A plain ADD COLUMN on both: rebuilding the respondent table would copy every row.
    op.execute(
        "ALTER TABLE respondent ADD COLUMN import_batch_id INTEGER REFERENCES import_batch (id)"
    )
    op.create_table(
        "import_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.CheckConstraint("target IN ('opinion', 'respondent')", name="ck_import_change_target"),
    )
    op.create_index("ix_import_change_batch", "import_change", ["batch_id", "id"])
    op.create_index("ix_opinion_batch", "opinion", ["import_batch_id", "id"])
    op.create_index(
        "ix_import_batch_open",
        "import_batch",
        ["id"],
        sqlite_where=sa.text("finished_at IS NULL"),
        postgresql_where=sa.text("finished_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_import_batch_open", "import_batch")
    op.drop_index("ix_opinion_batch", "opinion")
    op.drop_index("ix_import_change_batch", "import_change")
    op.drop_table("import_change")
    op.drop_column("respondent", "import_batch_id")
