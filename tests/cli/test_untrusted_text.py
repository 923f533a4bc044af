"""Invisible characters from customers: stored and exported as they came, never shown.

`Ana \u202eexe.txt\u202c` would show as `Ana txt.exe`: every display path neutralises the
bidirectional controls and the zero-width characters; the store and the exports keep them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from tests.cli.test_cli import run

NAME = "Ana \u202eexe.txt\u202c"
COMPANY = "Loja\u2066 Azul\u2069 \u200bLtda \u202aX\u202b \u202d"
COMMENT = "Cobrado \u200fduas\u200e vezes\ufeff \u061cok \u2067\u2060fim \U0001f469\u200d\U0001f4bb"
EMOJI = "\U0001f469\u200d\U0001f4bb"  # one emoji: its joiner stays
INVISIBLE = set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u2060\ufeff"
)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store that imported one answer whose customer text is full of invisible tricks."""
    export = tmp_path / "respostas.csv"
    export.write_text(
        "ID;Data da resposta;Nota;Nome;E-mail;Empresa;Comentário\n"
        f"B-1;20/11/2026 10:00;2;{NAME};ana@cliente.com.br;{COMPANY};{COMMENT}\n",
        encoding="utf-8",
    )
    path = tmp_path / "store.sqlite"
    run("--store", str(path), "import", str(export))
    return path


def test_the_store_keeps_the_text_as_it_came(store: Path) -> None:
    with sqlite3.connect(store) as conn:
        name, company = conn.execute("SELECT name, company FROM respondent").fetchone()
        (comment,) = conn.execute("SELECT comment FROM opinion").fetchone()
    assert (name, company, comment) == (NAME, COMPANY.strip(), COMMENT)


@pytest.mark.parametrize(
    "command", [["show", "B-1"], ["show", "B-1", "--customer"], ["find", "Ana"]]
)
def test_show_and_find_neutralise_bidi_and_zero_width_characters(
    store: Path, command: list[str]
) -> None:
    out = run("--store", str(store), *command).stdout
    assert not INVISIBLE & set(out)
    assert "Ana exe.txt" in out
    if command[0] == "show" and len(command) == 2:
        assert "Loja Azul Ltda" in out
        assert f"Cobrado duas vezes ok fim {EMOJI}" in out


def test_exports_keep_the_characters_as_stored(store: Path, tmp_path: Path) -> None:
    as_json = tmp_path / "x.json"
    run("--store", str(store), "export", "-o", str(as_json))
    (row,) = json.loads(as_json.read_text(encoding="utf-8"))
    assert (row["name"], row["company"], row["comment"]) == (NAME, COMPANY.strip(), COMMENT)
    as_csv = tmp_path / "x.csv"
    run("--store", str(store), "export", "-o", str(as_csv))
    text = as_csv.read_text(encoding="utf-8-sig")
    assert NAME in text
    assert COMMENT in text
    as_xlsx = tmp_path / "x.xlsx"
    run("--store", str(store), "export", "-o", str(as_xlsx))
    cells = [c.value for c in next(openpyxl.load_workbook(as_xlsx).active.iter_rows(min_row=2))]
    assert NAME in cells
    assert COMMENT in cells
