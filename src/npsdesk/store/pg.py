"""The team store: one PostgreSQL database, the same tables and SQL as the SQLite file.

Connections behave as the SQLite ones do for the code above them: rows by position or by
name, `:name` parameters, timestamps and dates read back as the same text the SQLite store
keeps, transactions opened explicitly (`write()` and `read()`). The login is the analyst: the
store never stores a password, it takes one from libpq's own sources (PGPASSWORD, the
PGPASSFILE or ~/.pgpass) or else from the system keyring.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

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
from npsdesk.store.connection import write_transaction
from npsdesk.store.pg_sql import translate

KEYRING_SERVICE = "npsdesk"
LOCK_TIMEOUT = "5s"
IDLE_KEPT = 4  # as long as the SQLite store waits for its write lock

# What the store's SQL and its readers rely on, set on every connection whatever the login's
# or the database's own defaults (ALTER ROLE ... SET): times and dates are read back as text
# and parsed as ISO (DateStyle), stored as UTC (TimeZone), the tables live in the public
# schema, `'\'` is a backslash (standard_conforming_strings), floats come back exact, and a
# write transaction re-reads rows it waited for (read committed). Sent in the startup
# packet, they cost no round trip. (lc_messages is for superusers to set; the one server
# message read as text, a refused password, comes before any of these apply.)
SESSION = {
    "DateStyle": "ISO,YMD",
    "IntervalStyle": "postgres",
    "TimeZone": "UTC",
    "client_encoding": "UTF8",
    "search_path": "public",
    "standard_conforming_strings": "on",
    "extra_float_digits": "1",
    "default_transaction_isolation": "read committed",
    "lock_timeout": LOCK_TIMEOUT,
    # The desk's statements are short: JIT compiling the larger plans costs more (up to
    # 0.3 s on a searched page of a 1M store) than it saves.
    "jit": "off",
}


# An idle connection whose network went away is found out within about 30 s (the OS
# default is two hours), so the listening desk notices and logs in again.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 15,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}


def session_options(settings: dict[str, str] = SESSION) -> str:
    """libpq's `options`: one `-c name=value` each, spaces in a value escaped."""
    escaped = {name: value.replace(" ", "\\ ") for name, value in settings.items()}
    return " ".join(f"-c {name}={value}" for name, value in escaped.items())


def keyring_key(user: str, host: str, port: int | None) -> str:
    """The keyring user name under service "npsdesk" for one team-store login."""
    return f"postgresql:{user}@{host}:{port or 5432}"


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


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRowBase]:
    names = tuple(column.name for column in cursor.description or ())
    return _row_class(names)


class _TextDumper(StrDumperUnknown):
    """PostgreSQL text cannot hold NUL, which SQLite keeps: a NUL in imported text (a
    damaged export) is dropped, as every view and export drops it, rather than failing."""

    def dump(self, obj: str) -> Buffer | None:
        return super().dump(obj.replace("\x00", "") if "\x00" in obj else obj)


def _configure(conn: psycopg.Connection[Any]) -> None:
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


