"""How an open desk learns that someone else changed the store.

SQLite: the file's data version, which moves when another connection commits (read on
each poll, one cheap pragma). PostgreSQL: the change notices the store's triggers send on
`npsdesk_changes` (migration 0008), heard by a listening connection in a thread that logs
in again when the connection drops (`offline` meanwhile); a poll then costs no query at all.
Either way the desk asks `offline` and `changed()` every couple of seconds.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Protocol

from npsdesk.store.connection import Store

CHANNEL = "npsdesk_changes"


class ChangeWatch(Protocol):
    def changed(self) -> bool:
        """True once for each batch of changes others made since the last call."""
        ...

    @property
    def offline(self) -> bool:
        """The store cannot be reached now (the watch keeps trying)."""
        ...

    def close(self) -> None: ...


class FileVersionWatch:
    offline = False  # a file is always there (or the desk's own reads say it is not)

    def __init__(self, db: Store) -> None:
        self.db = db
        self.seen = self._version()

    def _version(self) -> int:
        return int(self.db.connection().execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        version = self._version()
        if version == self.seen:
            return False
        self.seen = version
        return True

    def close(self) -> None:
        pass


BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds between tries to reach the server again


class NoticeWatch:
    """LISTEN on a connection of its own, in a thread; notices from the watching thread's
    own store connection are left out (the desk refreshes after its own changes already).

    When the connection drops (a server restart, the network) the watch goes `offline` and
    logs in again, waiting longer after each failed try (`BACKOFF`). Back online, it reports
    a change once: what others did meanwhile sent notices nobody heard, so the desk reads
    everything again.
    """

    def __init__(self, db: Any, backoff: tuple[float, ...] | None = None) -> None:
        self.db = db
        self.backoff = backoff or BACKOFF
        self.conn: Any = self._listen_again()
        self._flag = threading.Event()
        self._stop = threading.Event()
        self._offline = threading.Event()
        self._thread = threading.Thread(target=self._run, name="npsdesk-listen", daemon=True)
        self._thread.start()

    @property
    def offline(self) -> bool:
        return self._offline.is_set()

    def _listen_again(self) -> Any:
        conn = self.db.connect()
        try:
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception:
            conn.close()
            raise
        return conn

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception:  # whatever broke it, the cure is a new login
                if self._stop.is_set():
                    return
                self._offline.set()
                self._close_conn()
                self._reconnect()

    def _listen(self) -> None:
        while not self._stop.is_set():
            for notice in self.conn.notifies(timeout=0.5):
                if notice.pid != self._own_pid():
                    self._flag.set()

    def _own_pid(self) -> int | None:
        own = getattr(self.db, "own_pid", None)
        return own() if own is not None else None

    def _reconnect(self) -> None:
        tries = 0
        while not self._stop.wait(self.backoff[min(tries, len(self.backoff) - 1)]):
            tries += 1
            try:
                self.conn = self._listen_again()
            except Exception:  # still down: wait longer, try again
                continue
            self._offline.clear()
            self._flag.set()  # catch up on what changed while nobody listened
            return

    def _close_conn(self) -> None:
        with contextlib.suppress(Exception):  # a broken connection may fail to close
            self.conn.close()

    def changed(self) -> bool:
        if not self._flag.is_set():
            return False
        self._flag.clear()
        return True

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._close_conn()


def watch(db: Store) -> ChangeWatch:
    if db.dialect == "postgresql":
        return NoticeWatch(db)
    return FileVersionWatch(db)
