"""A typed note, e-mail or contact note is never thrown away by one escape: the form asks,
a second escape keeps it with the case, and opening the same form there brings it back."""

from __future__ import annotations

import sqlite3

import pytest
from tests.ui.conftest import WIDE, desk, notes, seen, settle
from textual.pilot import Pilot
from textual.widgets import TextArea

from npsdesk.bootstrap import Services
from npsdesk.tui import saving
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.mail import EmailComposer
from npsdesk.tui.forms.treatment import ContactForm, NoteForm


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def history_bodies(demo: Services, opinion_id: int = 34) -> list[str | None]:
    return [e.body for e in demo.lookup.case_file(opinion_id).history]


async def test_escape_asks_then_keeps_the_note_and_n_brings_it_back(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await press(pilot, *"Cliente pediu retorno")
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, NoteForm)  # one escape does not lose it
        assert "This note is not saved: esc again closes it and keeps the draft" in seen(pilot)
        await press(pilot, "escape")
        assert pilot.app.screen is desk(pilot)
        assert "Note draft kept on opinion #34: open the note again to go on." in notes(pilot)
        assert "Cliente pediu retorno" not in history_bodies(demo)
        # another case has its own (empty) note
        await press(pilot, "j")
        await settle(pilot)
        await press(pilot, "n")
        assert "Cliente pediu retorno" not in seen(pilot)
        await press(pilot, "escape")  # nothing typed: it closes at once
        assert pilot.app.screen is desk(pilot)
        await press(pilot, "k")
        await settle(pilot)
        await press(pilot, "n")
        shown = seen(pilot)
        assert "Cliente pediu retorno" in shown
        assert "The draft you left on this case" in shown
        await press(pilot, *" amanhã", "ctrl+s")
        await settle(pilot)
        assert "Cliente pediu retorno amanhã" in history_bodies(demo)
        # saved: the draft is gone
        await press(pilot, "n")
        assert pilot.app.screen.query_one("#note-text", TextArea).text == ""
        assert "The customer never sees this note." in seen(pilot)


async def test_ctrl_d_discards_a_draft(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await press(pilot, *"Rascunho", "escape", "escape")
        await press(pilot, "n")
        assert "Rascunho" in seen(pilot)
        await press(pilot, "ctrl+d")
        assert pilot.app.screen is desk(pilot)
        assert "Draft discarded." in notes(pilot)
        await press(pilot, "n")
        assert "Rascunho" not in seen(pilot)
        assert "Rascunho" not in history_bodies(demo)


async def test_an_edited_e_mail_is_kept_until_sent(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "e")
        await press(pilot, "escape")  # the template untouched: nothing to lose
        assert pilot.app.screen is desk(pilot)
        await press(pilot, "e")
        await press(pilot, "ctrl+end", *" Ligo amanhã.")
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, EmailComposer)
        assert "This e-mail is not sent: esc again closes it" in seen(pilot)
        await press(pilot, "escape")
        assert "E-mail draft kept on opinion #34: open the e-mail again to go on." in notes(pilot)
        await press(pilot, "e")
        assert "Ligo amanhã." in seen(pilot)
        await press(pilot, "ctrl+s")
        await settle(pilot, 0.3)
        sent = [e for e in demo.lookup.case_file(34).history if e.kind == "email_sent"]
        assert len(sent) == 1
        assert "Ligo amanhã." in (sent[0].body or "")
        await press(pilot, "e")
        assert "Ligo amanhã." not in pilot.app.screen.query_one("#mail-body", TextArea).text


async def test_a_contact_attempts_note_is_kept_too(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "c")
        await press(pilot, "n", *"Falar com o gerente", "enter")
        await press(pilot, "escape")
        assert isinstance(pilot.app.screen, ContactForm)
        assert "The contact's note is not saved" in seen(pilot)
        await press(pilot, "escape")
        await press(pilot, "c")
        assert "Falar com o gerente" in seen(pilot)
        await press(pilot, "1")
        await settle(pilot)
        last = [e for e in demo.lookup.case_file(34).history if e.kind == "contact_attempt"][-1]
        assert (last.outcome, last.body) == ("reached", "Falar com o gerente")


async def test_the_draft_question_in_portuguese(pt_services: Services) -> None:
    async with DeskApp(pt_services).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        await press(pilot, *"Pendente", "escape")
        assert "A nota não foi salva: esc de novo fecha e guarda o rascunho" in seen(pilot)
        await press(pilot, "escape")
        assert any("Rascunho da nota guardado na opinião #34" in n for n in notes(pilot))


async def test_a_note_refused_after_the_form_was_put_away_comes_back(
    app: DeskApp, demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saving, "WAIT_NOTICE", 0.01)
    with demo.db.write() as conn:  # the store will refuse notes, as a full disk would
        conn.execute(
            "CREATE TRIGGER refuse_notes BEFORE INSERT ON event WHEN NEW.kind = 'note' "
            "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
    other = sqlite3.connect(demo.db.path, isolation_level=None)
    try:
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await press(pilot, "n")
            await press(pilot, *"Nota importante")
            other.execute("BEGIN IMMEDIATE")  # an import writes: the save waits
            await press(pilot, "ctrl+s")
            await press(pilot, "escape")  # put away while it waits
            assert pilot.app.screen is desk(pilot)
            other.execute("ROLLBACK")
            await settle(pilot)
            refused = [n for n in notes(pilot) if n.startswith("Not saved (#34)")]
            assert refused, notes(pilot)
            assert "disk full" in refused[0]
            assert "Note draft kept on opinion #34" in refused[0]
            await press(pilot, "n")
            assert "Nota importante" in seen(pilot)
    finally:
        other.close()
