"""The desk's speed, as ratios to baselines measured in the same run (alternating, medians).

first paint: from process start to the first frame that shows the list's rows, read from a
        pseudo-terminal (160x50) the way a terminal would: `npsdesk` on the 1M-opinion store
        against `bare_desk.py` (a bare Textual app with three panes and a 50-row DataTable),
        each a new process every time, so imports count. Target <= 1.5x. Also shown, with
        no target: when the tab counts and the deadline countdown, which follow the first
        frame, are on screen too.
cursor: 200 key presses under Textual's Pilot (`run_test`), each sent as the terminal
        driver sends it and followed by the screen's refresh before the next: up and down the
        first 50 rows (all the bare app has) on the desk over 100k and over 1M opinions, and
        straight down 200 rows on 1M (four pages read, a scroll at each press) against the
        bare app with 250 rows. CPU time of the process: a key's cost, not the wait for the
        next frame (Textual draws at most 60 a second), and less disturbed by other programs
        on a shared machine. (Pilot's own `press` waits for the process to go idle in steps
        of 20 ms twice per key, which would mostly time the waiting.) Target <= 1.2x.
archive: bulk archive of 10k opinions chosen by a list filter (the first 10k its select-all
        gives; the selecting is not timed), through `BulkService` (events, versions, one
        transaction) against a raw `UPDATE opinion SET archived = 1 WHERE id IN (...)` of the
        same rows, each on its own copy of the same 1M store, commit included. Target <= 2x.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from datasets import CACHE, desk_store

if TYPE_CHECKING:
    from textual.app import App

HERE = Path(__file__).resolve().parent
NPSDESK = str(Path(sys.executable).with_name("npsdesk"))
SIZE = (160, 50)
ROWS_SHOWN = re.compile(rb"Cliente \d")  # a customer's name: the list has rows on screen
COUNTS_SHOWN = re.compile(rb"(?:Untreated|Sem atendimento) \d")  # the first tab's count
COUNTDOWN_SHOWN = re.compile(rb"-\d+d!")  # the oldest open cases are overdue
FIRST_PAINT_TARGET = 1.5
CURSOR_TARGET = 1.2
ARCHIVE_TARGET = 2.0
PRESSES = 200
BARE_ROWS = 50
ARCHIVED = 10_000


def screen_times(
    command: Sequence[str], env: dict[str, str], marks: Sequence[re.Pattern[bytes]]
) -> list[float]:
    """Seconds from starting `command` on a 160x50 pseudo-terminal to the first bytes that
    match each of `marks`; then the app is asked to quit (ctrl+q) and reaped."""
    master, slave = pty.openpty()
    width, height = SIZE
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    found: dict[int, float] = {}
    try:
        while len(found) < len(marks):
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                raise RuntimeError(f"{command[0]}: nothing new on screen for 60 s")
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command[0]} ended before drawing it all: {seen[-400:]!r}")
            seen = seen[-64:] + chunk
            for i, mark in enumerate(marks):
                if i not in found and mark.search(seen):
                    found[i] = time.perf_counter() - start
        os.write(master, b"\x11")  # ctrl+q
        end = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(master, 1 << 16)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    return [found[i] for i in range(len(marks))]


def terminal_env(env: dict[str, str]) -> dict[str, str]:
    """The pseudo-terminal's size comes from the terminal, not from COLUMNS/LINES."""
    return {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")} | {
        "TERM": "xterm-256color"
    }


def alternate(runs: int, *measures: Callable[[], float | list[float]]) -> list[float]:
    """Medians of `runs` samples of each measure (of each of the figures a measure gives),
    taken in turns after one warm-up round, so that the machine's load drifts over all of
    them alike."""
    samples: list[list[list[float]]] = [[] for _ in measures]
    for i in range(runs + 1):
        for taken, measure in zip(samples, measures, strict=True):
            value = measure()
            if i:
                taken.append(value if isinstance(value, list) else [value])
    return [statistics.median(figure) for taken in samples for figure in zip(*taken, strict=True)]


def show(name: str, seconds: float, base: float | None = None, target: float | None = None) -> bool:
    """One line: the median, and against a baseline its ratio and the target; True when
    the target is met (or there is none)."""
    if base is None or target is None:
        print(f"{name:<40} {seconds * 1000:>7.0f} ms")
        return True
    ratio = seconds / base
    ok = ratio <= target
    verdict = "ok" if ok else "MISSED"
    print(f"{name:<40} {seconds * 1000:>7.0f} ms {ratio:>6.2f}x  <= {target}x {verdict}")
    return ok


