"""Saving while another program holds the store's write lock (an import): the screen keeps
answering, the form says what it waits for, and nothing is saved twice or lost.

The lock is real: a second SQLite connection on the same file holds BEGIN IMMEDIATE, as an
import does while it writes a batch."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

import pytest
from tests.ui.conftest import WIDE, desk, notes, seen, settle
from textual.pilot import Pilot
from textual.widgets import Input

from npsdesk.bootstrap import Services
from npsdesk.tui import saving
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.treatment import NoteForm
from npsdesk.tui.screens.settings import SettingsScreen

WAITING = "waiting for the store: another program is writing (an import?)"


@pytest.fixture(autouse=True)
def wait_notice_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The form says the store is busy as soon as the write waits (the desk waits half a
    second first, so that a quick save only flashes "saving…")."""
    monkeypatch.setattr(saving, "WAIT_NOTICE", 0.01)


@pytest.fixture
def held(demo: Services) -> Iterator[sqlite3.Connection]:
    """Another program's connection to the store, ready to take its write lock."""
    other = sqlite3.connect(demo.db.path, isolation_level=None)
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let the app run until `condition` holds (or give up after a while, to fail)."""
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


def saved_notes(demo: Services, body: str, opinion_id: int = 34) -> int:
    history = demo.lookup.case_file(opinion_id).history
    return sum(1 for e in history if e.kind == "note" and e.body == body)


async def test_a_note_saved_during_an_import_waits_without_freezing_the_screen(
    app: DeskApp, demo: Services, held: sqlite3.Connection
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Ligar amanha")
        held.execute("BEGIN IMMEDIATE")  # the import's batch
        await pilot.press("ctrl+s")
        await until(pilot, lambda: WAITING in seen(pilot))
        # the form stays open with what was typed, and a second save does not save twice
        await pilot.press("ctrl+s")
        assert isinstance(pilot.app.screen, NoteForm)
        assert "Ligar amanha" in seen(pilot)
        # the rest of the desk answers: the list under the form moves, the case follows
        start = screen.opinions.cursor
        screen.opinions.action_cursor_down()
        await until(pilot, lambda: screen.case is not None and screen.case.opinion.id != 34)
        assert screen.opinions.cursor == start + 1
        moved_to = screen.case.opinion.id  # type: ignore[union-attr]
        assert saved_notes(demo, "Ligar amanha") == 0
        held.execute("ROLLBACK")  # the import is done
        await settle(pilot)
        assert saved_notes(demo, "Ligar amanha") == 1
        assert pilot.app.screen is screen
        assert "Note saved on opinion #34." in notes(pilot)
        current = screen.opinions.current()  # the desk stays where the analyst went
        assert current is not None
        assert current.id == moved_to


async def test_escape_while_saving_puts_the_form_away_and_the_save_goes_on(
    app: DeskApp, demo: Services, held: sqlite3.Connection
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Depois do almoco")
        held.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: WAITING in seen(pilot))
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert "The save goes on; you will be told when it is done." in notes(pilot)
        # the keys work on the list again while the store is still locked
        start = screen.opinions.cursor
        await pilot.press("j")
        await pilot.pause()
        assert screen.opinions.cursor == start + 1
        held.execute("ROLLBACK")
        await settle(pilot)
        assert saved_notes(demo, "Depois do almoco") == 1
        assert "Note saved on opinion #34." in notes(pilot)


async def test_a_refused_save_keeps_the_form_and_the_text_and_says_why(
    app: DeskApp, demo: Services
) -> None:
    with demo.db.write() as conn:  # the store refuses notes, as a full disk would
        conn.execute(
            "CREATE TRIGGER refuse_notes BEFORE INSERT ON event WHEN NEW.kind = 'note' "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Guardar isto", "ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteForm)
        shown = seen(pilot)
        assert "disk full" in shown
        assert "Guardar isto" in shown
        with demo.db.write() as conn:
            conn.execute("DROP TRIGGER refuse_notes")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert saved_notes(demo, "Guardar isto") == 1
        assert pilot.app.screen is desk(pilot)


async def test_a_key_without_a_form_waits_in_the_background_too(
    app: DeskApp, demo: Services, held: sqlite3.Connection
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        held.execute("BEGIN IMMEDIATE")
        await pilot.press("w")  # follow the case
        await until(pilot, lambda: any(WAITING in n for n in notes(pilot)))
        start = screen.opinions.cursor
        await pilot.press("j")
        await pilot.pause()
        assert screen.opinions.cursor == start + 1
        held.execute("ROLLBACK")
        await settle(pilot)
        assert demo.lookup.case_file(34).opinion.followers == ("tester",)
        assert "You follow opinion #34." in notes(pilot)


async def test_a_settings_save_during_an_import_says_it_waits(
    app: DeskApp, demo: Services, held: sqlite3.Connection
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(pilot.app.screen, SettingsScreen)
        await pilot.press("a")
        pilot.app.screen.query_one("#category-name", Input).value = "Fiscal"
        held.execute("BEGIN IMMEDIATE")
        await pilot.press("enter")
        await until(pilot, lambda: WAITING in seen(pilot))
        held.execute("ROLLBACK")
        await settle(pilot)
        assert "Category 'Fiscal' added." in seen(pilot)


async def test_quitting_while_a_save_waits_asks_first_then_quits_without_it(
    app: DeskApp, demo: Services, held: sqlite3.Connection
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Sem pressa")
        held.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: WAITING in seen(pilot))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert pilot.app.is_running
        assert pilot.app.screen is screen
        assert (
            "A change is still waiting for the store to be saved: q again quits without it."
            in notes(pilot)
        )
        await pilot.press("q")  # the waiting save gives up, so the program can end
        await pilot.pause()
        await until(pilot, lambda: not pilot.app.ctx.writes.running)  # type: ignore[attr-defined]
    held.execute("ROLLBACK")
    assert saved_notes(demo, "Sem pressa") == 0
