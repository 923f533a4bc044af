"""The dashboard's figures on a big store, each as a ratio to `period_counts` (the summary the
report has always shown) over the same period, measured in the same process.

    .venv/bin/python bench/run.py --only dashboard [--big | --opinions N]

A store of a year of answers with a team at work: statuses, responsibles, first actions and
closings, and a history (each answer's arrival, a note on the cases acted on, our e-mails on
two in five of them, the customers' replies and auto-replies on some). Every figure is one
aggregate query; the trend's buckets are ranges on the answer-date index, closed-per-day is
one pass over the table (closed_at has no index), and the customer replies seek each case's
events on `ix_event_opinion`.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE.parent / "src"))

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
ANALYSTS = ["ana", "bruno", "carla", "diego", "elaine", "fabio", "gisele", "helena"]
# the whole dashboard of a quarter, against the summary alone: five queries instead of one,
# and closed-per-day reads the whole table (closed_at has no index)
FIGURES_RATIO_TARGET = 10.0
# a week trend has four times the buckets of a month trend and should cost about the same
BUCKETS_RATIO_TARGET = 1.5


def build(path: Path, opinions: int) -> None:
    from npsdesk.store.db import Database, to_db_time
    from npsdesk.store.schema import ensure_schema

    rng = random.Random(11)
    db = Database(path)
    ensure_schema(db)
    customers = max(1, opinions // 3)
    with db.write() as conn:
        conn.executemany(
            "INSERT INTO analyst (id, username, name, created_at) VALUES (?, ?, ?, 'x')",
            [(i + 1, name, name.title()) for i, name in enumerate(ANALYSTS)],
        )
        conn.executemany(
            "INSERT INTO respondent (id, name, vertical, created_at, updated_at) "
            "VALUES (?, ?, ?, 'x', 'x')",
            (
                (i + 1, f"Cliente {i}", rng.choice(["Farma", "Food", "Retail", "Postos", None]))
                for i in range(customers)
            ),
        )

        def rows() -> object:
            for i in range(opinions):
                score = rng.randint(0, 10)
                cls = "promoter" if score >= 9 else "neutral" if score >= 7 else "detractor"
                answered = NOW - timedelta(minutes=rng.randint(0, 525_600))
                status = rng.choices(["untreated", "in_treatment", "closed"], [3, 2, 5])[0]
                owner = None if status == "untreated" else rng.randint(1, len(ANALYSTS))
                first = closed = None
                if status != "untreated":
                    first = answered + timedelta(minutes=rng.randint(10, 5_000))
                if status == "closed":
                    closed = min(NOW, first + timedelta(minutes=rng.randint(10, 20_000)))  # type: ignore[operator]
                yield (
                    "bench",
                    f"B-{i}",
                    rng.randint(1, customers),
                    score,
                    cls,
                    to_db_time(answered),
                    rng.random() < 0.02,
                    status,
                    rng.random() < 0.1,
                    answered.date().isoformat(),
                    1 if cls == "detractor" else 2 if cls == "neutral" else 3,
                    owner,
                    None if first is None else to_db_time(first),
                    None if closed is None else to_db_time(closed),
                )

        conn.executemany(
            "INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, "
            "answered_at, internal, status, archived, deadline, priority, responsible_id, "
            "first_action_at, closed_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x', 'x')",
            rows(),  # type: ignore[arg-type]
        )
        history(conn)
    db.close()


def history(conn: Any) -> None:
    """Events drawn from the opinions by their ids (deterministic, in SQL: millions of rows)."""
    acted = "FROM opinion WHERE first_action_at IS NOT NULL"
    emailed = f"{acted} AND id % 5 < 2"
    for select in (
        "SELECT id, respondent_id, answered_at, 'import', 'imported', NULL FROM opinion",
        f"SELECT id, respondent_id, first_action_at, 'ana', 'note', NULL {acted}",
        f"SELECT id, respondent_id, first_action_at, 'ana', 'email_sent', NULL {emailed}",
        "SELECT id, respondent_id, datetime(first_action_at, '+1 minutes'), 'npsdesk',"
        f" 'email_received', 'auto_reply' {emailed} AND id % 7 = 0",
        "SELECT id, respondent_id, datetime(first_action_at, '+' || (id * 37 % 4000) ||"
        f" ' minutes'), 'npsdesk', 'email_received', 'reply' {emailed} AND id % 3 > 0",
    ):
        conn.execute(
            f"INSERT INTO event (opinion_id, respondent_id, at, actor, kind, outcome) {select}"
        )


def median_ms(run: Callable[[], object], runs: int) -> float:
    run()  # warm the page cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def bench_dashboard(opinions: int, runs: int) -> bool:
    from npsdesk.domain.clock import FixedClock
    from npsdesk.domain.figures import Grain
    from npsdesk.domain.periods import Period
    from npsdesk.services.dashboard import DashboardService
    from npsdesk.services.lookup import LookupService
    from npsdesk.store.db import Database

    store = CACHE / f"dashboard-history-{opinions}.sqlite"
    if not store.exists():
        started = time.perf_counter()
        build(store, opinions)
        print(f"built {store} ({opinions:,} opinions) in {time.perf_counter() - started:.1f} s")
    from zoneinfo import ZoneInfo

    lookup = LookupService(Database(store), FixedClock(NOW), ZoneInfo("America/Sao_Paulo"))
    service = DashboardService(lookup)
    quarter = Period(date(2026, 10, 1), date(2026, 11, 20))
    every = Period()
    base = median_ms(lambda: lookup.report(quarter), runs)
    cases: dict[str, Callable[[], object]] = {
        "trend per week (quarter)": lambda: service.trend(quarter, Grain.WEEK),
        "trend per week (all)": lambda: service.trend(every, Grain.WEEK),
        "trend per month (all)": lambda: service.trend(every, Grain.MONTH),
        "per vertical (quarter)": lambda: service.by_vertical(quarter),
        "team + 7 days (quarter)": lambda: service.team(quarter),
        "team + 7 days (all)": lambda: service.team(every),
        "replies (quarter)": lambda: service.replies(quarter),
        "replies (all)": lambda: service.replies(every),
        "whole dashboard (quarter)": lambda: service.figures(quarter),
        "whole dashboard (all)": lambda: service.figures(every),
        "report (all)": lambda: lookup.report(every),
    }
    print(f"\ndashboard on {opinions:,} opinions (median of {runs}, in process)")
    print(f"{'figure':<28} {'median':>9} {'ratio':>7}  target")
    print(f"{'report (quarter): baseline':<28} {base:>6.0f} ms {1:>6.1f}x")
    failed = False
    measured: dict[str, float] = {}
    for name, run in cases.items():
        ms = measured[name] = median_ms(run, runs)
        check = ""
        if name == "whole dashboard (quarter)":
            ok = ms / base <= FIGURES_RATIO_TARGET
            failed |= not ok
            check = f"<= {FIGURES_RATIO_TARGET:.0f}x {'ok' if ok else 'MISSED'}"
        print(f"{name:<28} {ms:>6.0f} ms {ms / base:>6.1f}x  {check}")
    weeks = measured["trend per week (all)"] / measured["trend per month (all)"]
    ok = weeks <= BUCKETS_RATIO_TARGET
    failed |= not ok
    print(
        f"{'weeks / months (all)':<28} {'':>9} {weeks:>6.1f}x  <= {BUCKETS_RATIO_TARGET}x "
        f"{'ok' if ok else 'MISSED'}"
    )
    lookup.db.close()
    return failed
