"""Benchmarks, each a ratio to a baseline measured in the same run (these machines are noisy).

    make bench            # or: .venv/bin/python bench/run.py [--only NAME] [--big]

find:   a cold `npsdesk find` (a new process, as over SSH) on a 100k-opinion store, against
        `python -c "import sqlite3"`. Target: well under half a second, kept as a ratio.
import: `npsdesk import` of a 100k-row cp1252 survey export into an empty store, against a
        naive baseline in the same run (csv module + sqlite3 executemany into the same opinion
        columns, no validation). Target: at least 0.5x the baseline's rows/s.
        With --big, also 1M rows: peak RSS of the import process (target under 300 MB).
contention: a note and `npsdesk archive` while a 200k-row import runs into the same store,
        against the same writes on the idle store; the longest wait under 2 s (bench/contention.py).
desk:   first paint on a 1M-opinion store, cursor movement and bulk archive, against a bare
        Textual app and a raw SQL UPDATE (see bench/desk.py for what each one measures).
dashboard: each figure of the dashboard on a 100k-opinion store (1M with --big), as a ratio
        to the period summary (`report`) in the same process; the whole dashboard of a quarter
        within 8x the summary.
postgres: the team store on a throwaway PostgreSQL server (tests/pg_cluster.py; skipped
        without the server's binaries), holding the 1M opinions of the desk store (COPY).
        Each figure as a ratio to the same SQL sent raw through psycopg on that server: the
        list page (first page, keyset next page, a page of the "all" tab, the tab counts;
        target 1.5x), the dashboard of a quarter (1.25x) and the bulk archive of 10k
        opinions against a hand-written UPDATE + INSERT of their events (2x); beside each
        read, the same call on SQLite. The build (a minute or two) and the whole part are
        timed (see bench/postgres.py).
replies: 10,000 customer replies (~3 KB; some HTML, some with an attachment; a third
        threaded to our e-mails) from a Maildir into a 100k-opinion store, against
        `mailbox.Maildir` + `email.message_from_bytes` reading the same messages. Target: at
        least 0.5x the baseline's messages/s (see bench/replies.py).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
NPSDESK = str(Path(sys.executable).with_name("npsdesk"))
FIND_RATIO_TARGET = 8.0  # cold find <= 8x a bare Python start with sqlite3 (~0.3 s here)


def bench_env() -> dict[str, str]:
    """The environment a user's shell gives npsdesk: no settings file, and bytecode caching
    on (an installed package has its .pyc files; PYTHONDONTWRITEBYTECODE would make every
    run compile the sources again and measure that instead)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"NPSDESK_CONFIG": str(CACHE / "none.toml")}


