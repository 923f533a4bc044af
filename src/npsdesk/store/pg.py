"""The team store: one PostgreSQL database, the same tables and SQL as the SQLite file.

Its connections (`pg_connection`) behave as the SQLite ones do for the code above them:
rows by position or by name, `:name` parameters, timestamps and dates read back as the same
text the SQLite store keeps, transactions opened explicitly (`write()` and `read()`). The
login is the analyst: the store never stores a password, it takes one from libpq's own
sources (PGPASSWORD, the PGPASSFILE or ~/.pgpass) or else from the system keyring.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg

from npsdesk.errors import StoreError, StoreUnreadable
from npsdesk.store.connection import write_transaction
from npsdesk.store.pg_connection import PgConnection, configure, lost, row_factory, translate_error

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
            row_factory=row_factory,
            application_name="npsdesk",
            options=options,
            **extra,
        )
        configure(raw)
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
