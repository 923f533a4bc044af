"""What the analyst sees: panes, tabs, search, keys, languages, untrusted text."""

from __future__ import annotations

import pytest
from tests.ui.conftest import SMALL, WIDE, desk, search, seen, settle

from npsdesk.bootstrap import Services
from npsdesk.store import desk_queries as dq
from npsdesk.tui.app import DeskApp
from npsdesk.tui.bindings import DESK_KEYS, LIST_KEYS
from npsdesk.tui.widgets.opinion_list import OpinionList


async def test_opens_on_untreated_detractors_with_the_case_beside(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = seen(pilot)
        assert "1 Untreated 246" in screen
        assert "2 In treatment 35" in screen
        assert "4 Archived 59" in screen
        first = desk(pilot).opinions.current()
        assert first is not None
        assert (first.id, first.nps_class) == (34, "detractor")
        # the case beside it: history, respondent, recurrence and the case fields
        assert "Luís Fernandes" in screen
        assert "92.732.754/0001-54" in screen  # CNPJ formatted
        assert "Other opinions of this customer (1): 6" in screen
        assert "Sistema caiu três vezes" in screen
        assert "Deadline [d]" in screen
        assert "2026-08-18 (overdue 65d)" in screen
        assert "-65d!" in screen  # the countdown in the list


async def test_small_terminal_shows_one_pane_at_a_time(app: DeskApp) -> None:
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        screen = seen(pilot)
        assert "D  4 Luís Fernandes" in screen
        assert "Respondent" not in screen
        await pilot.press("enter")
        await settle(pilot)
        screen = seen(pilot)
        assert "Answer · detractor 4" in screen
        assert "D  4 Luís Fernandes" not in screen
        await pilot.press("tab")
        await settle(pilot)
        assert "Respondent" in seen(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "D  4 Luís Fernandes" in seen(pilot)
        assert desk(pilot).opinions.has_focus


async def test_j_and_k_move_and_the_case_follows(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        await settle(pilot)
        screen = desk(pilot)
        assert screen.opinions.cursor == 2
        assert screen.case is not None
        assert screen.case.opinion.id == 68
        assert "Cecília Simões" in seen(pilot)
        await pilot.press("k", "up")
        await settle(pilot)
        assert screen.opinions.cursor == 0
        # the mouse: a click on a row moves there, a double click opens it, a click on a
        # tab switches to it
        await pilot.click(OpinionList, offset=(10, 4))
        await settle(pilot)
        assert screen.opinions.cursor == 3
        await pilot.click("#tabs", offset=(3, 0))
        await pilot.click("#tabs", offset=(44, 0))  # "3 All 363"
        await settle(pilot)
        assert screen.filter.tab == "all"
        await pilot.double_click(OpinionList, offset=(10, 2))
        await settle(pilot)
        assert screen.opinions.cursor == 1
        assert pilot.app.focused is screen.query_one("#history")


async def test_end_reads_only_the_pages_it_shows(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        opinions = desk(pilot).opinions
        await pilot.press("end")
        await settle(pilot)
        assert opinions.cursor == 245
        assert opinions.cache.reads <= 3
        last = opinions.current()
        with app.ctx.services.db.read() as conn:
            every = dq.all_ids(conn, dq.ListFilter("untreated"))
        assert last is not None
        assert last.id == every[-1]
        await pilot.press("home")
        assert opinions.cursor == 0


async def test_tabs_switch_with_digits(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = desk(pilot)
        assert screen.filter.tab == "in_treatment"
        assert screen.opinions.total == 35
        row = screen.opinions.current()
        assert row is not None
        assert row.status == "in_treatment"
        await pilot.press("4")
        await settle(pilot)
        row = screen.opinions.current()
        assert row is not None
        assert row.archived
        await pilot.press("5")
        await settle(pilot)
        assert screen.opinions.total == 0
        assert "No opinions in this tab." in seen(pilot)


async def test_search_narrows_the_list_and_escape_clears_it(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await search(pilot, "fatima moura")
        screen = desk(pilot)
        assert screen.filter.search == "fatima moura"
        with app.ctx.services.db.read() as conn:
            expected = dq.count(conn, dq.ListFilter("all", search="fatima moura"))
        assert 0 < screen.opinions.total == expected
        assert "search: «fatima moura»" in seen(pilot)
        assert f"3 All {expected}" in seen(pilot)
        row = screen.opinions.current()
        assert row is not None
        assert row.name == "Fátima Moura"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.filter.search == ""
        assert screen.opinions.total == 363


async def test_search_by_cnpj_in_any_punctuation(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await search(pilot, "92.732.754/0001-54")
        screen = desk(pilot)
        assert screen.opinions.total == 2
        assert {screen.opinions.cache.row(i).id for i in range(2)} == {34, 391}  # type: ignore[union-attr]


async def test_question_mark_lists_every_key_with_its_id(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = seen(pilot)
        for key in (*DESK_KEYS, *LIST_KEYS):
            assert key.id in screen
        assert "internal note" not in screen  # descriptions are short: "note"
        assert "note" in screen
        await pilot.press("escape")
        await pilot.pause()
        assert "desk.select_all" not in seen(pilot)


async def test_the_palette_offers_the_desk_actions(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(desk(pilot))]
        assert {"note", "archive", "dashboard", "keys"} <= set(titles)
        command = next(c for c in app.get_system_commands(desk(pilot)) if c.title == "all tab")
        await command.callback()  # type: ignore[misc]
        await settle(pilot)
        assert desk(pilot).filter.tab == "all"


async def test_portuguese_desk(pt_services: Services) -> None:
    async with DeskApp(pt_services).run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = seen(pilot)
        assert "1 Sem atendimento 246" in screen
        assert "Outras opiniões deste CNPJ (1): 6" in screen
        assert "18/08/2026 (atrasada 65d)" in screen
        assert "n nota" in screen
        # dates typed as a Brazilian writes them
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"01/12/2026", "enter")
        await settle(pilot)
        assert pt_services.lookup.case_file(34).opinion.deadline.isoformat() == "2026-12-01"
        assert "Prazo [d]       01/12/2026" in seen(pilot)


async def test_changes_by_another_program_show_up(app: DeskApp, demo: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        screen = desk(pilot)
        shown = screen.opinions.current()
        assert shown is not None

        def other_program() -> None:  # another thread: another connection
            demo.cases("bruno").add_note(shown.id, "Liguei de outro terminal")
            demo.db.close()

        await screen.run_worker(other_program, thread=True).wait()
        screen._poll()  # what the periodic check does
        await settle(pilot)
        assert "Liguei de outro terminal" in seen(pilot)
        current = screen.opinions.current()
        assert current is not None
        assert current.id == shown.id


MARKUP = "[@click=app.quit]x[/] [link='https://e.example']y[/link] [/"
ESCAPES = "antes\x1b]52;c;ZXZpbA==\x07\x1b[2Jdepois"


@pytest.mark.parametrize("size", [WIDE, SMALL])
async def test_untrusted_text_is_shown_literally(demo: Services, size: tuple[int, int]) -> None:
    with demo.db.write() as conn:
        conn.execute(
            "UPDATE respondent SET name = ?, company = ? WHERE id = "
            "(SELECT respondent_id FROM opinion WHERE id = 34)",
            (MARKUP, "[bold]Empresa[/bold]"),
        )
        conn.execute("UPDATE opinion SET comment = ? WHERE id = 34", (ESCAPES,))
        conn.execute("UPDATE category SET name = ? WHERE name = 'Suporte'", ("[red]Sup[/]",))
    app = DeskApp(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if size == SMALL:
            await pilot.press("tab", "tab")
            await settle(pilot)
        screen = seen(pilot)
        assert "\x1b" not in screen
        assert "\x07" not in screen
        assert "[@click=app.quit]x[/]" in screen
        if size == WIDE:
            assert "antesdepois" in screen
            assert "[bold]Empresa[/bold]" in screen
        # clicking on the name runs nothing
        opinions = desk(pilot).opinions
        await pilot.click(OpinionList, offset=(8, 1))
        await pilot.click("#details-pane", offset=(15, 1))
        await pilot.pause()
        assert app.is_running
        assert opinions.cursor == 0
        # forms and notes show it literally too
        await pilot.press("n")
        await pilot.pause()
        assert "[@click=app.quit]x[/]" in seen(pilot)
        await pilot.press("escape", "g")
        await pilot.pause()
        assert "[red]Sup[/]" in seen(pilot)
        await pilot.press("escape")
        assert app.is_running
