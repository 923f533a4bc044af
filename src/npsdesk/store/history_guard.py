"""The history is append-only: triggers refuse UPDATE and DELETE on `event` (migration 0002).

Two writers may lift the guard, each inside its own transaction and for that transaction
only (DDL is transactional on both back ends, so no other writer ever sees it missing, and a
failure rolls back with the guard in place): an erasure, which anonymises a person's
entries, and the removal of an import that never landed, whose entries nobody was shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from npsdesk.store.connection import Connection, is_postgres

_GUARDS = (
    """CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event BEGIN
        SELECT RAISE(ABORT, 'the case history is append-only');
    END""",
    """CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event BEGIN
        SELECT RAISE(ABORT, 'the case history is append-only');
    END""",
)
# The same guard on the team store: one trigger for both.
_PG_GUARD = """CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
    FOR EACH ROW EXECUTE FUNCTION event_append_only()"""


@contextmanager
def lifted(conn: Connection) -> Iterator[None]:
    """The guard dropped for what runs inside; call it inside a write transaction."""
    if not conn.in_transaction:
        raise RuntimeError("the history's guard is lifted inside a write transaction only")
    if is_postgres(conn):
        conn.execute("DROP TRIGGER event_append_only ON event")
        guards: tuple[str, ...] = (_PG_GUARD,)
    else:
        for name in ("event_append_only_update", "event_append_only_delete"):
            conn.execute(f"DROP TRIGGER {name}")
        guards = _GUARDS
    yield
    for guard in guards:
        conn.execute(guard)