def desk_times(command: Sequence[str], env: dict[str, str]) -> list[float]:
    """The first frame with rows, and when the counts and the countdown are there too."""
    rows, counts, countdown = screen_times(
        command, env, [ROWS_SHOWN, COUNTS_SHOWN, COUNTDOWN_SHOWN]
    )
    return [rows, max(counts, countdown)]


def bench_first_paint(big: Path, env: dict[str, str], runs: int) -> bool:
    env = terminal_env(env)
    bare_command = [sys.executable, str(HERE / "bare_desk.py")]
    desk_command = [NPSDESK, "--store", str(big)]
    bare, desk, complete = alternate(
        runs,
        lambda: screen_times(bare_command, env, [ROWS_SHOWN]),
        lambda: desk_times(desk_command, env),
    )
    show("  bare app, 50-row table", bare)
    ok = show(f"  npsdesk, {opinions(big)} opinions", desk, bare, FIRST_PAINT_TARGET)
    show("    then the tab counts and countdown", complete)
    return not ok


async def presses(
    app: App[None], moves: Callable[[int], str], cursor: Callable[[], int | None], end: int
) -> float:
    """CPU seconds the app spends on PRESSES keys (the i-th is `moves(i)`), once it shows
    its rows and its workers are done. Each key goes in as the terminal driver sends it;
    the next one goes once the cursor has moved and the screen has drawn the change."""
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if cursor() != 0:
            raise RuntimeError(f"{type(app).__name__} shows no rows")
        start = time.process_time()
        for i in range(PRESSES):
            before = cursor()
            app.post_message(events.Key(moves(i), None))
            while cursor() == before:
                await asyncio.sleep(0)
            await app.screen.wait_for_refresh()
        seconds = time.process_time() - start
        if cursor() != end:
            raise RuntimeError(f"{type(app).__name__}: the cursor ended on {cursor()}")
        return seconds


