"""The mail and registry refusals reach a Portuguese user in Portuguese (the English is the
text they always had)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_cli import fails_with, run


def test_an_outbox_refusal_reads_in_portuguese(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "outbox", "retry", "999999", check=False)
    assert "nenhuma mensagem 999999 na caixa de saída" in pt.stderr
    en = run(*store, "outbox", "retry", "999999", check=False)
    assert "no message 999999 in the outbox" in en.stderr


def test_a_refused_thank_you_reads_in_portuguese(demo_store: Path) -> None:
    with sqlite3.connect(demo_store) as conn:
        (detractor,) = conn.execute(
            "SELECT min(id) FROM opinion WHERE nps_class = 'detractor' AND NOT internal"
        ).fetchone()
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "thank", str(detractor), check=False)
    assert f"{detractor}: a opinião {detractor} não é de um promotor" in pt.stdout
    en = run(*store, "thank", str(detractor), check=False)
    assert f"{detractor}: opinion {detractor} is not a promoter" in en.stdout


def test_an_unknown_category_reads_in_portuguese(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "set", "category", "Nada", "7", check=False)
    fails_with(pt, "categoria 'Nada' desconhecida (conhecidas: ")
    fails_with(run(*store, "set", "category", "Nada", "7", check=False), "unknown category 'Nada'")
