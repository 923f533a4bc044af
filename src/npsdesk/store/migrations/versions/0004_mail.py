"""Mail: outbox, templates, coupons, suppression list, team settings; Message-ID on events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OUTBOX_STATES = "('draft', 'queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled')"


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("message_id", sa.String(), nullable=True))
    op.create_table(
        "store_setting",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
    )
    op.create_table(
        "mail_template",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinion.id"), nullable=True),
        sa.Column("respondent_id", sa.Integer(), sa.ForeignKey("respondent.id"), nullable=True),
        sa.Column("template", sa.String(), nullable=True),
        sa.Column("message_id", sa.String(), nullable=True, unique=True),
        sa.Column("to_address", sa.String(), nullable=True),
        sa.Column("to_name", sa.String(), nullable=True),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("body", sa.String(), nullable=True),
        sa.Column("close_on_send", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("retryable", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(f"state IN {OUTBOX_STATES}", name="ck_outbox_state"),
    )
    op.create_index("ix_outbox_state", "outbox", ["state", "id"])
    op.create_index("ix_outbox_opinion", "outbox", ["opinion_id"])
    op.create_index(
        "ux_outbox_thank_you",
        "outbox",
        ["opinion_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'thank_you' AND state <> 'cancelled'"),
        postgresql_where=sa.text("kind = 'thank_you' AND state <> 'cancelled'"),
    )
    op.create_table(
        "coupon",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False, unique=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column(
            "outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=True, unique=True
        ),
        sa.Column("respondent_id", sa.Integer(), sa.ForeignKey("respondent.id"), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_coupon_free", "coupon", ["campaign", "outbox_id", "id"])
    op.create_table(
        "suppression",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email_hash", sa.String(), nullable=False, unique=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
    )


def downgrade() -> None:
    for table in ("suppression", "coupon", "outbox", "mail_template", "store_setting"):
        op.drop_table(table)
    with op.batch_alter_table("event") as batch:
        batch.drop_column("message_id")
