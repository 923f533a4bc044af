"""Opinions created by an import are indexed for search in bulk, not row by row.

FTS5 writes a segment per statement, so a trigger indexing each imported row costs more than
the rest of the import together; the import indexes each chunk with one INSERT ... SELECT
(`intake_writes.insert_opinions`). Opinions created any other way are still indexed by the
trigger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INSERT_TRIGGER = """
    CREATE TRIGGER opinion_search_insert AFTER INSERT ON opinion {when}BEGIN
        INSERT INTO opinion_search (rowid, name, company, email, comment)
        SELECT new.id, r.name, r.company, r.email, new.comment
        FROM respondent r WHERE r.id = new.respondent_id;
    END
"""


# On PostgreSQL the trigger of revision 0002 already leaves imported rows to the importer.


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER opinion_search_insert")
        op.execute(INSERT_TRIGGER.format(when="WHEN new.import_batch_id IS NULL "))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER opinion_search_insert")
        op.execute(INSERT_TRIGGER.format(when=""))
