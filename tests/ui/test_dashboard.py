"""The dashboard: the same figures as `npsdesk report`, for the period chosen."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import make_settings
from tests.dashboard_data import build
from tests.ui.conftest import SMALL, WIDE, notes, seen, settle
from textual.pilot import Pilot
from textual.widgets import Input

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.periods import Period
from npsdesk.services.dashboard import DashboardService
from npsdesk.tui.app import DeskApp
from npsdesk.tui.screens.dashboard import DashboardScreen, preset
from npsdesk.tui.screens.desk import DeskScreen


@pytest.fixture
def hand(store_path: Path, clock: FixedClock) -> Iterator[Services]:
    """The hand-counted store of tests/dashboard_data.py."""
    wired = bootstrap(make_settings(store_path), clock=clock)
    build(wired)
    yield wired
    wired.close()


async def open_dashboard(pilot: Pilot[None]) -> DashboardScreen:
    await settle(pilot)
    await pilot.press("D")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


async def press(pilot: Pilot[None], *keys: str) -> str:
    """Press the keys, let the figures load, and return what the screen shows."""
    await pilot.press(*keys)
    await settle(pilot)
    return seen(pilot)


def line(screen: str, start: str) -> str:
    """The one line of the screen with `start`, from there on (at 160 columns the trend and
    the team sit to the right of the summary and the verticals)."""
    found = [text[text.index(start) :].rstrip() for text in screen.splitlines() if start in text]
    assert len(found) == 1, (start, screen)
    return found[0]


def trend_line(screen: str, label: str) -> str:
    """The trend's row for a week or month (a bar's axis `│` tells it from other lines)."""
    return line("\n".join(text for text in screen.splitlines() if "│" in text), label)


def period_shown(dashboard: DashboardScreen) -> tuple[str, str]:
    return (
        dashboard.query_one("#period-from", Input).value,
        dashboard.query_one("#period-to", Input).value,
    )


def test_presets() -> None:
    today = date(2026, 11, 23)
    assert preset("month", today) == Period(date(2026, 11, 1), today)
    assert preset("30days", today) == Period(date(2026, 10, 25), today)
    assert preset("quarter", today) == Period(date(2026, 10, 1), today)
    assert preset("all", today) == Period()


async def test_the_period_shortcuts_and_typed_dates(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        dashboard = await open_dashboard(pilot)
        thirty = demo.lookup.report(Period(date(2026, 10, 25), date(2026, 11, 23)))
        assert period_shown(dashboard) == ("2026-10-25", "2026-11-23")
        assert f"Answers {thirty.counts.total}" in seen(pilot)

        every = demo.lookup.report(Period())
        screen = await press(pilot, "4")
        assert period_shown(dashboard) == ("", "")
        assert "Period: all answers" in screen
        assert f"Answers {every.counts.total}" in screen
        assert every.nps is not None
        assert f"NPS {every.nps:+.1f}" in screen
        assert line(screen, "NPS per week")
        assert trend_line(screen, "2026-08-03")  # the week of the first answer

        month = demo.lookup.report(Period(date(2026, 11, 1), date(2026, 11, 23)))
        screen = await press(pilot, "1")
        assert period_shown(dashboard) == ("2026-11-01", "2026-11-23")
        assert f"Answers {month.counts.total}" in screen
        assert "2026-11-02" in screen
        assert "2026-10-26" not in screen

        quarter = demo.lookup.report(Period(date(2026, 10, 1), date(2026, 11, 23)))
        screen = await press(pilot, "3")
        assert period_shown(dashboard) == ("2026-10-01", "2026-11-23")
        assert f"Answers {quarter.counts.total}" in screen

        # a period typed by hand
        await pilot.press("f")
        await pilot.pause()
        assert dashboard.focused is dashboard.query_one("#period-from", Input)
        dashboard.query_one("#period-from", Input).value = "2026-11-16"
        await pilot.press("tab")
        dashboard.query_one("#period-to", Input).value = "20/11/2026"
        screen = await press(pilot, "enter")
        week = demo.lookup.report(Period(date(2026, 11, 16), date(2026, 11, 20)))
        assert f"Answers {week.counts.total}" in screen
        assert dashboard.focused is None
        # a backwards period is refused and the figures stay
        await pilot.press("f")
        dashboard.query_one("#period-from", Input).value = "2026-11-30"
        await press(pilot, "enter")
        assert any("ends" in n and "before it starts" in n for n in notes(pilot))
        assert f"Answers {week.counts.total}" in seen(pilot)

        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeskScreen)


async def test_the_latest_period_asked_for_wins(app: DeskApp, demo: Services) -> None:
    every = demo.lookup.report(Period())
    async with app.run_test(size=WIDE) as pilot:
        await open_dashboard(pilot)
        screen = await press(pilot, "1", "3", "4")  # without waiting for the figures
        assert "Period: all answers" in screen
        assert f"Answers {every.counts.total}" in screen
        assert "computing" not in screen


async def test_closing_while_the_figures_load(
    app: DeskApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures arrive after the analyst went back to the list: they are dropped."""
    release, done = threading.Event(), threading.Event()
    real = DashboardService.figures

    def held(self: DashboardService, *args: Any, **kwargs: Any) -> Any:
        release.wait(10)  # a big store: the figures come when the test says so
        try:
            return real(self, *args, **kwargs)
        finally:
            done.set()

    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(DashboardService, "figures", held)
        await pilot.press("D")
        await pilot.pause()
        assert "computing" in seen(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeskScreen)
        release.set()
        await asyncio.to_thread(done.wait, 10)
        await pilot.pause(0.1)  # the worker hands its figures to the screen that is gone
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeskScreen)
        assert pilot.app.return_code is None  # nothing raised on the way back
        assert not [n for n in notes(pilot) if "dashboard" in n.lower()]