def timed(command: Sequence[str], runs: int) -> float:
    """Median wall time of `runs` fresh processes (after one warm-up for the page cache)."""
    env = bench_env()
    samples = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
        if i:
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def build_store(path: Path, opinions: int) -> str:
    """A store at the program's schema with `opinions` opinions; returns a CNPJ to look up."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from npsdesk.domain.cnpj import make_cnpj
    from npsdesk.store.db import Database, to_db_time
    from npsdesk.store.schema import ensure_schema

    rng = random.Random(7)
    db = Database(path)
    ensure_schema(db)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    words = [
        "sistema",
        "lento",
        "suporte",
        "demorou",
        "atendimento",
        "ótimo",
        "pdv",
        "trava",
        "nota",
        "fiscal",
        "preço",
    ]
    customers = max(1, opinions // 3)
    cnpjs = [make_cnpj(f"{10_000_000 + i:08d}") for i in range(customers)]
    with db.write() as conn:
        conn.executemany(
            "INSERT INTO respondent (id, name, email, phone, cnpj, company, vertical, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    i + 1,
                    f"Cliente {i}",
                    f"c{i}@exemplo.com.br",
                    f"+55119{i:08d}",
                    cnpjs[i],
                    f"Empresa {i} Ltda",
                    rng.choice(["Farma", "Food", "Retail"]),
                    "x",
                    "x",
                )
                for i in range(customers)
            ),
        )

        def rows() -> object:
            for i in range(opinions):
                score = rng.randint(0, 10)
                cls = "promoter" if score >= 9 else "neutral" if score >= 7 else "detractor"
                answered = now - timedelta(minutes=rng.randint(0, 525_600))
                yield (
                    "bench",
                    f"B-{i}",
                    rng.randint(1, customers),
                    score,
                    cls,
                    " ".join(rng.choices(words, k=6)),
                    to_db_time(answered),
                    False,
                    "untreated",
                    False,
                    answered.date().isoformat(),
                    1 if cls == "detractor" else 2 if cls == "neutral" else 3,
                    "x",
                    "x",
                )

        conn.executemany(
            "INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, comment,"
            " answered_at, internal, status, archived, deadline, priority, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows(),  # type: ignore[arg-type]
        )
    db.close()
    return cnpjs[customers // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opinions", type=int, default=100_000)
    parser.add_argument(
        "--runs", type=int, help="samples per figure (default 10; the desk's own counts)"
    )
    parser.add_argument(
        "--only",
        choices=["find", "import", "contention", "desk", "dashboard", "postgres", "replies"],
    )
    parser.add_argument("--big", action="store_true", help="also import 1M rows (minutes)")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    failed = False
    find_args = argparse.Namespace(**{**vars(args), "runs": args.runs or 10})
    if args.only in (None, "find"):
        failed |= bench_find(find_args)
    if args.only in (None, "import"):
        failed |= bench_import(args)
    if args.only in (None, "contention"):
        from contention import bench_contention

        failed |= bench_contention()
    if args.only in (None, "desk"):
        from desk import bench_desk

        failed |= bench_desk(bench_env(), runs=args.runs)
    if args.only in (None, "dashboard"):
        from dashboard import bench_dashboard

        failed |= bench_dashboard(1_000_000 if args.big else args.opinions, runs=5)
    if args.only in (None, "postgres"):
        from postgres import bench_postgres

        failed |= bench_postgres(runs=args.runs)
    if args.only in (None, "replies"):
        from replies import bench_replies

        failed |= bench_replies()
    return 1 if failed else 0


def bench_find(args: argparse.Namespace) -> bool:
    store = CACHE / f"find-{args.opinions}.sqlite"
    if not store.exists():
        started = time.perf_counter()
        cnpj = build_store(store, args.opinions)
        (CACHE / f"{store.name}.cnpj").write_text(cnpj)
        print(f"built {store} ({args.opinions} opinions) in {time.perf_counter() - started:.1f} s")
    cnpj = (CACHE / f"{store.name}.cnpj").read_text()

    baseline = timed([sys.executable, "-c", "import sqlite3"], args.runs)
    cases = {
        "find CNPJ (formatted)": [
            "find",
            f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}",
        ],
        "find words (FTS)": ["find", "suporte lento"],
        "find e-mail": ["find", "c17@exemplo.com.br"],
        "find phone digits": ["find", "11900000017"],
        "find --json CNPJ": ["find", cnpj, "--json"],
        "show": ["show", "50000"],
        "report (all)": ["report"],
    }
    print(
        f"\nbaseline python -c 'import sqlite3': {baseline * 1000:.0f} ms (median of {args.runs})"
    )
    print(f"{'command':<24} {'median':>8} {'ratio':>7}  target")
    failed = False
    for name, command in cases.items():
        seconds = timed([NPSDESK, "--store", str(store), *command], args.runs)
        ratio = seconds / baseline
        check = ""
        if name.startswith("find"):
            ok = ratio <= FIND_RATIO_TARGET
            failed |= not ok
            check = f"<= {FIND_RATIO_TARGET:.0f}x {'ok' if ok else 'MISSED'}"
        print(f"{name:<24} {seconds * 1000:>6.0f} ms {ratio:>6.1f}x  {check}")
    return failed


NAIVE_BASELINE = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
with open(sys.argv[1], encoding="cp1252", newline="") as handle:
    rows = csv.reader(handle, delimiter=";")
    next(rows)
    conn.executemany(
        "INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, comment, "
        "sent_at, answered_at, campaign, internal, status, archived, deadline, priority, "
        "created_at, updated_at) VALUES ('naive', ?, 1, ?, 'neutral', ?, ?, ?, ?, 0, "
        "'untreated', 0, '2026-01-01', 2, 'x', 'x')",
        ((r[0], 8, r[4], r[1], r[2], r[12]) for r in rows),
    )
conn.execute("COMMIT")
"""
IMPORT_RATIO_TARGET = 0.5


def fresh_store(path: Path, *, with_respondent: bool = False) -> None:
    from npsdesk.store.db import Database
    from npsdesk.store.schema import ensure_schema

    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    db = Database(path)
    ensure_schema(db)
    if with_respondent:
        with db.write() as conn:
            conn.execute(
                "INSERT INTO respondent (id, name, created_at, updated_at) "
                "VALUES (1, 'x', 'x', 'x')"
            )
    db.close()


def timed_once(command: Sequence[str]) -> float:
    env = bench_env()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def peak_rss_mb(command: Sequence[str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of a command, measured from a fresh parent process."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    env = bench_env()
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True, env=env
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def bench_import(args: argparse.Namespace) -> bool:
    from datasets import survey_csv

    sizes = [100_000] + ([1_000_000] if args.big else [])
    failed = False
    print(f"\n{'import':<34} {'seconds':>8} {'rows/s':>9} {'ratio':>6}  target")
    for rows in sizes:
        source = survey_csv(rows)
        naive_store, store = CACHE / "naive.sqlite", CACHE / "import.sqlite"
        fresh_store(naive_store, with_respondent=True)
        fresh_store(store)
        base = timed_once([sys.executable, "-c", NAIVE_BASELINE, str(source), str(naive_store)])
        command = [NPSDESK, "--store", str(store), "import", str(source), "--json"]
        seconds, peak = peak_rss_mb(command)
        again = timed_once(command)  # the same file again: a sync that changes nothing
        ratio = base / seconds
        ok = ratio >= IMPORT_RATIO_TARGET
        failed |= not ok
        print(f"{f'naive csv+executemany {rows:,}':<34} {base:>8.2f} {rows / base:>9,.0f}")
        verdict = "ok" if ok else "MISSED"
        print(
            f"{f'npsdesk import {rows:,}':<34} {seconds:>8.2f} {rows / seconds:>9,.0f} "
            f"{ratio:>5.2f}x  >= {IMPORT_RATIO_TARGET}x {verdict}"
        )
        print(f"{'npsdesk import again (sync)':<34} {again:>8.2f} {rows / again:>9,.0f}")
        rss_ok = peak < 300
        failed |= not rss_ok
        print(
            f"{'peak RSS of the import':<34} {peak:>7.0f} MB {'':>16}  < 300 MB "
            f"{'ok' if rss_ok else 'MISSED'}"
        )
    return failed


if __name__ == "__main__":
    sys.exit(main())
