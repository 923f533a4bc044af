"""`f` narrows the list (and the counts, and `*`) in the store; the header shows it."""

from __future__ import annotations

from tests.ui.conftest import SMALL, WIDE, desk, seen, settle
from textual.widgets import Checkbox, Input, Select

from npsdesk.bootstrap import Services
from npsdesk.store import desk_queries as dq
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.filter import FilterForm
from npsdesk.tui.screens.desk import DeskScreen


def ids(services: Services, sql: str) -> set[int]:
    with services.db.read() as conn:
        return {int(row[0]) for row in conn.execute(sql)}


async def test_filter_narrows_the_tab_counts_and_select_all_then_escape_clears(
    app: DeskApp, demo: Services
) -> None:
    promoters = ids(
        demo,
        "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
        "WHERE NOT o.archived AND o.status = 'untreated' AND o.nps_class = 'promoter' "
        "AND r.vertical = 'Food'",
    )
    assert 0 < len(promoters) < 246
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, FilterForm)
        form.query_one("#filter-class", Select).value = "promoter"
        form.query_one("#filter-vertical", Select).value = "Food"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = desk(pilot)
        assert pilot.app.screen is screen
        shown = seen(pilot)
        assert "filter: promoter · Food" in shown
        assert f"1 Untreated {len(promoters)} " in shown
        assert screen.opinions.cache.known_rows == len(promoters)
        current = screen.opinions.current()
        assert current is not None
        assert current.id in promoters
        assert current.nps_class == "promoter"
        # select-all takes every match of tab and filter in the store
        await pilot.press("asterisk")
        await pilot.pause()
        assert screen.opinions.selected == promoters
        await pilot.press("escape")  # clears the selection first
        await pilot.pause()
        assert not screen.opinions.selected
        # the filter stays over the tabs
        await pilot.press("3")
        await settle(pilot)
        assert "filter: promoter · Food" in seen(pilot)
        row = screen.opinions.current()
        assert row is not None
        assert row.nps_class == "promoter"
        await pilot.press("escape")  # then the filter
        await settle(pilot)
        assert "filter:" not in seen(pilot)
        assert screen.filter.narrow == dq.Narrow()
        await pilot.press("1")
        await settle(pilot)
        assert "1 Untreated 246" in seen(pilot)


async def test_filter_overdue_and_period_and_an_empty_form_clears(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        form = pilot.app.screen
        form.query_one("#filter-overdue", Checkbox).value = True
        form.query_one("#filter-from", Input).value = "2026-11-01"
        form.query_one("#filter-to", Input).value = "2026-10-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "The period starts after it ends." in seen(pilot)
        form.query_one("#filter-to", Input).value = "2026-11-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = desk(pilot)
        narrow = screen.filter.narrow
        assert narrow.overdue_on == demo.lookup.today()
        with demo.db.read() as conn:
            expected = set(dq.all_ids(conn, screen.filter))
        assert expected
        for opinion_id in expected:
            opinion = demo.lookup.case_file(opinion_id).opinion
            assert opinion.deadline < demo.lookup.today()
            assert opinion.answered_at.astimezone(demo.settings.tz).month == 11
        assert "overdue · " in seen(pilot)
        # the form opens with the filter in force; "clear" empties it
        await pilot.press("f")
        await pilot.pause()
        assert pilot.app.screen.query_one("#filter-overdue", Checkbox).value is True
        await pilot.click("#filter-clear")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeskScreen)
        assert not screen.filter.narrow
        assert "1 Untreated 246" in seen(pilot)


async def test_filter_form_fits_a_small_terminal(app: DeskApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        shown = seen(pilot)
        for label in ("Class", "Vertical", "Status", "Responsible", "Category", "Period"):
            assert label in shown
        assert "Apply" in shown
