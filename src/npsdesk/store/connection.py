"""What the store's SQL runs on: a connection of either back end, seen through one shape.

The store writes its SQL once, in the SQLite dialect with `:name` or `?` parameters; the
PostgreSQL connection translates it (see `npsdesk.store.pg`). The few statements that differ
between the two ask `is_postgres(conn)` and say so where they are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol


class Row(Protocol):
    """A result row: by position or by column name (`Row` and `pg.PgRow`)."""

    def __getitem__(self, key: int | str | slice, /) -> Any: ...

    def keys(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor: ...

    @property
    def in_transaction(self) -> bool: ...


class Store(Protocol):
    """A store of either back end: `db.Database` (SQLite) or `pg.PgDatabase`."""

    dialect: str
    label: str  # how messages name it: the file, or the URL without secrets

    @property
    def path(self) -> Path: ...

    def connection(self) -> Any: ...

    def write(self) -> AbstractContextManager[Any]: ...

    def read(self) -> AbstractContextManager[Any]: ...

    def exposure(self) -> str | None: ...

    def close(self) -> None: ...


def is_postgres(conn: Connection) -> bool:
    """True on the team store; the SQLite module is never imported to answer."""
    return getattr(conn, "dialect", "sqlite") == "postgresql"


def locking(conn: Connection, table: str) -> str:
    """` FOR UPDATE OF table` on PostgreSQL: rows read to be changed are locked until the
    transaction ends, so a concurrent change waits instead of being overwritten. SQLite
    needs none (a write transaction holds the whole file)."""
    return f" FOR UPDATE OF {table}" if is_postgres(conn) else ""


def stream(conn: Connection, sql: str, params: Any = ()) -> Iterator[Any]:
    """The rows of a large result one batch at a time, inside the caller's transaction
    (a server-side cursor on PostgreSQL, whose client cursor would hold them all)."""
    streamer = getattr(conn, "stream", None)
    if streamer is not None:
        yield from streamer(sql, params)
    else:
        yield from conn.execute(sql, params)


@contextmanager
def write_transaction(
    conn: Any,
    local: Any,
    begin: str | Callable[[], None],
    driver_error: type[Exception],
    translate: Callable[[Any], Exception],
) -> Iterator[Any]:
    """A write transaction on `conn` (both back ends): all of it commits, or none of it.

    Nested calls (counted in the thread's `local.depth`) become savepoints, so a use case
    can run inside a larger one (the demo builds the whole store in one transaction through
    the same services). Driver errors come out as `translate(error)`.
    """
    depth: int = getattr(local, "depth", 0)
    begin, commit, rollback = (
        (begin, "COMMIT", "ROLLBACK")
        if depth == 0
        else (f"SAVEPOINT s{depth}", f"RELEASE s{depth}", f"ROLLBACK TO s{depth}")
    )
    try:
        if callable(begin):
            begin()
        else:
            conn.execute(begin)
    except driver_error as error:
        raise translate(error) from error
    local.depth = depth + 1
    try:
        yield conn
    except driver_error as error:
        _undo(conn, rollback, commit, depth)
        raise translate(error) from error
    except BaseException:
        _undo(conn, rollback, commit, depth)
        raise
    else:
        try:
            conn.execute(commit)
        except driver_error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate(error) from error
    finally:
        local.depth = depth


def _undo(conn: Any, rollback: str, release: str, depth: int) -> None:
    if getattr(conn, "closed", False):  # the server went away: nothing left to undo
        return
    if not conn.in_transaction:  # SQLite rolled back by itself (disk full, I/O error)
        return
    conn.execute(rollback)
    if depth:  # ROLLBACK TO keeps the savepoint open
        conn.execute(release)
