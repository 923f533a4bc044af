"""The main screen and the dashboard as pictures (fixed clock and data; no cursor blinks)."""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import SMALL, WIDE, settle
from textual.pilot import Pilot

from npsdesk.bootstrap import Services
from npsdesk.tui.app import DeskApp


async def _ready(pilot: Pilot[None]) -> None:
    await settle(pilot)


async def _dashboard(pilot: Pilot[None]) -> None:
    """Every answer of the demo: summary and verticals beside the weekly trend and the team."""
    await settle(pilot)
    await pilot.press("D")
    await settle(pilot)  # the figures load in a worker
    await pilot.press("4")
    await settle(pilot)


async def _dashboard_months(pilot: Pilot[None]) -> None:
    """At 80 columns one column scrolls: a page down shows the month trend and the head of
    the team's table."""
    await _dashboard(pilot)
    await pilot.press("t")
    await settle(pilot)
    await pilot.press("pagedown")
    await settle(pilot)


def test_main_screen_wide(demo: Services, snap_compare: Any) -> None:
    assert snap_compare(DeskApp(demo), terminal_size=WIDE, run_before=_ready)


def test_main_screen_small(demo: Services, snap_compare: Any) -> None:
    assert snap_compare(DeskApp(demo), terminal_size=SMALL, run_before=_ready)


def test_dashboard(demo: Services, snap_compare: Any) -> None:
    assert snap_compare(DeskApp(demo), terminal_size=WIDE, run_before=_dashboard)


def test_dashboard_small(demo: Services, snap_compare: Any) -> None:
    assert snap_compare(DeskApp(demo), terminal_size=SMALL, run_before=_dashboard_months)
