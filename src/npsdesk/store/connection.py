"""What the store's SQL runs on: a connection of either back end, seen through one shape.

The store writes its SQL once, in the SQLite dialect with `:name` or `?` parameters; the
PostgreSQL connection translates it (see `npsdesk.store.pg`). The few statements that differ
between the two ask `is_postgres(conn)` and say so where they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
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
