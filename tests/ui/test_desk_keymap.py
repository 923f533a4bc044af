"""`[keys]` in the settings file moves a binding; unknown ids are reported, not fatal."""

from __future__ import annotations

from dataclasses import replace

from tests.ui.conftest import WIDE, desk, notes, seen, settle

from npsdesk.bootstrap import Services
from npsdesk.tui.app import DeskApp


def archived(services: Services, opinion_id: int) -> bool:
    with services.db.read() as conn:
        row = conn.execute("SELECT archived FROM opinion WHERE id = ?", (opinion_id,)).fetchone()
    return bool(row[0])


async def test_a_remapped_key_acts_and_the_old_one_does_not(demo: Services) -> None:
    demo.settings = replace(demo.settings, keymap={"desk.archive": "A", "desk.no_such_thing": "z"})
    app = DeskApp(demo, ["store is readable by others"])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        first = desk(pilot).opinions.current()
        assert first is not None
        assert any("desk.no_such_thing" in n for n in notes(pilot))
        assert "store is readable by others" in notes(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert not archived(demo, first.id)
        await pilot.press("A")
        await settle(pilot)
        assert archived(demo, first.id)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "desk.archive" in seen(pilot)
        line = next(line for line in seen(pilot).splitlines() if "desk.archive" in line)
        assert " A " in line


async def test_the_details_pane_names_the_key_that_edits_each_field_as_moved(
    demo: Services,
) -> None:
    demo.settings = replace(demo.settings, keymap={"desk.type": "y"})
    app = DeskApp(demo, [])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        shown = seen(pilot)
        assert "Tipo [y]" in shown or "Type [y]" in shown
        assert "[t]" not in shown  # moved to y
        assert "[x]" not in shown  # x closes a case; it never edited the type
        for key in ("[d]", "[p]", "[g]", "[r]", "[w]", "[a]"):
            assert key in shown
