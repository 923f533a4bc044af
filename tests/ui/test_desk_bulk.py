"""Archiving and bulk changes: select all matches in the store, confirm, undo."""

from __future__ import annotations

from tests.ui.conftest import WIDE, desk, notes, search, seen, settle

from npsdesk.bootstrap import Services
from npsdesk.store import desk_queries as dq
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.choices import ConfirmForm


def archived(services: Services) -> set[int]:
    with services.db.read() as conn:
        return {row[0] for row in conn.execute("SELECT id FROM opinion WHERE archived")}


async def test_archive_one_then_undo(app: DeskApp, demo: Services) -> None:
    before = archived(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert archived(demo) == before | {34}
        assert "1 archived. u undoes." in notes(pilot)
        assert "4 Archived 60" in seen(pilot)
        screen = desk(pilot)
        assert screen.case is not None
        assert screen.case.opinion.id == 55  # the next case
        history = demo.lookup.case_file(34).history
        assert (history[-1].kind, history[-1].actor) == ("archived", "tester")
        assert demo.lookup.case_file(34).opinion.status == "untreated"  # status untouched
        await pilot.press("u")
        await settle(pilot)
        assert archived(demo) == before
        assert demo.lookup.case_file(34).history[-1].kind == "unarchived"
        assert "4 Archived 59" in seen(pilot)
        current = screen.opinions.current()
        assert current is not None
        assert current.id == 34


async def test_select_all_matches_in_the_store_then_archive_and_undo(
    app: DeskApp, demo: Services
) -> None:
    before = archived(demo)
    with demo.db.read() as conn:
        untreated = set(dq.all_ids(conn, dq.ListFilter("untreated")))
    assert len(untreated) == 246  # more than the pages the list has read
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        assert screen.opinions.cache.known_rows == 246
        assert screen.opinions.cache.reads == 1  # one page of 50 read so far
        await pilot.press("asterisk")
        await pilot.pause()
        assert screen.opinions.selected == untreated
        assert "246 selected" in seen(pilot)
        assert "●" in seen(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmForm)
        assert "Archive 246 opinions?" in seen(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert archived(demo) == before | untreated
        assert "246 archived. u undoes." in notes(pilot)
        assert "1 Untreated 0" in seen(pilot)
        assert "4 Archived 305" in seen(pilot)
        assert "selected" not in seen(pilot).split("\n")[2]
        await pilot.press("u")
        await settle(pilot)
        assert archived(demo) == before
        assert "1 Untreated 246" in seen(pilot)


async def test_escape_clears_the_selection_and_a_cancelled_bulk_changes_nothing(
    app: DeskApp, demo: Services
) -> None:
    before = archived(demo)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("space", "j", "space", "J", "J")  # two, then a range of two more
        await pilot.pause()
        screen = desk(pilot)
        assert len(screen.opinions.selected) == 4
        assert "4 selected" in seen(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert archived(demo) == before
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.opinions.selected
        assert "selected" not in seen(pilot).split("\n")[2]


async def test_bulk_assign_of_a_search_reports_what_it_skipped(
    app: DeskApp, demo: Services
) -> None:
    with demo.db.read() as conn:
        matches = dq.all_ids(conn, dq.ListFilter("all", search="farmacia vitoria"))
    assert len(matches) == 2
    demo.cases("tester").assign(matches[0], "carla")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await search(pilot, "farmacia vitoria")
        screen = desk(pilot)
        await pilot.press("asterisk")
        await pilot.pause()
        assert screen.opinions.selected == set(matches)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # nobody, ana, bruno, carla
        await pilot.pause()
        assert f"Assign {len(matches)} opinions to carla?" in seen(pilot)
        await pilot.press("y")
        await settle(pilot)
        for opinion_id in matches:
            assert demo.lookup.case_file(opinion_id).opinion.responsible == "carla"
        assert notes(pilot)[-1].startswith(
            f"{len(matches) - 1} assigned. 1 skipped: already theirs (1: #{matches[0]})"
        )
        assert not screen.opinions.selected
