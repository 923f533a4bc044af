"""The dashboard: the same figures as `npsdesk report`, for the period chosen."""

from __future__ import annotations

from datetime import date

from tests.ui.conftest import WIDE, seen, settle
from textual.widgets import Input

from npsdesk.bootstrap import Services
from npsdesk.domain.periods import Period
from npsdesk.ui.app import DeskApp
from npsdesk.ui.dashboard import DashboardScreen, preset
from npsdesk.ui.desk import DeskScreen


def test_presets() -> None:
    today = date(2026, 11, 23)
    assert preset("month", today) == Period(date(2026, 11, 1), today)
    assert preset("30days", today) == Period(date(2026, 10, 25), today)
    assert preset("quarter", today) == Period(date(2026, 10, 1), today)
    assert preset("all", today) == Period()


async def test_dashboard_shows_the_report_for_the_period(app: DeskApp, demo: Services) -> None:
    every = demo.lookup.report(Period())
    month = demo.lookup.report(Period(date(2026, 11, 1), date(2026, 11, 23)))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DashboardScreen)
        await pilot.press("4")
        await pilot.pause()
        screen = seen(pilot)
        assert f"Answers {every.counts.total}" in screen
        assert every.nps is not None
        assert f"NPS {every.nps:+.1f}" in screen
        await pilot.press("1")
        await pilot.pause()
        screen = seen(pilot)
        assert "2026-11-01" in screen
        assert f"Answers {month.counts.total}" in screen
        # a period typed by hand
        await pilot.press("f")
        await pilot.pause()
        dashboard = pilot.app.screen
        assert dashboard.focused is dashboard.query_one("#period-from", Input)
        dashboard.query_one("#period-from", Input).value = "2026-11-16"
        await pilot.press("tab")
        dashboard.query_one("#period-to", Input).value = "2026-11-20"
        await pilot.press("enter")
        await pilot.pause()
        week = demo.lookup.report(Period(date(2026, 11, 16), date(2026, 11, 20)))
        assert f"Answers {week.counts.total}" in seen(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DeskScreen)
