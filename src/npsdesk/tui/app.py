"""The desk application: wires the services into the screens and runs them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from npsdesk.bootstrap import Services
from npsdesk.tui.bindings import DESK_KEYS, known_ids
from npsdesk.tui.context import DeskContext
from npsdesk.tui.screens.desk import DeskScreen

# moving about is for keys, not for the palette
NOT_IN_PALETTE = frozenset(
    {
        "desk.down",
        "desk.up",
        "desk.next_pane",
        "desk.previous_pane",
        "dashboard.down",
        "dashboard.up",
        "dashboard.page_down",
        "dashboard.page_up",
        "dashboard.top",
        "dashboard.bottom",
    }
)


class DeskCrash(Exception):
    """The desk stopped on an error nothing handled; str() is one line for the analyst."""


class DeskApp(App[None]):
    CSS_PATH = "desk.tcss"
    TITLE = "npsdesk"

    def __init__(
        self, services: Services, warnings: Iterable[str] = (), *, debug: bool = False
    ) -> None:
        super().__init__()
        self.ctx = DeskContext.of(services)
        self.warnings = list(warnings)
        self.show_tracebacks = debug
        self.crash: Exception | None = None  # the first error nothing handled
        self.set_keymap(dict(services.settings.keymap))  # an id that exists nowhere matches nothing

    def on_mount(self) -> None:
        for warning in self.warnings:  # said before the screen took over the terminal
            self.notify(warning, severity="warning", timeout=12, markup=False)
        if self.ctx.services.settings.keymap:
            # knowing every id loads every screen's module (~0.1 s): after the first frame
            self.call_after_refresh(self._check_keymap)

    def _check_keymap(self) -> None:
        unknown = sorted(set(self.ctx.services.settings.keymap) - known_ids())
        if unknown:
            warning = self.ctx.t("desk.unknown_keys", ids=", ".join(unknown))
            self.notify(warning, severity="warning", timeout=12, markup=False)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Quit: a save still waiting for the store gives up (said on the screen while it
        lasts) instead of keeping the program alive until the store frees."""
        self._stop_waiting()
        super().exit(*args, **kwargs)

    def _stop_waiting(self) -> None:
        self.ctx.reads.stop_waiting()

    def _handle_exception(self, error: Exception) -> None:
        """Textual's one hook for an unhandled error (it ends the app with return_code 1):
        the error is kept for `run_desk` to name."""
        if self.crash is None:
            self.crash = error
        self._stop_waiting()  # the worker threads must end for the program to
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Textual prints pages of traceback with locals; `run_desk` says one line instead
        (and keeps the traceback in a file) unless the analyst asked for --debug."""
        if self.show_tracebacks:
            super()._fatal_error()
            return
        self.bell()
        self._close_messages_no_wait()

    def get_default_screen(self) -> Screen[None]:
        return DeskScreen(self.ctx)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette (ctrl+p) offers the screen's actions (the desk's, the dashboard's)
        next to Textual's own."""
        yield from super().get_system_commands(screen)
        keys = DESK_KEYS if isinstance(screen, DeskScreen) else getattr(screen, "PALETTE_KEYS", ())
        for key in keys:
            if key.id in NOT_IN_PALETTE:
                continue
            description = self.ctx.t(f"key.{key.id}")
            shown = self.get_key_display_for(key.keys)
            action = key.action

            async def run(action: str = action) -> None:
                await screen.run_action(action)

            yield SystemCommand(description, shown, run)

    def get_key_display_for(self, keys: str) -> str:
        return ", ".join(self.get_key_display(Binding(k, "")) for k in keys.split(","))


def run_desk(services: Services, warnings: Iterable[str] = (), *, debug: bool = False) -> None:
    """Open the desk on the services' store until the analyst quits. An error that stopped
    it raises `DeskCrash` (the command exits non-zero)."""
    app = DeskApp(services, warnings, debug=debug)
    app.run()
    if app.return_code:
        raise DeskCrash(crash_message(app.crash))


CRASH_LOG = "desk-crash.log"


def crash_message(error: BaseException | None) -> str:
    """One line for the terminal; a store's own refusal is told as it is, anything else is
    named with where its traceback was written."""
    from npsdesk.domain.models import DomainError
    from npsdesk.errors import StoreError

    if error is None:
        return "the desk stopped on an error"
    if isinstance(error, StoreError | DomainError):
        return f"the desk stopped: {error}"
    said = f"{type(error).__name__}: {error}".splitlines()[0]
    log = write_crash_log(error)
    where = f"; the details are in {log}" if log is not None else ""
    return f"the desk stopped on an unexpected error ({said}){where}"


def write_crash_log(error: BaseException) -> Path | None:
    import traceback
    from datetime import UTC, datetime

    from npsdesk.config.locations import data_dir

    path = data_dir() / CRASH_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
            log.writelines(traceback.format_exception(error))
    except OSError:
        return None
    return path
