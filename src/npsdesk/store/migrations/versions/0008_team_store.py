"""What a shared store needs: change notices for open desks, and the look-ups by analyst
and by closing time that a team's figures make often.

On PostgreSQL a statement-level trigger sends one notice per changing statement on the
channel `npsdesk_changes` (PostgreSQL folds repeats within a transaction); open desks LISTEN
and refresh. SQLite desks notice changes by polling the file's data version instead.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NOTIFIED = ("opinion", "event", "opinion_follower", "category", "analyst")


def upgrade() -> None:
    op.create_index("ix_event_actor", "event", ["actor"])
    op.create_index("ix_opinion_closed", "opinion", ["closed_at"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION npsdesk_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('npsdesk_changes', TG_TABLE_NAME);
            RETURN NULL;
        END $$
        """
    )
    for table in NOTIFIED:
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION npsdesk_notify()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NOTIFIED:
            op.execute(f"DROP TRIGGER {table}_notify ON {table}")
        op.execute("DROP FUNCTION npsdesk_notify()")
    op.drop_index("ix_opinion_closed", "opinion")
    op.drop_index("ix_event_actor", "event")
