"""Initial tables: analyst, category, import batch, respondent, opinion, followers, event.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATUSES = "('untreated', 'in_treatment', 'closed')"
TYPES = "('praise', 'complaint', 'suggestion', 'none')"
CLASS_OF_SCORE = (
    "nps_class = CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'neutral' "
    "ELSE 'detractor' END"
)


def upgrade() -> None:
    op.create_table(
        "analyst",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(), nullable=False, unique=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "category",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("analyst", sa.String(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("new_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("rejected_count", sa.Integer(), nullable=False),
        sa.Column("duplicate_count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "respondent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("cnpj", sa.String(), nullable=True),
        sa.Column("company", sa.String(), nullable=True),
        sa.Column("product", sa.String(), nullable=True),
        sa.Column("vertical", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("last_service_at", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_respondent_cnpj", "respondent", ["cnpj"])
    op.create_index("ix_respondent_email", "respondent", ["email"])
    op.create_index("ix_respondent_phone", "respondent", ["phone"])
    op.create_table(
        "opinion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("external_id", sa.String(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), sa.ForeignKey("respondent.id"), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("nps_class", sa.String(), nullable=False),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("campaign", sa.String(), nullable=True),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("category.id"), nullable=True),
        sa.Column("type", sa.String(), nullable=True),
        sa.Column("responsible_id", sa.Integer(), sa.ForeignKey("analyst.id"), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), sa.ForeignKey("import_batch.id"), nullable=True),
        sa.Column("first_action_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.UniqueConstraint("source", "external_id", name="uq_opinion_source_external_id"),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="ck_opinion_score"),
        sa.CheckConstraint(CLASS_OF_SCORE, name="ck_opinion_class"),
        sa.CheckConstraint(f"status IN {STATUSES}", name="ck_opinion_status"),
        sa.CheckConstraint(f"type IS NULL OR type IN {TYPES}", name="ck_opinion_type"),
        sa.CheckConstraint("priority BETWEEN 1 AND 3", name="ck_opinion_priority"),
    )
    op.create_index(
        "ix_opinion_queue",
        "opinion",
        ["archived", "status", "priority", "deadline", "answered_at", "id"],
    )
    op.create_index("ix_opinion_answered", "opinion", ["answered_at", "score"])
    op.create_index("ix_opinion_respondent", "opinion", ["respondent_id"])
    op.create_index("ix_opinion_responsible", "opinion", ["responsible_id"])
    op.create_table(
        "opinion_follower",
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinion.id"), primary_key=True),
        sa.Column("analyst_id", sa.Integer(), sa.ForeignKey("analyst.id"), primary_key=True),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinion.id"), nullable=True),
        sa.Column("respondent_id", sa.Integer(), sa.ForeignKey("respondent.id"), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=True),
        sa.Column("old_value", sa.String(), nullable=True),
        sa.Column("new_value", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("body", sa.String(), nullable=True),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("import_batch.id"), nullable=True),
    )
    op.create_index("ix_event_opinion", "event", ["opinion_id", "id"])
    op.create_index("ix_event_respondent", "event", ["respondent_id", "id"])


def downgrade() -> None:
    for table in (
        "event",
        "opinion_follower",
        "opinion",
        "respondent",
        "import_batch",
        "category",
        "analyst",
    ):
        op.drop_table(table)
