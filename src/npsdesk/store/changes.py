"""How an open desk learns that someone else changed the store.

SQLite: the file's data version, which moves when another connection commits (read on
each poll, one cheap pragma). PostgreSQL: the change notices the store's triggers send on
`npsdesk_changes` (migration 0008), heard by a listening connection in a thread; a poll
then costs no query at all. Either way the desk asks `changed()` every couple of seconds.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from npsdesk.store.connection import Store

CHANNEL = "npsdesk_changes"


class ChangeWatch(Protocol):
    def changed(self) -> bool:
        """True once for each batch of changes others made since the last call."""
        ...

    def close(self) -> None: ...


class FileVersionWatch:
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


class NoticeWatch:
    """LISTEN on a connection of its own; notices from the watching thread's own store
    connection are left out (the desk refreshes after its own changes already)."""

    def __init__(self, db: Any) -> None:
        self.own_pid = db.connection().pid
        self.conn = db.connect()
        self.conn.execute(f"LISTEN {CHANNEL}")
        self._flag = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="npsdesk-listen", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        try:
            while not self._stop.is_set():
                for notice in self.conn.notifies(timeout=0.5):
                    if notice.pid != self.own_pid:
                        self._flag.set()
        except Exception:  # the server went away: the desk's own reads will say so
            self._flag.set()

    def changed(self) -> bool:
        if not self._flag.is_set():
            return False
        self._flag.clear()
        return True

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.conn.close()


def watch(db: Store) -> ChangeWatch:
    if db.dialect == "postgresql":
        return NoticeWatch(db)
    return FileVersionWatch(db)
