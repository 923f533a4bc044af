"""What every read leaves out: the rows of an import that has not landed yet.

On SQLite an import commits a step at a time so that others can write meanwhile; until its
batch is finished its rows are in the file, and every query over `opinion` or `respondent`
that lists, counts or finds adds `hidden(conn, alias)`. On PostgreSQL an import is one
transaction, so no other connection ever sees an open batch and nothing is added.
"""

from __future__ import annotations

from npsdesk.store.connection import Connection, is_postgres


def open_batches(conn: Connection) -> tuple[int, ...]:
    """The batches whose import has not landed (one indexed look-up; none on PostgreSQL)."""
    if is_postgres(conn):
        return ()
    rows = conn.execute("SELECT id FROM import_batch WHERE finished_at IS NULL").fetchall()
    return tuple(int(row[0]) for row in rows)


def hidden(conn: Connection, alias: str = "o") -> str:
    """`AND ...` leaving out the rows of imports under way, for a query over `opinion` or
    `respondent` as `alias`; empty (the usual case) when no import is under way."""
    ids = open_batches(conn)
    if not ids:
        return ""
    listed = ", ".join(str(i) for i in ids)
    return f" AND ({alias}.import_batch_id IS NULL OR {alias}.import_batch_id NOT IN ({listed}))"
