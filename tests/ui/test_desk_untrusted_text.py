"""The desk never shows the invisible characters customers' text may carry."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_untrusted_text import COMMENT, COMPANY, EMOJI, INVISIBLE, NAME
from tests.conftest import make_settings
from tests.ui.conftest import WIDE, desk, search, seen, settle

from npsdesk.bootstrap import bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.importers.sync import Importer
from npsdesk.tui.app import DeskApp


async def test_bidi_and_zero_width_characters_are_neutralised_on_the_desk(
    tmp_path: Path, clock: FixedClock
) -> None:
    export = tmp_path / "respostas.csv"
    export.write_text(
        "ID;Data da resposta;Nota;Nome;E-mail;Empresa;Comentário\n"
        f"B-1;20/11/2026 10:00;2;{NAME};ana@cliente.com.br;{COMPANY};{COMMENT}\n",
        encoding="utf-8",
    )
    services = bootstrap(make_settings(tmp_path / "store.sqlite"), clock=clock)
    try:
        Importer(services).run(export)
        async with DeskApp(services).run_test(size=WIDE) as pilot:
            await settle(pilot)
            await search(pilot, "B-1")
            assert desk(pilot).case is not None
            shown = seen(pilot)
            assert not INVISIBLE & set(shown)
            assert "D  2 Ana exe.txt · Loja Az" in shown  # the list
            assert "Name     Ana exe.txt" in shown  # the details pane
            assert "Company  Loja Azul Ltda X" in shown
            assert "│ Cobrado duas vezes ok fim" in shown  # the answer
            assert EMOJI in services.lookup.case_file("B-1").opinion.comment  # kept as stored
    finally:
        services.close()
