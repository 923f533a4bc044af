"""The field keys on a selection: choose the value, confirm, see what was skipped, undo."""

from __future__ import annotations

from tests.ui.conftest import WIDE, desk, notes, seen, settle
from textual.pilot import Pilot
from textual.widgets import Select

from npsdesk.bootstrap import Services
from npsdesk.store import case_reads
from npsdesk.store import desk_queries as dq
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.choices import ChoiceForm, ConfirmForm
from npsdesk.tui.forms.treatment import CloseForm


def first_untreated(services: Services, n: int) -> list[int]:
    with services.db.read() as conn:
        return dq.all_ids(conn, dq.ListFilter("untreated"))[:n]


async def select_three(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await pilot.press("space", "j", "space", "j", "space")
    await pilot.pause()
    assert "3 selected" in seen(pilot)


async def test_category_on_a_selection_then_undo(app: DeskApp, demo: Services) -> None:
    ids = first_untreated(demo, 3)
    with demo.db.read() as conn:
        names = case_reads.category_names(conn)
    async with app.run_test(size=WIDE) as pilot:
        await select_three(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ChoiceForm)
        assert "Category · 3 opinions" in seen(pilot)
        # the first option is "none", then the registry's categories
        await pilot.press(*["down"] * (names.index("Financeiro") + 1), "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmForm)
        assert "Set category to Financeiro on 3 opinions?" in seen(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert notes(pilot)[-1] == "3 changed. u undoes."
        for opinion_id in ids:
            case = demo.lookup.case_file(opinion_id).opinion
            assert (case.category, case.status) == ("Financeiro", "in_treatment")
        assert not desk(pilot).opinions.selected
        assert "1 Untreated 243" in seen(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert notes(pilot)[-1] == "3 restored."
        for opinion_id in ids:
            case = demo.lookup.case_file(opinion_id).opinion
            assert (case.category, case.status) == (None, "untreated")
        assert "1 Untreated 246" in seen(pilot)


async def test_closing_a_selection_names_what_the_rest_lack(app: DeskApp, demo: Services) -> None:
    ids = first_untreated(demo, 3)
    demo.cases("tester").set_category(ids[1], "Suporte")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # all: the case given a category left the untreated tab
        await settle(pilot)
        screen = desk(pilot)
        screen.opinions.selected.update(ids)
        screen.opinions.refresh()
        await pilot.press("x")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, CloseForm)
        assert "Close the case · 3 opinions" in seen(pilot)
        assert form.query_one("#close-category", Select).value == Select.NULL  # nothing assumed
        form.query_one("#close-type", Select).value = "complaint"
        form.query_one("#close-responsible", Select).value = "ana"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Close 3 opinions?" in seen(pilot)
        await pilot.press("enter")
        await settle(pilot)
        note = notes(pilot)[-1]
        assert note.startswith("1 closed. 2 skipped: missing category (2: ")
        assert note.endswith("u undoes.")
        closed = demo.lookup.case_file(ids[1]).opinion
        assert (closed.status, closed.type, closed.responsible) == ("closed", "complaint", "ana")
        for opinion_id in (ids[0], ids[2]):
            left = demo.lookup.case_file(opinion_id).opinion
            assert (left.status, left.type, left.responsible) == ("untreated", None, None)


async def test_follow_priority_and_deadline_on_a_selection(app: DeskApp, demo: Services) -> None:
    ids = first_untreated(demo, 3)
    async with app.run_test(size=WIDE) as pilot:
        await select_three(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert "Who follows · 3 opinions" in seen(pilot)
        await pilot.press("enter")  # the analyst at the desk is offered first
        await pilot.pause()
        assert "Make tester follow 3 opinions?" in seen(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert notes(pilot)[-1] == "3 now followed. u undoes."
        for opinion_id in ids:
            assert "tester" in demo.lookup.case_file(opinion_id).opinion.followers
        await pilot.press("5")  # mine is empty; following shows them
        await pilot.press("6")
        await settle(pilot)
        assert "6 Following 3" in seen(pilot)
        await pilot.press("asterisk", "p")
        await pilot.pause()
        await pilot.press("enter")  # high
        await pilot.pause()
        assert "Set priority to high on 3 opinions?" in seen(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("asterisk", "d")
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"+2", "enter")
        await pilot.pause()
        assert "Set deadline to" in seen(pilot)
        await pilot.press("y")
        await settle(pilot)
        for opinion_id in ids:
            case = demo.lookup.case_file(opinion_id).opinion
            assert case.priority == 1
            assert case.deadline == demo.calendar.add_business_days(demo.lookup.today(), 2)