async def test_what_the_analyst_sees(hand: Services) -> None:
    """Trend, verticals and team of the hand-counted store, last 30 days, 160 columns."""
    async with DeskApp(hand).run_test(size=WIDE) as pilot:
        await open_dashboard(pilot)
        screen = seen(pilot)
        assert "NPS +0.0" in screen
        assert "Answers 6 · promoters 2 (33.3%)" in screen
        # side by side: the summary and the trend start on the same line
        assert "NPS per week  t shows per month" in line(screen, "Period: 2026-10-25")
        assert trend_line(screen, "2026-10-25").endswith("no answers")  # a one-day first week
        assert trend_line(screen, "2026-11-09").split()[-2:] == ["-50.0", "2"]
        assert trend_line(screen, "2026-11-02").split()[-2:] == ["+100.0", "1"]
        assert line(screen, "Farma").split()[:6] == ["Farma", "3", "2", "0", "1", "+33.3"]
        assert line(screen, "(no vertical)").split()[2:7] == ["1", "0", "0", "1", "-100.0"]
        ana = line(screen, "ana ").split()
        assert ana[:9] == ["ana", "0", "0", "2", "100.0%", "3h", "00m", "6d", "0h"]
        assert ana[-2:] == ["··██···", "2"]  # H on Thursday, B on Friday
        assert line(screen, "bruno").split()[-2:] == ["·····█·", "1"]
        assert line(screen, "nobody").split()[:6] == ["nobody", "2", "0", "0", "0.0%", "-"]
        assert line(screen, "Team ").split()[:5] == ["Team", "2", "1", "3", "50.0%"]
        days = " ".join(line(screen, "Tue 17").split())
        assert days == "Tue 17 Wed 18 Thu 19 Fri 20 Sat 21 Sun 22 Mon 23"


async def test_week_and_month_trend_toggle(hand: Services) -> None:
    async with DeskApp(hand).run_test(size=WIDE) as pilot:
        await open_dashboard(pilot)
        screen = await press(pilot, "t")
        assert "NPS per month  t shows per week" in screen
        assert trend_line(screen, "Oct 2026").split()[-2:] == ["+0.0", "1"]
        assert trend_line(screen, "Nov 2026").split()[-2:] == ["+0.0", "5"]
        assert "2026-11-09" not in screen
        assert "Answers 6" in screen  # the rest stays
        screen = await press(pilot, "4")  # a new period keeps the month grain
        assert trend_line(screen, "Sep 2026").split()[-2:] == ["-100.0", "1"]
        screen = await press(pilot, "t")
        assert "NPS per week" in screen
        # weeks from Monday, but the first one starts with the first answer (H, Tuesday)
        assert trend_line(screen, "2026-09-01").split()[-2:] == ["-100.0", "1"]


async def test_small_terminal_scrolls_one_column(hand: Services) -> None:
    async with DeskApp(hand).run_test(size=SMALL) as pilot:
        await open_dashboard(pilot)
        screen = seen(pilot)
        assert "NPS per week" not in line(screen, "Period: 2026-10-25")
        assert "Closed per day" not in screen
        screen = await press(pilot, "end")
        assert "Closed per day, last 7 days (team)" in screen
        assert line(screen, "Team ").split()[:5] == ["Team", "2", "1", "3", "50.0%"]
        assert "Responsible" in screen  # the column fits 80 columns, not folded
        assert "Period: 2026-10-25" not in screen
        screen = await press(pilot, "home")
        assert "Period: 2026-10-25" in screen
        screen = await press(pilot, "j", "j", "pagedown")
        assert "Period: 2026-10-25" not in screen


async def test_the_dashboard_in_portuguese(pt_services: Services) -> None:
    async with DeskApp(pt_services).run_test(size=WIDE) as pilot:
        await open_dashboard(pilot)
        screen = seen(pilot)
        assert "Painel" in screen
        assert "NPS por semana  t mostra por mês" in screen
        assert "Por vertical" in screen
        assert "Equipe: casos do período por responsável" in screen
        assert "ninguém" in screen
        assert "ter 17" in screen
        screen = await press(pilot, "t")
        assert trend_line(screen, "nov 2026")


async def test_help_lists_the_dashboard_keys(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        dashboard = await open_dashboard(pilot)
        screen = await press(pilot, "question_mark")
        assert "dashboard.trend" in screen
        assert "NPS trend per week (Monday first) or per month" in screen
        assert "dashboard.month" in screen
        assert "desk.archive" not in screen
        await press(pilot, "escape")
        assert pilot.app.screen is dashboard


async def test_a_remapped_dashboard_key(demo: Services) -> None:
    demo.settings = replace(demo.settings, keymap={"dashboard.trend": "w"})
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await open_dashboard(pilot)
        assert "NPS per week" in await press(pilot, "t")
        assert "NPS per month" in await press(pilot, "w")


async def test_a_store_that_cannot_be_read_is_said_clearly(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await open_dashboard(pilot)
        before = seen(pilot)
        junk = demo.db.path.with_name("junk")
        junk.write_bytes(b"this is not a database" * 100)
        junk.replace(demo.db.path)  # the workers open the path anew
        screen = await press(pilot, "f5")
        failed = [n for n in notes(pilot) if n.startswith("The dashboard was not updated")]
        assert failed
        assert "not a readable npsdesk store" in failed[0]
        assert "computing" not in screen
        assert line(before, "Period:") == line(screen, "Period:")  # the last figures stay
