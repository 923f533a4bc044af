"""Pilot helpers: the desk on a copy of the demo store, with the tests' fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from tests.conftest import make_settings
from tests.integration.conftest import Server, free_port
from textual.pilot import Pilot
from textual.widgets import Input

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.tui.app import DeskApp
from npsdesk.tui.screens import desk_frame as desk_core
from npsdesk.tui.screens.desk import DeskScreen

WIDE = (160, 50)
SMALL = (80, 24)


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server(port=free_port())
    server.start()
    yield server
    server.stop()


def mail_through(services: Services, smtp: Server) -> None:
    """The demo store sends over the loopback server (it is no longer a demo store)."""
    with services.db.write() as conn:
        conn.execute("DELETE FROM store_setting WHERE key = 'demo'")
    services.settings = replace(
        services.settings,
        mail_host="127.0.0.1",
        mail_port=smtp.port,
        mail_security="none",
        mail_from="sucesso@durasoft.com.br",
        mail_timeout=3,
    )


@pytest.fixture(autouse=True)
def no_follow_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """The case follows the cursor at once (the desk waits for the cursor to rest)."""
    monkeypatch.setattr(desk_core, "FOLLOW_DELAY", 0.001)


@pytest.fixture
def app(demo: Services) -> DeskApp:
    return DeskApp(demo)


@pytest.fixture
def pt_services(demo_store: Path, clock: FixedClock) -> Iterator[Services]:
    wired = bootstrap(make_settings(demo_store, language="pt"), clock=clock)
    yield wired
    wired.close()


async def settle(pilot: Pilot[None], delay: float | None = None) -> None:
    """Let the cursor's case load, the workers finish and the screen catch up."""
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def desk(pilot: Pilot[None]) -> DeskScreen:
    for screen in pilot.app.screen_stack:
        if isinstance(screen, DeskScreen):
            return screen
    raise AssertionError("no desk screen")


def seen(pilot: Pilot[None]) -> str:
    """What the terminal shows now, as text."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def notes(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def search(pilot: Pilot[None], text: str) -> None:
    """`/`, the words (set at once: typing them key by key only slows the tests), enter."""
    await pilot.press("slash")
    await pilot.pause()
    pilot.app.screen.query_one("#search", Input).value = text
    await pilot.press("enter")
    await settle(pilot)