class PgDatabase:
    """The team store at a `postgresql://` URL; one connection per thread."""

    dialect = "postgresql"

    def __init__(self, url: str, *, password: Callable[[str], str | None] | None = None) -> None:
        parts = urlsplit(url)
        if parts.password:
            raise StoreError(
                "a store URL must not carry a password: put it in PGPASSFILE (~/.pgpass), "
                "PGPASSWORD, or the system keyring ('npsdesk store password')"
            )
        self.url = url
        self.user_hint = unquote(parts.username) if parts.username else None
        self.host = parts.hostname or "localhost"
        self.port = parts.port
        self.label = parts._replace(query="", fragment="").geturl()
        self._password = password or _keyring_password
        self._local = threading.local()
        self._lock = threading.Lock()
        self._idle: list[PgConnection] = []  # worker threads' connections, kept for reuse
        self._owner = threading.get_ident()
        self._user: str | None = None
        self._owner_conn: PgConnection | None = None

    # -- what the rest of npsdesk asks of a store ----------------------------------------

    @property
    def path(self) -> Path:
        """Where files that belong beside the store go (rejected rows): the data folder."""
        from npsdesk.config.locations import data_dir

        return data_dir() / "team-store"

    @property
    def user(self) -> str:
        """The login this process works as: the analyst every event names."""
        if self._user is None:
            self._user = str(self.connection().execute("SELECT session_user").fetchone()[0])
        return self._user

    def exposure(self) -> str | None:
        return None

    def connection(self) -> PgConnection:
        conn: PgConnection | None = getattr(self._local, "conn", None)
        if conn is None or conn.raw.closed:
            conn = self._reuse()
        if conn is None:
            conn = PgConnection(self.connect(), self.connect, self.label)
            self._local.conn = conn
        if threading.get_ident() == self._owner:
            self._owner_conn = conn
        return conn

    def own_pid(self) -> int | None:
        """The server process of the opening thread's connection (the desk's), whose own
        change notices the desk does not need; None while it has none."""
        conn = self._owner_conn
        if conn is None or conn.raw.closed:
            return None
        return conn.pid

    def _reuse(self) -> PgConnection | None:
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if not conn.raw.closed:
                    self._local.conn = conn
                    return conn
        return None

    def connect(self, *, plain: bool = False) -> psycopg.Connection[Any]:
        """A new connection, the password fetched from the keyring only when libpq has none.

        `plain` leaves psycopg's defaults alone (for SQLAlchemy, which runs the migrations).
        """
        try:
            raw = self._connect(None, plain)
        except psycopg.OperationalError as error:
            if not _wants_password(error):
                raise translate_error(error, self.label) from error
            secret = self._password(keyring_key(self._login(), self.host, self.port))
            if not secret:
                raise StoreUnreadable(
                    f"cannot log in to store {self.label}: no password in PGPASSWORD, the "
                    "PGPASSFILE (~/.pgpass) or the system keyring "
                    "(store one with 'npsdesk store password')"
                ) from None
            try:
                raw = self._connect(secret, plain)
            except psycopg.OperationalError as again:
                raise translate_error(again, self.label) from again
        return raw

    def _login(self) -> str:
        import getpass

        return self.user_hint or getpass.getuser()

    def _connect(self, password: str | None, plain: bool) -> psycopg.Connection[Any]:
        extra: dict[str, Any] = {"password": password} if password else {}
        extra.update(KEEPALIVES)
        options = session_options()
        if plain:
            return psycopg.connect(self.url, application_name="npsdesk", options=options, **extra)
        raw: psycopg.Connection[Any] = psycopg.connect(
            self.url,
            autocommit=True,  # transactions are explicit, as on SQLite
            row_factory=_row_factory,
            application_name="npsdesk",
            options=options,
            **extra,
        )
        _configure(raw)
        return raw

    # -- transactions ---------------------------------------------------------------------

    def write(self) -> AbstractContextManager[PgConnection]:
        """A write transaction (see `connection.write_transaction`). Rows are locked as
        they are changed, so two analysts working on different cases never wait."""
        conn = self.connection()
        return write_transaction(
            conn, self._local, "BEGIN", psycopg.Error, lambda error: self._write_error(conn, error)
        )

    def _write_error(self, conn: PgConnection, error: psycopg.Error) -> StoreError:
        """A write whose connection dropped before COMMIT saved nothing: it says so."""
        if isinstance(error, psycopg.OperationalError) and conn.raw.closed:
            return lost(error, self.label)
        return translate_error(error, self.label)

    @contextmanager
    def read(self) -> Iterator[PgConnection]:
        """A read transaction: every query inside sees the same snapshot."""
        conn = self.connection()
        if conn.in_transaction:
            yield conn
            return
        try:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield conn
        except psycopg.Error as error:
            raise translate_error(error, self.label) from error
        finally:
            if conn.in_transaction and not conn.raw.closed:
                conn.execute("ROLLBACK")

    def close(self) -> None:
        """This thread is done with the store. A worker thread's connection is kept for the
        next worker (a login costs 10-25 ms, and the desk reads in a thread per refresh);
        closing from the thread that opened the store closes every connection."""
        conn: PgConnection | None = getattr(self._local, "conn", None)
        self._local.conn = None
        worker = threading.get_ident() != self._owner
        with self._lock:
            if conn is not None and not conn.raw.closed:
                if worker and not conn.in_transaction and len(self._idle) < IDLE_KEPT:
                    self._idle.append(conn)
                    return
                conn.close()
            if not worker:
                for idle in self._idle:
                    idle.close()
                self._idle.clear()


def _wants_password(error: psycopg.OperationalError) -> bool:
    text = str(error)
    return "no password supplied" in text or "password authentication failed" in text


def _keyring_password(key: str) -> str | None:
    from keyring.errors import KeyringError

    from npsdesk.mail.secrets import PasswordUnavailable, usable_backend

    try:
        secret = usable_backend().get_password(KEYRING_SERVICE, key)
    except (PasswordUnavailable, KeyringError):
        return None
    return str(secret) if secret else None