def sweep(i: int) -> str:
    """49 presses down, 49 up, and so on: the cursor moves at every press in 50 rows."""
    return "down" if (i // (BARE_ROWS - 1)) % 2 == 0 else "up"


def sweep_end() -> int:
    up_to = PRESSES % (2 * (BARE_ROWS - 1))
    return up_to if up_to < BARE_ROWS else 2 * (BARE_ROWS - 1) - up_to


def down(_: int) -> str:
    return "down"


def bare_cursor(moves: Callable[[int], str], rows: int, end: int) -> float:
    from textual.widgets import DataTable

    from bare_desk import BareDesk

    app = BareDesk(rows)

    def cursor() -> int | None:
        table = app.query_one(DataTable)
        return table.cursor_row if table.row_count == rows else None

    return asyncio.run(presses(app, moves, cursor, end))


def desk_cursor(store: Path, moves: Callable[[int], str], end: int) -> float:
    from npsdesk.bootstrap import bootstrap
    from npsdesk.config.settings import load_settings
    from npsdesk.tui.app import DeskApp
    from npsdesk.tui.screens.desk import DeskScreen

    services = bootstrap(load_settings(flags={"store": str(store)}), create=False)
    app = DeskApp(services)

    def cursor() -> int | None:
        screen = app.screen
        if not isinstance(screen, DeskScreen) or screen.opinions.current() is None:
            return None
        return screen.opinions.cursor

    try:
        return asyncio.run(presses(app, moves, cursor, end))
    finally:
        services.close()


def bench_cursor(small: Path, big: Path, runs: int, down_runs: int) -> bool:
    """Up and down the first 50 rows (what the 50-row bare app can do) at both sizes; then
    straight down 200 rows (four pages read, a scroll at each press) against the bare app
    with 250 rows, whose scrolling makes it the long one."""
    end = sweep_end()
    bare, desk_small, desk_big = alternate(
        runs,
        lambda: bare_cursor(sweep, BARE_ROWS, end),
        lambda: desk_cursor(small, sweep, end),
        lambda: desk_cursor(big, sweep, end),
    )
    show(f"  {PRESSES} keys up/down, bare app, 50 rows", bare)
    ok = show(f"    npsdesk, {opinions(small)}", desk_small, bare, CURSOR_TARGET)
    ok &= show(f"    npsdesk, {opinions(big)}", desk_big, bare, CURSOR_TARGET)
    bare_down, desk_down = alternate(
        down_runs,
        lambda: bare_cursor(down, PRESSES + 50, PRESSES),
        lambda: desk_cursor(big, down, PRESSES),
    )
    show(f"  {PRESSES} keys down, bare app, {PRESSES + 50} rows", bare_down)
    ok &= show(f"    npsdesk, {opinions(big)}", desk_down, bare_down, CURSOR_TARGET)
    return not ok


def archive_ids(store: Path) -> tuple[str, list[int]]:
    """The first ARCHIVED opinions of a filter, in list order: what `*` then `a` archive."""
    from npsdesk.store import desk_queries as dq
    from npsdesk.store.db import Database

    narrow = dq.Narrow(status="closed", vertical="Food", until=datetime(2026, 9, 1, tzinfo=UTC))
    db = Database(store)
    try:
        with db.read() as conn:
            ids = dq.all_ids(conn, dq.ListFilter("all", narrow=narrow))
    finally:
        db.close()
    if len(ids) < ARCHIVED:
        raise RuntimeError(f"the archive filter matches {len(ids)} opinions, not {ARCHIVED}")
    return "all, filtered to closed, Food, answered before 2026-09-01", ids[:ARCHIVED]


def fresh_copy(store: Path, name: str) -> Path:
    copy = CACHE / name
    for old in CACHE.glob(name + "*"):
        old.unlink()
    shutil.copyfile(store, copy)
    return copy


def service_archive(store: Path, ids: list[int]) -> float:
    from npsdesk.domain.clock import SystemClock
    from npsdesk.services.bulk import BulkService
    from npsdesk.store.db import Database

    db = Database(fresh_copy(store, "archive-service.sqlite"))
    db.connection()
    try:
        start = time.perf_counter()
        result = BulkService(db, SystemClock(), "bench").archive(ids)
        seconds = time.perf_counter() - start
    finally:
        db.close()
    if len(result.changed) != len(ids):
        raise RuntimeError(f"BulkService archived {len(result.changed)} of {len(ids)}")
    return seconds


def raw_archive(store: Path, ids: list[int]) -> float:
    from npsdesk.store.db import Database

    db = Database(fresh_copy(store, "archive-raw.sqlite"))
    db.connection()
    listed = ",".join(str(int(i)) for i in ids)
    try:
        start = time.perf_counter()
        with db.write() as conn:
            changed = conn.execute(
                f"UPDATE opinion SET archived = 1 WHERE id IN ({listed})"  # noqa: S608 (ints)
            ).rowcount
        seconds = time.perf_counter() - start
    finally:
        db.close()
    if changed != len(ids):
        raise RuntimeError(f"the raw UPDATE archived {changed} of {len(ids)}")
    return seconds


def bench_archive(store: Path, runs: int) -> bool:
    described, ids = archive_ids(store)
    raw, service = alternate(
        runs, lambda: raw_archive(store, ids), lambda: service_archive(store, ids)
    )
    for name in ("archive-service.sqlite", "archive-raw.sqlite"):
        for old in CACHE.glob(name + "*"):
            old.unlink()
    show(f"  raw UPDATE of {ARCHIVED // 1000}k rows, {opinions(store)} store", raw)
    ok = show("  BulkService.archive, same rows", service, raw, ARCHIVE_TARGET)
    print(f"  (the first {ARCHIVED:,} of tab {described})")
    return not ok


def opinions(store: Path) -> str:
    """The size in words: 100k for desk-100000-schema0006.sqlite."""
    count = int(store.stem.split("-")[1])
    return f"{count // 1000}k" if count < 1_000_000 else f"{count // 1_000_000}M"


def bench_desk(env: dict[str, str], runs: int | None = None) -> bool:
    """Every desk benchmark; True when a target was missed. `runs` samples each, or by
    default 15 for the first paint (single starts vary by a quarter either way on a
    shared machine), 5 for the cursor (3 for its long run down) and 5 for the archive."""
    started = time.perf_counter()
    small, big = desk_store(100_000), desk_store(1_000_000)
    built = time.perf_counter() - started
    if built > 1:
        print(f"built the desk stores in {built:.0f} s ({small.name}, {big.name})")
    os.environ["NPSDESK_CONFIG"] = env["NPSDESK_CONFIG"]  # the in-process desk: no settings
    paint, cursor, down, archive = (runs,) * 4 if runs else (15, 5, 3, 5)
    print(f"\n{'desk':<40} {'median':>10} {'ratio':>6}  target")
    print(f"first paint, wall time, {paint} runs each")
    failed = bench_first_paint(big, env, paint)
    print(f"cursor, CPU time, {cursor} runs each ({down} for the keys down)")
    failed |= bench_cursor(small, big, cursor, down)
    print(f"bulk archive, wall time, {archive} runs each")
    failed |= bench_archive(big, archive)
    return failed
