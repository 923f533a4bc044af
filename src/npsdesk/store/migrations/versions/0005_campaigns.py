"""Campaigns and their participants; the survey token on opinions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("opinion") as batch:
        batch.add_column(sa.Column("survey_token", sa.String(), nullable=True))
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("window_from", sa.Integer(), nullable=False),
        sa.Column("window_to", sa.Integer(), nullable=False),
        sa.Column("auto_include", sa.Boolean(), nullable=False),
        sa.Column("verticals", sa.String(), nullable=True),
        sa.Column("products", sa.String(), nullable=True),
        sa.Column("link_template", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name="ck_campaign_period"),
        sa.CheckConstraint(
            "window_from >= 0 AND window_from < window_to AND window_to <= 24",
            name="ck_campaign_window",
        ),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaign.id"), nullable=False),
        sa.Column("respondent_id", sa.Integer(), sa.ForeignKey("respondent.id"), nullable=False),
        sa.Column("customer_key", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("cnpj", sa.String(), nullable=True),
        sa.Column("token", sa.String(), nullable=False, unique=True),
        sa.Column("included_at", sa.DateTime(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=True),
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinion.id"), nullable=True),
        sa.Column("responded_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("campaign_id", "customer_key", name="uq_participant_customer"),
    )
    op.create_index("ix_participant_email", "participant", ["email", "included_at"])
    op.create_index("ix_participant_cnpj", "participant", ["cnpj", "included_at"])


def downgrade() -> None:
    op.drop_table("participant")
    op.drop_table("campaign")
    with op.batch_alter_table("opinion") as batch:
        batch.drop_column("survey_token")
