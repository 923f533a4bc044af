"""Writing while a big import runs: how long a note and an archive wait for their turn.

An import commits a chunk at a time (its rows hidden until the batch lands), so another
program's write gets in between two chunks. Measured here: a note written by this process
(as the desk writes it) and `npsdesk archive` run as a new process (as a script does),
both on an idle store (the baseline, same run) and while `npsdesk import` of a 200k-row
export runs into the same store. Target: the longest wait during the import under 2 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
NPSDESK = str(Path(sys.executable).with_name("npsdesk"))
TARGET_SECONDS = 2.0


def _note_seconds(services: object, opinion_id: int, text: str) -> float:
    started = time.perf_counter()
    services.cases().add_note(opinion_id, text)  # type: ignore[attr-defined]
    return time.perf_counter() - started


def _archive_seconds(store: Path, opinion_id: int, verb: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [NPSDESK, "--store", str(store), verb, "--id", str(opinion_id)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def bench_contention(rows: int = 200_000) -> bool:
    sys.path.insert(0, str(HERE.parent / "src"))
    from datasets import survey_csv
    from npsdesk.bootstrap import bootstrap
    from npsdesk.config.settings import load_settings
    from run import bench_env, fresh_store

    store = CACHE / "contention.sqlite"
    fresh_store(store)
    seed, big = survey_csv(2000), survey_csv(rows)
    subprocess.run([NPSDESK, "--store", str(store), "import", str(seed), "--json"], check=True,
                   stdout=subprocess.DEVNULL, env=bench_env())  # fmt: skip
    services = bootstrap(load_settings(flags={"store": str(store)}))
    case = services.lookup.find("TRK-100007")[0].id
    idle_notes = [_note_seconds(services, case, f"idle {i}") for i in range(20)]
    verbs = ("archive", "unarchive")
    idle_archives = [_archive_seconds(store, case, verbs[i % 2]) for i in range(6)]

    importing = subprocess.Popen(
        [NPSDESK, "--store", str(store), "import", str(big), "--json"],
        stdout=subprocess.DEVNULL,
        env=bench_env(),
    )
    started = time.perf_counter()
    notes: list[float] = []
    archives: list[float] = []
    while importing.poll() is None:
        notes.append(_note_seconds(services, case, f"during {len(notes)}"))
        archives.append(_archive_seconds(store, case, verbs[len(archives) % 2]))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    services.close()
    if importing.returncode != 0:
        print(f"the import failed (rc {importing.returncode})")
        return True

    print(f"\n{'writing during an import':<38} {'median':>8} {'longest':>8}  target")
    print(f"{'note, idle store (baseline)':<38} {statistics.median(idle_notes):>7.3f}s "
          f"{max(idle_notes):>7.3f}s")  # fmt: skip
    longest_note = max(notes) if notes else float("inf")
    note_ok = longest_note < TARGET_SECONDS
    print(
        f"{f'note during a {rows:,}-row import':<38} {statistics.median(notes):>7.3f}s "
        f"{longest_note:>7.3f}s  < {TARGET_SECONDS:g} s {'ok' if note_ok else 'MISSED'}"
        f"  ({len(notes)} notes)"
    )
    print(f"{'npsdesk archive, idle (baseline)':<38} {statistics.median(idle_archives):>7.3f}s "
          f"{max(idle_archives):>7.3f}s")  # fmt: skip
    idle_archive = statistics.median(idle_archives)
    longest_archive = max(archives) if archives else float("inf")
    archive_ok = longest_archive - idle_archive < TARGET_SECONDS
    print(
        f"{'npsdesk archive during the import':<38} {statistics.median(archives):>7.3f}s "
        f"{longest_archive:>7.3f}s  wait < {TARGET_SECONDS:g} s over the idle median "
        f"{'ok' if archive_ok else 'MISSED'}  ({len(archives)} runs)"
    )
    print(f"{'the import itself':<38} {seconds:>7.1f}s {rows / seconds:>8,.0f} rows/s")
    return not (note_ok and archive_ok)


if __name__ == "__main__":
    sys.exit(1 if bench_contention() else 0)
