"""The autopilot: tags on cases, bulk changes kept for undo, where rules have acted.

`opinion_tag` holds a case's free labels (folded to lower case), found by tag through
`ix_opinion_tag_tag`. `change_set` keeps a bulk change's previous values so it can be undone
from the desk or the command line, later and from another process. `rule_hit` records that
a rule acted on a case on one occasion (an import, a reply, the schedule), so a rule runs
there once and alerts nobody twice.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NOTIFIED = ("opinion_tag",)


def upgrade() -> None:
    op.create_table(
        "opinion_tag",
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinion.id"), primary_key=True),
        sa.Column("tag", sa.String(), primary_key=True),
    )
    op.create_index("ix_opinion_tag_tag", "opinion_tag", ["tag", "opinion_id"])
    op.create_table(
        "change_set",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("verb", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("last_event", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by", sa.String(), nullable=True),
    )
    op.create_index("ix_change_set_actor", "change_set", ["actor", "id"])
    op.create_table(
        "rule_hit",
        sa.Column("rule", sa.String(), primary_key=True),
        sa.Column("opinion_id", sa.Integer(), sa.ForeignKey("opinion.id"), primary_key=True),
        sa.Column("occasion", sa.String(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_rule_hit_opinion", "rule_hit", ["opinion_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFIED:
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION npsdesk_notify()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFIED:
            op.execute(f"DROP TRIGGER {table}_notify ON {table}")
    for table in ("rule_hit", "change_set", "opinion_tag"):
        op.drop_table(table)
