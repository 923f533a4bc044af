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


# The team store: the same table and column names, a stored tsvector under a Portuguese
# configuration that also folds accents (unaccent ships with PostgreSQL and is a trusted
# extension, so the database's owner may create it), and plpgsql triggers doing what the
# SQLite ones do.
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION npsdesk_pt (COPY = pg_catalog.portuguese)",
    """
    ALTER TEXT SEARCH CONFIGURATION npsdesk_pt
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem
    """,
    """
    CREATE TABLE opinion_search (
        rowid integer PRIMARY KEY,
        name text, company text, email text, comment text,
        document tsvector GENERATED ALWAYS AS (
            to_tsvector('npsdesk_pt'::regconfig,
                coalesce(name, '') || ' ' || coalesce(company, '') || ' '
                || coalesce(email, '') || ' ' || coalesce(comment, ''))
        ) STORED
    )
    """,
    "CREATE INDEX ix_opinion_search_document ON opinion_search USING gin (document)",
    """
    CREATE FUNCTION opinion_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM opinion_search WHERE rowid = OLD.id;
        END IF;
        IF TG_OP = 'UPDATE' OR (TG_OP = 'INSERT' AND NEW.import_batch_id IS NULL) THEN
            INSERT INTO opinion_search (rowid, name, company, email, comment)
            SELECT NEW.id, r.name, r.company, r.email, NEW.comment
            FROM respondent r WHERE r.id = NEW.respondent_id;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER opinion_search_insert AFTER INSERT ON opinion
        FOR EACH ROW EXECUTE FUNCTION opinion_search_sync()
    """,
    """
    CREATE TRIGGER opinion_search_update AFTER UPDATE OF comment, respondent_id ON opinion
        FOR EACH ROW EXECUTE FUNCTION opinion_search_sync()
    """,
    """
    CREATE TRIGGER opinion_search_delete AFTER DELETE ON opinion
        FOR EACH ROW EXECUTE FUNCTION opinion_search_sync()
    """,
    """
    CREATE FUNCTION respondent_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM opinion_search
        WHERE rowid IN (SELECT id FROM opinion WHERE respondent_id = NEW.id);
        INSERT INTO opinion_search (rowid, name, company, email, comment)
        SELECT o.id, NEW.name, NEW.company, NEW.email, o.comment
        FROM opinion o WHERE o.respondent_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER respondent_search_update AFTER UPDATE OF name, company, email ON respondent
        FOR EACH ROW EXECUTE FUNCTION respondent_search_sync()
    """,
    """
    CREATE FUNCTION event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the case history is append-only';
    END $$
    """,
    """
    CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
        FOR EACH ROW EXECUTE FUNCTION event_append_only()
    """,
]

POSTGRES_DOWN = [
    "DROP TRIGGER event_append_only ON event",
    "DROP FUNCTION event_append_only()",
    "DROP TRIGGER respondent_search_update ON respondent",
    "DROP FUNCTION respondent_search_sync()",
    "DROP TRIGGER opinion_search_delete ON opinion",
    "DROP TRIGGER opinion_search_update ON opinion",
    "DROP TRIGGER opinion_search_insert ON opinion",
    "DROP FUNCTION opinion_search_sync()",
    "DROP TABLE opinion_search",
    "DROP TEXT SEARCH CONFIGURATION npsdesk_pt",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN:
        op.execute(statement)
