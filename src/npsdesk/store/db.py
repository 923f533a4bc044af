"""SQLite connections: WAL, pragmas, and write transactions that take the lock up front.

A deferred transaction that reads and then writes fails at once with "database is locked"
when another writer got there first (the busy timeout does not apply to the upgrade), so
every write transaction here starts with BEGIN IMMEDIATE and waits its turn instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from npsdesk.errors import (
    StoreError,
    StoreFull,
    StoreLocked,
    StoreMissing,
    StoreUnreadable,
)
from npsdesk.store import turns
from npsdesk.store.connection import write_transaction

# One try at the write lock waits this long inside SQLite; `Database.write` tries again
# until its wait limit, so ctrl+c and the "waiting" line get a turn between tries.
BUSY_STEP_MS = 250
DEFAULT_WAIT_SECONDS = 300.0
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def to_db_time(moment: datetime) -> str:
    """An aware datetime as the store keeps it: UTC text that sorts as it compares."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store")
    # isoformat is ~10x cheaper than strftime, and imports call this for every row
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "seconds")


def db_time(text: str) -> datetime:
    # fromisoformat is ~4x cheaper than strptime; the desk reads one per listed row
    return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC)


def from_db_time(text: str | None) -> datetime | None:
    return None if text is None else db_time(text)


def db_date(text: str) -> date:
    return date.fromisoformat(text[:10])


def _waited(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


def translate_error(error: sqlite3.Error, path: Path, waited: float | None = None) -> StoreError:
    """Map a driver error to a message the analyst can act on."""
    message = str(error)
    if "locked" in message or "busy" in message:
        waited = BUSY_STEP_MS / 1000 if waited is None else waited
        return StoreLocked(f"store {path} is locked by another program (waited {_waited(waited)})")
    if "disk is full" in message or ("disk I/O error" in message and _no_space(path)):
        return StoreFull(path)
    if "not a database" in message or "malformed" in message:
        return StoreUnreadable(f"store {path} is not a readable npsdesk store ({message})")
    if "unable to open" in message:
        return StoreUnreadable(f"cannot open store {path} ({message})")
    return StoreError(f"store {path}: {message}")


def _no_space(path: Path) -> bool:
    """True when the store's disk has (almost) no free space left."""
    try:
        return shutil.disk_usage(path.parent).free < 1 << 20
    except OSError:
        return False


class Database:
    """One SQLite file. Connections open lazily, one per thread, with the pragmas set."""

    dialect = "sqlite"

    def __init__(
        self,
        path: Path | str,
        *,
        must_exist: bool = False,
        wait: float = DEFAULT_WAIT_SECONDS,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        """`wait`: how many seconds a write waits for another program's write to end;
        `on_wait(limit)` is told once per write that has to wait (the CLI says so)."""
        self.path = Path(path)
        self.label = str(self.path)
        self.wait = wait
        self.on_wait = on_wait
        self._stopped = threading.Event()
        self._local = threading.local()
        if must_exist and not self.path.exists():
            raise StoreMissing(
                f"no store at {self.path}: run 'npsdesk import FILE' or 'npsdesk demo' first"
            )

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    def _open(self) -> sqlite3.Connection:
        if not self.path.exists():  # a new store is readable by its owner only (its -wal too)
            with contextlib.suppress(FileExistsError):
                os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_STEP_MS / 1000,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE to write
                check_same_thread=True,
            )
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_STEP_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            raise translate_error(error, self.path) from error
        if mode != "wal":
            conn.close()
            raise StoreUnreadable(f"store {self.path} cannot use WAL mode (journal is {mode})")
        return conn

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction (see `connection.write_transaction`), begun IMMEDIATE: it
        waits its turn behind another program's write, up to `self.wait` seconds."""
        conn = self.connection()
        return write_transaction(
            conn,
            self._local,
            lambda: self._begin(conn),
            sqlite3.Error,
            lambda error: translate_error(error, self.path),
        )

    def _begin(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE, tried again while another program holds the write lock.

        Each try waits `BUSY_STEP_MS` inside SQLite; between tries ctrl+c stops the wait
        (nothing was begun, so nothing is changed)."""
        started = time.monotonic()
        try:
            if self._try_begin(conn, started):
                return
            with turns.waiting(self.path):  # a long run steps aside while this is held
                if self.on_wait is not None:
                    self.on_wait(self.wait)
                while not self._try_begin(conn, started):
                    time.sleep(0.01)  # a ctrl+c pressed during SQLite's wait is raised here
        except KeyboardInterrupt:
            if conn.in_transaction:  # it got in just as ctrl+c came: give the turn back
                conn.execute("ROLLBACK")
            raise KeyboardInterrupt(
                "stopped while waiting for the store: nothing was changed"
            ) from None

    def _try_begin(self, conn: sqlite3.Connection, started: float) -> bool:
        """One BEGIN IMMEDIATE (SQLite waits `BUSY_STEP_MS` in it): False while another
        program holds the write lock; past `self.wait` seconds of waiting, StoreLocked."""
        try:
            conn.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            waited = time.monotonic() - started
            if waited >= self.wait:
                raise translate_error(error, self.path, waited) from error
            if self._stopped.is_set():
                raise StoreLocked(
                    f"store {self.path}: stopped waiting for another program's write "
                    "(the program was closing); this change was not saved"
                ) from error
            return False

    def give_turn(self) -> float:
        """Between two transactions of a long run: let a waiting writer in first."""
        return turns.give_turn(self.path)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same snapshot."""
        conn = self.connection()
        if conn.in_transaction:  # inside a write: read what it has written so far
            yield conn
            return
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.Error as error:
            raise translate_error(error, self.path) from error
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")

    def stop_waiting(self) -> None:
        """Writes waiting for another program's give up (the desk is closing: its worker
        threads must end), each refused with a clear message."""
        self._stopped.set()

    def exposure(self) -> str | None:
        """A warning when others may read the store (group or world permission bits)."""
        try:
            mode = self.path.stat().st_mode & 0o777
        except OSError:
            return None
        if mode & 0o077:
            return (
                f"store {self.path} can be read by other users (mode {mode:04o}); "
                f"it holds customers' personal data: chmod 600 {self.path}"
            )
        return None

    def close(self) -> None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
