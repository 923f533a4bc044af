"""A command that writes while another program holds the store waits its turn, says so, and
stops cleanly on ctrl+c; a full disk during an import is one line and loses nothing."""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.test_cli import NPSDESK, fails_with, run

WAITING = "npsdesk: waiting for the store: another program is writing to it"


def count(store: Path, sql: str) -> int:
    with sqlite3.connect(store) as conn:
        return int(conn.execute(sql).fetchone()[0])


@pytest.fixture
def held(demo_store: Path) -> Iterator[sqlite3.Connection]:
    """Another program's write transaction on the store, open until the test ends it."""
    conn = sqlite3.connect(demo_store, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [NPSDESK, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def first_line_of_stderr(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    ready, _, _ = select.select([process.stderr], [], [], 30)
    assert ready, "the command said nothing while it waited"
    return process.stderr.readline()


def open_case(store: Path) -> int:
    return count(store, "SELECT min(id) FROM opinion WHERE NOT archived")


def test_a_write_waits_for_another_programs_and_goes_in_when_it_ends(
    demo_store: Path, held: sqlite3.Connection
) -> None:
    case = open_case(demo_store)
    process = start("--store", str(demo_store), "archive", "--id", str(case))
    line = first_line_of_stderr(process)
    assert line.startswith(WAITING)
    assert "up to 5 min" in line
    assert "ctrl+c stops" in line
    assert process.poll() is None  # still waiting, not failed after a few seconds
    held.execute("ROLLBACK")
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.startswith("archive: 1 of 1 opinion changed")
    assert count(demo_store, f"SELECT archived FROM opinion WHERE id = {case}") == 1


def test_the_wait_has_a_limit_in_minutes_from_the_settings(
    demo_store: Path, held: sqlite3.Connection
) -> None:
    case = open_case(demo_store)
    result = run(
        "--store", str(demo_store), "archive", "--id", str(case),
        check=False, env={"NPSDESK_STORE_WAIT": "0"},
    )  # fmt: skip
    fails_with(result, "is locked by another program (waited 0 s)")
    assert count(demo_store, f"SELECT archived FROM opinion WHERE id = {case}") == 0


def test_ctrl_c_stops_the_wait_cleanly_and_changes_nothing(
    demo_store: Path, held: sqlite3.Connection
) -> None:
    case = open_case(demo_store)
    process = start("--store", str(demo_store), "archive", "--id", str(case))
    assert first_line_of_stderr(process).startswith(WAITING)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert out == ""
    assert err.strip() == "npsdesk: stopped while waiting for the store: nothing was changed"
    held.execute("ROLLBACK")
    assert count(demo_store, f"SELECT archived FROM opinion WHERE id = {case}") == 0


HEADER = (
    "ID da resposta;Data de envio;Data da resposta;Nota;Comentário;Nome;E-mail;Telefone;"
    "CNPJ;Razão Social;Produto;Vertical;Campanha;Pesquisa interna"
)


def survey_export(path: Path, rows: int) -> Path:
    lines = [HEADER]
    for i in range(rows):
        lines.append(
            f"D-{i};19/11/2026 09:00;20/11/2026 10:00;{i % 11};Comentário longo número {i} "
            f"sobre o sistema e o atendimento;Cliente {i};c{i}@x.com.br;;;Empresa {i} Ltda;"
            "Produto;Food;NPS Novembro;Não"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB file system of its own (tmpfs), so the store's disk fills up for real."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:  # lazily if still busy, so the test's folder can always be removed
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def test_a_full_disk_during_an_import_is_one_line_and_saves_nothing(
    small_disk: Path, tmp_path: Path
) -> None:
    store = small_disk / "store.sqlite"
    run("--store", str(store), "import", str(survey_export(tmp_path / "seed.csv", 3)))
    big = survey_export(tmp_path / "big.csv", 20_000)
    result = run("--store", str(store), "import", str(big), check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("npsdesk: ")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"npsdesk: no space left on the disk of {store}: "), lines
    assert "nothing from this import was saved; free " in lines[0]
    assert lines[0].endswith(" MB and run it again")
    shown = json.loads(run("--store", str(store), "find", "Comentário", "--json").stdout)
    assert sorted(o["external_id"] for o in shown) == ["D-0", "D-1", "D-2"]
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
