"""`h`: the customer's every opinion and what was done about each, in one timeline."""

from __future__ import annotations

from tests.ui.conftest import WIDE, desk, seen, settle

from npsdesk.bootstrap import Services
from npsdesk.tui.app import DeskApp
from npsdesk.tui.screens.customer import CustomerScreen

MARKUP = "[@click=app.quit]x[/] [link='https://e.example']y[/link] [/"


async def test_h_shows_every_opinion_of_the_customer_and_their_histories(
    app: DeskApp, demo: Services
) -> None:
    case = demo.lookup.case_file(34)
    others = [o.id for o in case.customer_opinions]
    assert others == [391]  # same CNPJ, answered three months later
    demo.cases("tester").add_note(391, MARKUP)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert desk(pilot).case is not None
        assert desk(pilot).case.opinion.id == 34
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CustomerScreen)
        shown = seen(pilot)
        assert "The customer's timeline" in shown
        assert "Farmácia Vitória Ltda" in shown
        assert "92.732.754/0001-54" in shown
        assert "2 opinions · NPS -100.0" in shown
        assert "#391" in shown
        assert "Não consigo gerar o SPED" in shown
        assert MARKUP in shown  # the note on the other opinion, as typed
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, CustomerScreen)
        assert desk(pilot).case is not None
        assert desk(pilot).case.opinion.id == 34


async def test_the_timeline_speaks_portuguese(pt_services: Services) -> None:
    async with DeskApp(pt_services).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        shown = seen(pilot)
        assert "Linha do tempo do cliente" in shown
        assert "2 opiniões" in shown
        assert "17/08/2026" in shown
