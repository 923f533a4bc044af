"""One import at a time per SQLite store, and a way to tell a live import from a dead one.

The lock is the operating system's (flock) on `<store>.import-lock` beside the store: the
kernel lets go when the importing process ends, however it ends, so an unfinished batch
found while the lock is free was left by an import that was killed.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from npsdesk.errors import StoreLocked


def lock_path(store: Path) -> Path:
    return store.with_name(store.name + ".import-lock")


def _open(store: Path) -> int:
    return os.open(lock_path(store), os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def holding(
    store: Path, *, wait: float, on_wait: Callable[[float], None] | None = None
) -> Iterator[None]:
    """Hold the store's import lock, waiting up to `wait` seconds for another import."""
    fd = _open(store)
    try:
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - started >= wait:
                    raise StoreLocked(
                        f"store {store}: another import is under way (waited {wait / 60:g} min)"
                    ) from None
                if not told and on_wait is not None:
                    told = True
                    on_wait(wait)
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def trying(store: Path) -> Iterator[bool]:
    """Hold the import lock if it is free at once: True while held, False if an import runs."""
    try:
        fd = _open(store)
    except OSError:  # a read-only folder: nobody can import there either
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
