"""Time `npsdesk store copy` of a large personal store into a throwaway PostgreSQL server.

Usage: .venv/bin/python scripts/bench_store_copy.py [OPINIONS]   (default 100000)

The personal store is the desk benchmark's store (bench/datasets.py: opinions in every
state, one customer per three) with a history like a real one: the import entry of every
opinion, a status change and a note for each treated one, the closing for each closed one,
and a follower on one case in ten. It is copied into an empty team store, then copied again
(everything already there: every case and history entry is compared, nothing written).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]

from tests.pg_cluster import ANALYSTS, Cluster, password_of, server_bin  # noqa: E402

from datasets import desk_store  # noqa: E402

HISTORY = (
    """INSERT INTO event (opinion_id, respondent_id, at, actor, kind, batch_id, body)
       SELECT id, respondent_id, created_at, 'bench', 'imported', 1,
              source || ' ' || external_id FROM opinion""",
    """INSERT INTO event (opinion_id, at, actor, kind, field, old_value, new_value)
       SELECT id, first_action_at, 'ana', 'status_changed', 'status', 'untreated',
              'in_treatment' FROM opinion WHERE status <> 'untreated'""",
    """INSERT INTO event (opinion_id, at, actor, kind, body)
       SELECT id, first_action_at, 'ana', 'note',
              'Cliente retornou a ligação; visita técnica combinada para a semana que vem.'
       FROM opinion WHERE status <> 'untreated'""",
    """INSERT INTO event (opinion_id, at, actor, kind, field, old_value, new_value)
       SELECT id, closed_at, 'ana', 'status_changed', 'status', 'in_treatment', 'closed'
       FROM opinion WHERE status = 'closed'""",
    """INSERT INTO opinion_follower (opinion_id, analyst_id)
       SELECT id, 1 + id % 5 FROM opinion WHERE id % 10 = 0""",
)


def personal_store(opinions: int, folder: Path) -> Path:
    path = folder / "personal.sqlite"
    shutil.copyfile(desk_store(opinions), path)
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("BEGIN")
        for sql in HISTORY:
            conn.execute(sql)
        conn.execute("COMMIT")
        sizes = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in ("respondent", "opinion", "event", "opinion_follower")
        }
    conn.close()
    print("personal store:", ", ".join(f"{n} {t}" for t, n in sizes.items()))
    return path


def main() -> None:
    opinions = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = Path(tempfile.mkdtemp(prefix="npsdesk-copy-bench-"))
    cluster = Cluster(server_bin() or Path("/usr/bin"))
    try:
        personal = personal_store(opinions, folder)
        cluster.start()
        passfile = folder / "pgpass"
        passfile.write_text(
            "".join(f"127.0.0.1:{cluster.port}:*:{u}:{password_of(u)}\n" for u in ANALYSTS)
        )
        passfile.chmod(0o600)
        os.environ["PGPASSFILE"] = str(passfile)
        from npsdesk.bootstrap import open_database
        from npsdesk.domain.clock import SystemClock
        from npsdesk.services.store_copy import copy_store
        from npsdesk.store.schema import ensure_schema

        team = open_database(cluster.url(cluster.create_database()), create=False)
        ensure_schema(team)  # the team store exists before the copy
        for label in ("into an empty team store", "again (everything already there)"):
            source = open_database(str(personal), create=False)
            start = time.perf_counter()
            report = copy_store(source, team, SystemClock())
            seconds = time.perf_counter() - start
            source.close()
            print(f"copy {label}: {seconds:.1f} s, {report.written} rows written")
        team.close()
    finally:
        if cluster.data.exists():
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
