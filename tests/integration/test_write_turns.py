"""A long run steps aside for a writer that waits (SQLite's write lock is not fair)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.test_cli import NPSDESK

from npsdesk.bootstrap import Services
from npsdesk.store import turns

# the turns are taken at SQLite's write lock; PostgreSQL's row locks need none
pytestmark = pytest.mark.sqlite_only


def someone_waits(store: Path) -> bool:
    """True while a writer holds its place in the queue (the shared lock)."""
    fd = os.open(turns.waiting_path(store), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.fixture
def held(demo_store: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(demo_store, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def test_a_write_that_waits_says_so_until_it_gets_in(
    demo_store: Path, held: sqlite3.Connection
) -> None:
    case = int(held.execute("SELECT min(id) FROM opinion WHERE NOT archived").fetchone()[0])
    process = subprocess.Popen(
        [NPSDESK, "--store", str(demo_store), "archive", "--id", str(case)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    assert "waiting for the store" in process.stderr.readline()
    assert someone_waits(demo_store)
    held.execute("ROLLBACK")
    process.communicate(timeout=30)
    assert process.returncode == 0
    assert not someone_waits(demo_store)


def test_a_long_run_pauses_while_a_writer_waits_and_goes_on_when_it_is_in(
    demo_store: Path,
) -> None:
    events: list[str] = []
    in_queue, let_go = threading.Event(), threading.Event()

    def waiter() -> None:
        with turns.waiting(demo_store):
            in_queue.set()
            let_go.wait(30)
            events.append("waiter in")

    thread = threading.Thread(target=waiter)
    thread.start()
    assert in_queue.wait(30)
    threading.Timer(0.3, let_go.set).start()
    turns.give_turn(demo_store, longest=30)
    events.append("long run goes on")
    thread.join(30)
    assert events == ["waiter in", "long run goes on"]


def test_nobody_waiting_costs_a_long_run_nothing_and_a_dead_waiter_no_more_than_the_limit(
    demo_store: Path,
) -> None:
    assert turns.give_turn(demo_store) < turns.LONGEST_PAUSE
    fd = os.open(turns.waiting_path(demo_store), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_SH)  # a waiter that never gets in
    try:
        paused = turns.give_turn(demo_store, longest=0.2)
    finally:
        os.close(fd)
    assert 0.2 <= paused < 30


def test_an_import_steps_aside_between_its_chunks(
    demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from npsdesk.importers import sync

    turns_given: list[float] = []
    monkeypatch.setattr(sync, "CHUNK", 2)
    monkeypatch.setattr(demo.db, "give_turn", lambda: turns_given.append(0.0) or 0.0)
    export = tmp_path / "respostas.csv"
    export.write_text(
        "ID;Nota;Comentário;Data da resposta;Nome;E-mail\n"
        + "".join(
            f"T-{i};{i % 11};ok;02/03/2026 10:0{i};Cliente {i};c{i}@x.com.br\n" for i in range(5)
        ),
        encoding="utf-8",
    )
    result = sync.Importer(demo).run(export)
    assert result.new == 5
    assert len(turns_given) >= 3 + 1  # after each of the 3 chunks, and before landing
