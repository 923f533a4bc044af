"""Writes off the screen's thread: every change the desk makes to the store runs here.

A write may wait its turn for the store (an import holds SQLite's write lock; the team
store can be slow or gone), and waiting on the UI thread would freeze the whole screen.
`Writes.write` runs the service call in a worker thread, which opens its own store
connection (one per thread) and closes it when done (`end_thread`), as the counting thread
does; the outcome comes back on the UI thread. Whoever started the write says what it
waits for: "saving…" at once, and after `WAIT_NOTICE` seconds without an answer that the
store is busy.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from textual.app import App
from textual.timer import Timer

from npsdesk.config.settings import ConfigError
from npsdesk.domain.models import DomainError
from npsdesk.errors import StoreError
from npsdesk.mail.message import BadHeader
from npsdesk.mail.templates import TemplateError

T = TypeVar("T")

# What an action may refuse with; anything else is a bug and should surface as one.
REFUSALS = (DomainError, StoreError, ConfigError, TemplateError, BadHeader)

WAIT_NOTICE = 0.5  # seconds without an answer before the store is said to be busy


@dataclass
class Writes:
    """The writes under way, by what they change (a form, `("follow", 34)`): a second
    ctrl+s on a form, or a second key on a case, while the first still waits does not
    save twice. `end_thread` closes the worker thread's store connection."""

    end_thread: Callable[[], None]
    running: set[object] = field(default_factory=set)

    def busy(self, key: object) -> bool:
        return key in self.running

    def write(
        self,
        app: App[Any],
        key: object,
        call: Callable[[], T],
        done: Callable[[T], object],
        refused: Callable[[Exception], object],
        waiting: Callable[[], object] | None = None,
    ) -> bool:
        """Run `call` in a worker thread; then `done(result)` or `refused(error)` on the UI
        thread, and `waiting()` once if no answer came within `WAIT_NOTICE`. False, and
        nothing run, while a write of the same `key` is under way."""
        if key in self.running:
            return False
        self.running.add(key)
        timer: Timer | None = None
        if waiting is not None:
            timer = app.set_timer(WAIT_NOTICE, waiting)

        def finish(outcome: tuple[T] | None, error: Exception | None) -> None:
            self.running.discard(key)
            if timer is not None:
                timer.stop()
            if outcome is not None:
                done(outcome[0])
            elif isinstance(error, REFUSALS):
                refused(error)
            elif error is not None:  # a bug: it surfaces on the screen's thread, as it did there
                app.call_next(_reraise, error)

        def run() -> None:
            outcome: tuple[T] | None = None
            error: Exception | None = None
            try:
                outcome = (call(),)
            except Exception as failure:
                error = failure
            finally:
                self.end_thread()  # this thread's connection: the worker threads are reused
            with contextlib.suppress(RuntimeError):  # the desk was closed meanwhile
                app.call_from_thread(finish, outcome, error)

        app.run_worker(run, thread=True, group="writes", exit_on_error=False)
        return True


def _reraise(error: Exception) -> None:
    raise error
