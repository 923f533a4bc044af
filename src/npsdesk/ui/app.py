"""The desk application: wires the services into the screens and runs them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from npsdesk.bootstrap import Services
from npsdesk.ui.context import DeskContext
from npsdesk.ui.desk import DeskScreen
from npsdesk.ui.keys import DESK_KEYS, known_ids

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


class DeskApp(App[None]):
    CSS_PATH = "desk.tcss"
    TITLE = "npsdesk"

    def __init__(self, services: Services, warnings: Iterable[str] = ()) -> None:
        super().__init__()
        self.ctx = DeskContext.of(services)
        self.warnings = list(warnings)
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
        stop = getattr(self.ctx.services.db, "stop_waiting", None)
        if stop is not None:
            stop()
        super().exit(*args, **kwargs)

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


def run_desk(services: Services, warnings: Iterable[str] = ()) -> None:
    """Open the desk on the services' store until the analyst quits."""
    DeskApp(services, warnings).run()
