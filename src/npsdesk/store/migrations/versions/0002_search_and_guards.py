"""Full-text search over name, company, e-mail and comment; append-only history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# One FTS5 row per opinion (rowid = opinion.id), kept in step by triggers. Diacritics are
# folded so "joao" finds "João" and "reclamacao" finds "reclamação".
SQLITE_UP = [
    """
    CREATE VIRTUAL TABLE opinion_search USING fts5(
        name, company, email, comment,
        tokenize = "unicode61 remove_diacritics 2"
    )
    """,
    """
    CREATE TRIGGER opinion_search_insert AFTER INSERT ON opinion BEGIN
        INSERT INTO opinion_search (rowid, name, company, email, comment)
        SELECT new.id, r.name, r.company, r.email, new.comment
        FROM respondent r WHERE r.id = new.respondent_id;
    END
    """,
    """
    CREATE TRIGGER opinion_search_update AFTER UPDATE OF comment, respondent_id ON opinion
    BEGIN
        DELETE FROM opinion_search WHERE rowid = old.id;
        INSERT INTO opinion_search (rowid, name, company, email, comment)
        SELECT new.id, r.name, r.company, r.email, new.comment
        FROM respondent r WHERE r.id = new.respondent_id;
    END
    """,
    """
    CREATE TRIGGER opinion_search_delete AFTER DELETE ON opinion BEGIN
        DELETE FROM opinion_search WHERE rowid = old.id;
    END
    """,
    """
    CREATE TRIGGER respondent_search_update AFTER UPDATE OF name, company, email ON respondent
    BEGIN
        DELETE FROM opinion_search
        WHERE rowid IN (SELECT id FROM opinion WHERE respondent_id = new.id);
        INSERT INTO opinion_search (rowid, name, company, email, comment)
        SELECT o.id, new.name, new.company, new.email, o.comment
        FROM opinion o WHERE o.respondent_id = new.id;
    END
    """,
    """
    CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event BEGIN
        SELECT RAISE(ABORT, 'the case history is append-only');
    END
    """,
    """
    CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event BEGIN
        SELECT RAISE(ABORT, 'the case history is append-only');
    END
    """,
    # Index the opinions a store may already hold.
    """
    INSERT INTO opinion_search (rowid, name, company, email, comment)
    SELECT o.id, r.name, r.company, r.email, o.comment
    FROM opinion o JOIN respondent r ON r.id = o.respondent_id
    """,
]

SQLITE_DOWN = [
    "DROP TRIGGER event_append_only_delete",
    "DROP TRIGGER event_append_only_update",
    "DROP TRIGGER respondent_search_update",
    "DROP TRIGGER opinion_search_delete",
    "DROP TRIGGER opinion_search_update",
    "DROP TRIGGER opinion_search_insert",
    "DROP TABLE opinion_search",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
