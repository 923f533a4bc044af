"""A connection to the team store with the calling shape of the SQLite one.

Rows answer by position and by column name, `:name` and `?` parameters are translated,
timestamps and dates are read back as the text the SQLite store keeps, and psycopg's errors
become the store's own (`npsdesk.errors`). `PgDatabase` (`npsdesk.store.pg`) opens them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.abc import Buffer
from psycopg.pq import TransactionStatus
from psycopg.types.numeric import FloatLoader
from psycopg.types.string import StrDumperUnknown, TextLoader

from npsdesk.errors import (
    StoreConflict,
    StoreConnectionLost,
    StoreError,
    StoreLocked,
    StoreSaveUnknown,
    StoreUnreadable,
)
from npsdesk.store.pg_sql import translate


class PgRowBase(tuple[Any, ...]):
    """A row that answers by position and by column name, like `Row`."""

    _index: dict[str, int] = {}  # noqa: RUF012 (set per shape of result)
    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[PgRowBase]:
    index = {name: i for i, name in enumerate(names)}
    return type("PgRow", (PgRowBase,), {"_index": index, "_names": names})


def row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRowBase]:
    names = tuple(column.name for column in cursor.description or ())
    return _row_class(names)


class _TextDumper(StrDumperUnknown):
    """PostgreSQL text cannot hold NUL, which SQLite keeps: a NUL in imported text (a
    damaged export) is dropped, as every view and export drops it, rather than failing."""

    def dump(self, obj: str) -> Buffer | None:
        return super().dump(obj.replace("\x00", "") if "\x00" in obj else obj)


def configure(conn: psycopg.Connection[Any]) -> None:
    """Read timestamps and dates as the store's text, numerics as floats."""
    for name in ("timestamp", "timestamptz", "date"):
        conn.adapters.register_loader(name, TextLoader)
    conn.adapters.register_loader("numeric", FloatLoader)
    conn.adapters.register_dumper(str, _TextDumper)


class PgConnection:
    """A psycopg connection with the calling shape of `Connection`.

    A connection the server dropped while it sat idle (a restart, the network) is only found
    out at its next statement. When that statement opens a transaction nothing was done yet,
    so the connection logs in again (`reopen`) and runs it there instead of failing. A COMMIT
    whose connection dropped is checked on a new login: see `_commit`.
    """

    dialect = "postgresql"

    def __init__(
        self,
        raw: psycopg.Connection[Any],
        reopen: Callable[[], psycopg.Connection[Any]] | None = None,
        label: str = "",
    ) -> None:
        self.raw = raw
        self._reopen = reopen
        self.label = label

    def execute(self, sql: str, parameters: Any = None, /) -> Any:
        if sql == "COMMIT" and self._reopen is not None:
            return self._commit()
        idle = not self.in_transaction
        cursor = self.raw.cursor()
        try:
            cursor.execute(translate(sql), () if parameters is None else _params(parameters))
        except psycopg.OperationalError:
            if not (idle and sql.startswith("BEGIN") and self.raw.closed and self._reopen):
                raise
            self.raw = self._reopen()
            cursor = self.raw.cursor()
            cursor.execute(sql)
        return cursor

    def _commit(self) -> Any:
        """COMMIT, and when the connection drops on the way, ask a new login whether the
        transaction committed (by its id): committed is success, aborted is "not saved",
        and a server still out of reach leaves it unknown (`StoreSaveUnknown`)."""
        try:
            xid = self.raw.execute("SELECT pg_current_xact_id_if_assigned()::text").fetchone()
        except psycopg.OperationalError as error:
            if self.raw.closed:
                raise lost(error, self.label) from error
            raise
        try:
            return self.raw.execute("COMMIT")
        except psycopg.OperationalError as error:
            if not self.raw.closed or self._reopen is None:
                raise
            if xid is None or xid[0] is None:  # it had written nothing
                return None
            status = self._outcome(str(xid[0]))
            if status == "committed":
                return None
            if status is None:
                raise StoreSaveUnknown(
                    f"the connection to the team store {self.label} was lost while saving "
                    f"({_first_line(error)}) and it cannot be reached to ask whether the "
                    "change was saved: look before saving it again"
                ) from error
            raise lost(error, self.label) from error

    def _outcome(self, xid: str) -> str | None:
        """'committed', 'aborted' or None (not known: the server cannot be reached)."""
        assert self._reopen is not None
        for wait in COMMIT_CHECKS:
            time.sleep(wait)
            try:
                if self.raw.closed:
                    self.raw = self._reopen()
                row = self.raw.execute("SELECT pg_xact_status(%s::xid8)", (xid,)).fetchone()
            except (StoreError, psycopg.OperationalError):
                continue
            status = None if row is None else row[0]
            if status in ("committed", "aborted"):
                return str(status)
            if status is None:  # too old to be known: not what a dropped COMMIT leaves
                return None
        return None

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), [_params(p) for p in parameters])
        return cursor

    def stream(self, sql: str, parameters: Any = None) -> Iterator[Any]:
        """Rows of a large result in batches, through a server-side cursor (in a transaction)."""
        with self.raw.cursor(name=f"npsdesk_stream_{id(self)}") as cursor:
            cursor.itersize = 2000
            cursor.execute(translate(sql), () if parameters is None else _params(parameters))
            yield from cursor

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def closed(self) -> bool:
        return bool(self.raw.closed)

    @property
    def pid(self) -> int:
        return int(self.raw.info.backend_pid)

    def close(self) -> None:
        self.raw.close()


# Seconds to wait before each try to learn what became of a COMMIT whose connection dropped
# (the server restarting takes a moment; a COMMIT still running needs one to finish).
COMMIT_CHECKS = (0.0, 0.5, 1.0, 2.0)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def lost(error: BaseException, label: str) -> StoreConnectionLost:
    return StoreConnectionLost(
        f"not saved: the connection to the team store {label} was lost "
        f"({_first_line(error)}); nothing of this change was written, save it again"
    )


def _params(parameters: Any) -> Any:
    """sqlite3 takes any mapping with `:name` and any sequence with `?`; psycopg wants a
    dict or a list."""
    if isinstance(parameters, dict | list | tuple):
        return parameters
    if hasattr(parameters, "keys"):
        return dict(parameters)
    return list(parameters)


def translate_error(error: psycopg.Error, label: str) -> StoreError:
    message = _first_line(error)
    if isinstance(error, pg_errors.LockNotAvailable | pg_errors.DeadlockDetected):
        return StoreLocked(f"store {label}: rows are held by another analyst's change ({message})")
    if isinstance(error, pg_errors.SerializationFailure):
        return StoreConflict(f"store {label}: another change got there first; try again")
    if isinstance(error, pg_errors.InsufficientPrivilege):
        return StoreUnreadable(f"store {label}: not allowed ({message})")
    if isinstance(error, psycopg.OperationalError):
        return StoreUnreadable(f"cannot reach store {label} ({message})")
    return StoreError(f"store {label}: {message}")
