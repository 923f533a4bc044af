"""Treating a case by keyboard: contact, note, fields, close, e-mail; what the store holds."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import WIDE, desk, notes, seen, settle
from textual.widgets import Select

from npsdesk.bootstrap import Services
from npsdesk.domain.models import TicketType
from npsdesk.services.lookup import CaseFile
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.treatment import CloseForm


def case(services: Services, opinion_id: int = 34) -> CaseFile:
    return services.lookup.case_file(opinion_id)


async def test_treat_an_untreated_detractor_end_to_end(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        # a contact attempt in two keys: phone is preselected, 2 = no answer
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("2")
        await settle(pilot)
        stored = case(demo)
        contact = [e for e in stored.history if e.kind == "contact_attempt"][-1]
        assert (contact.channel, contact.outcome, contact.actor) == ("phone", "no_answer", "tester")
        assert stored.opinion.status == "in_treatment"
        assert "1 Untreated 245" in seen(pilot)
        assert "Contact logged on opinion #34." in notes(pilot)
        # it left the untreated tab, but stays in the panes while the analyst works on it
        assert screen.case is not None
        assert screen.case.opinion.id == 34
        assert "contact attempt: phone, no answer" in seen(pilot)
        # an internal note
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"N2 ok", "ctrl+s")
        await settle(pilot)
        assert case(demo).history[-1].body == "N2 ok"
        assert "INTERNAL NOTE" in seen(pilot)
        # an e-mail, sent and kept open
        await pilot.press("e")
        await pilot.pause()
        assert "Luís" in seen(pilot)  # the name tag is filled in
        await pilot.press("ctrl+end", *" Ok.", "ctrl+s")
        await settle(pilot, 0.3)
        stored = case(demo)
        sent = [e for e in stored.history if e.kind == "email_sent"]
        assert len(sent) == 1
        assert sent[0].body is not None
        assert "Ok." in sent[0].body
        assert stored.opinion.status == "in_treatment"
        assert "E-mail for opinion #34 sent." in notes(pilot)
        assert "E-MAIL TO THE CUSTOMER" in seen(pilot)
        folder = Path(demo.settings.store).parent / "demo-sent-mail"
        assert len(list(folder.glob("*.eml"))) == 1
        # closing needs type, category and responsible: the refusal names them
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)  # the close is refused in its worker thread
        assert "Cannot close: type, category, responsible missing." in seen(pilot)
        assert case(demo).opinion.status == "in_treatment"
        # type: open the list and pick Complaint (the second); the category and the
        # responsible the same way
        await pilot.press("enter", "down", "down", "enter", "tab")
        await pilot.press("enter", *["down"] * 9, "enter", "tab")  # Suporte, the 9th
        await pilot.press("enter", "down", "enter")  # ana, the first analyst
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, CloseForm)
        chosen = [
            form.query_one(f"#close-{n}", Select).value for n in ("type", "category", "responsible")
        ]
        assert chosen == ["complaint", "Suporte", "ana"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        closed = case(demo).opinion
        assert (closed.status, closed.type, closed.category, closed.responsible) == (
            "closed",
            "complaint",
            "Suporte",
            "ana",
        )
        assert "Opinion #34 closed." in notes(pilot)
        # resolve and next: the panes show the next untreated case
        assert screen.case is not None
        assert screen.case.opinion.id == 55


async def test_contact_attempt_with_channel_and_note_and_an_empty_note(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("w", "n", *"Amanhã", "enter", "1")
        await settle(pilot)
        last = [e for e in case(demo).history if e.kind == "contact_attempt"][-1]
        assert (last.channel, last.outcome, last.body) == (
            "whatsapp",
            "reached",
            "Amanhã",
        )
        # the case left the tab but stays in view; moving down lands on the case that took
        # its row, skipping nothing
        screen = desk(pilot)
        assert screen.case is not None
        assert screen.case.opinion.id == 34
        await pilot.press("j")
        await settle(pilot)
        assert screen.opinions.cursor == 0
        assert screen.case.opinion.id == 55
        # an empty note is refused, and the form stays open
        before = len(case(demo).history)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert "Write the note before saving." in seen(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert len(case(demo).history) == before


async def test_close_in_the_all_tab_moves_on_to_the_next_case(app: DeskApp, demo: Services) -> None:
    with demo.db.write() as conn:  # the demo's replies answered: 14 leads the all tab
        conn.execute("UPDATE opinion SET lane = 1")
    cases = demo.cases("tester")
    cases.assign(14, "ana")
    cases.set_category(14, "Suporte")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        opinions = desk(pilot).opinions
        first = opinions.current()
        assert first is not None
        assert first.id == 14
        await pilot.press("x")
        await pilot.pause()
        assert pilot.app.screen.query_one("#close-category", Select).value == "Suporte"
        pilot.app.screen.query_one("#close-type", Select).value = "suggestion"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert case(demo, 14).opinion.status == "closed"
        assert opinions.cursor == 1  # still listed in "all": the cursor moves on


async def test_fields_priority_deadline_category_responsible_follow(
    app: DeskApp, demo: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # all: the case stays in view while it changes
        await settle(pilot)
        opinion_id = desk(pilot).opinions.current().id  # type: ignore[union-attr]
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")  # high -> medium
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert "'x' is not a date" in seen(pilot)
        await pilot.press("backspace", *"+5", "enter")  # five business days from Monday 23/11
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("end", "enter")  # the last category
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # nobody, ana, bruno
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        stored = case(demo, opinion_id).opinion
        assert stored.deadline.isoformat() == "2026-11-30"
        assert stored.category == "Treinamento"
        assert stored.responsible == "bruno"
        assert stored.followers == ("tester",)
        fields = [e.field for e in case(demo, opinion_id).history if e.kind == "field_changed"]
        assert fields[-5:] == ["priority", "deadline", "category", "responsible", "followers"]
        screen = seen(pilot)
        assert "Followers [w]   tester" in screen
        assert "Responsible [r] bruno" in screen


async def test_email_send_and_close_refused_keeps_the_text(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+end", *" Fica.")
        await pilot.press("ctrl+f")
        await settle(pilot)
        screen = seen(pilot)
        assert "Cannot close: type, category, responsible missing." in screen
        assert "Fica." in screen
        with demo.db.read() as conn:
            assert (
                conn.execute("SELECT count(*) FROM outbox WHERE kind = 'case'").fetchone()[0] == 0
            )


async def test_email_send_and_close_closes_when_sent(app: DeskApp, demo: Services) -> None:
    cases = demo.cases("tester")  # the fields a close needs, set beforehand
    cases.set_type(34, TicketType.COMPLAINT)
    cases.set_category(34, "Suporte")
    cases.assign(34, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        opinions = desk(pilot).opinions
        position = opinions.cache.position(34)
        assert position is not None
        opinions.move_to(position, by_user=True)
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+f")
        await settle(pilot, 0.3)
        assert case(demo).opinion.status == "closed"
        assert any("sent. Case closed." in n for n in notes(pilot))


async def test_email_refused_for_an_internal_survey(app: DeskApp, demo: Services) -> None:
    with demo.db.write() as conn:
        conn.execute("UPDATE opinion SET internal = 1 WHERE id = 34")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert any("internal survey" in n for n in notes(pilot))
        assert desk(pilot) is pilot.app.screen


async def test_a_refusal_from_the_core_is_said_in_the_desks_language(
    pt_services: Services,
) -> None:
    with pt_services.db.write() as conn:
        conn.execute("UPDATE opinion SET internal = 1 WHERE id = 34")
    async with DeskApp(pt_services).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert any("pesquisa interna" in n for n in notes(pilot))
        assert not any("internal survey" in n for n in notes(pilot))


async def test_a_failed_delivery_says_so_and_what_to_do(app: DeskApp, demo: Services) -> None:
    # the demo's mail goes to files: a plain file where the folder should be makes it fail
    (Path(demo.settings.store).parent / "demo-sent-mail").write_text("in the way")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot, 0.3)
        with demo.db.read() as conn:
            row = conn.execute("SELECT id, state FROM outbox WHERE kind = 'case'").fetchone()
        assert row["state"] == "failed"
        failed = [n for n in notes(pilot) if n.startswith("The e-mail was not sent")]
        assert failed
        assert f"npsdesk outbox retry {row['id']}" in failed[0]
        assert not [e for e in case(demo).history if e.kind == "email_sent"]
