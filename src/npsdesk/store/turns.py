"""Taking turns at SQLite's write lock: a long run steps aside while someone waits.

SQLite's lock is not fair: a program that commits and begins again at once (an import, a
chunk after chunk) can win every time against one that polls for it. So a writer that has to
wait says so, holding a shared lock (flock) on `<store>.waiting` while it waits; a long run
calls `give_turn` between its transactions and, while anyone holds that lock, pauses until
they have begun (a bounded pause: a waiter that died cannot hold an import up for long). The
kernel lets go of a lock when its process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LONGEST_PAUSE = 2.0  # seconds a long run steps aside for one waiter at most
_POLL = 0.005


def waiting_path(store: Path) -> Path:
    return store.with_name(store.name + ".waiting")


def _open(store: Path) -> int | None:
    try:
        return os.open(waiting_path(store), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # a read-only folder: nobody writes there, nobody waits
        return None


@contextmanager
def waiting(store: Path) -> Iterator[None]:
    """Held while a write waits for the lock: long runs step aside until it is let go."""
    fd = _open(store)
    if fd is None:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_SH)  # shared: any number may wait together
        yield
    finally:
        os.close(fd)  # closing lets go of the lock


def give_turn(store: Path, longest: float = LONGEST_PAUSE) -> float:
    """Between two transactions of a long run: wait while another writer waits, up to
    `longest` seconds. Returns the seconds paused (0 when nobody waits: one flock call)."""
    fd = _open(store)
    if fd is None:
        return 0.0
    started = time.monotonic()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # somebody waits: let them in first
                if time.monotonic() - started >= longest:
                    break
                time.sleep(_POLL)
                continue
            except OSError:
                break
            fcntl.flock(fd, fcntl.LOCK_UN)
            break
    finally:
        os.close(fd)
    return time.monotonic() - started


def step_aside(db: object) -> None:
    """`give_turn` for a store of either kind: nothing to do on PostgreSQL, whose row locks
    let others' writes go on beside a long run."""
    turn = getattr(db, "give_turn", None)
    if turn is not None:
        turn()
