"""Moving a personal store (an SQLite file) into the team store (PostgreSQL).

The team store may already hold data: another analyst's copy, or the same survey export
imported by someone else. Ids of the two stores mean nothing to each other, so every row is
matched by what it is, and new rows take the team store's next ids (references remapped):

- analyst by username, category by name, import batch by (sha256, file, start);
- opinion by (source, external id). One the team store already has keeps the team's case
  fields (status, responsible, category...); the copy counts it "already there" and reports
  it as a conflict when the two stores treated it differently;
- respondent through its opinions, else the same CNPJ, e-mail, name and phone, else new;
- followers are added; the history of a new case is copied whole, that of a case the team
  store has gets the entries it lacks (same moment, actor, kind and content);
- mail, campaigns, coupons, settings and the privacy tables: see `store_copy_mail`.

Everything is written in one transaction on the team store, and checked before it commits:
per table, the personal store's rows must be copied, already there or skipped for a stated
reason, the team store must have grown by what was copied, and every row copied or already
there must be found in it. Running the copy again finds everything there and writes nothing.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from npsdesk.domain.clock import Clock
from npsdesk.services import store_copy_mail as mail
from npsdesk.services import store_copy_replies as replies
from npsdesk.services.store_copy_report import (
    Conflict,
    CopyFailed,
    CopyRefused,
    CopyReport,
    TableCount,
)
from npsdesk.store import copying
from npsdesk.store.connection import Connection, Row, Store
from npsdesk.store.copying import key_text
from npsdesk.store.schema import current_revision, ensure_schema
from npsdesk.store.visibility import open_batches

if TYPE_CHECKING:
    from npsdesk.store.pg_connection import PgConnection

EXAMPLES = 5  # conflicting cases named in the report


@dataclass
class Run:
    """One copy under way: both connections, the id maps and the report."""

    src: Connection
    dst: PgConnection
    now: datetime
    report: CopyReport
    ids: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    new: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # source ids

    def table(self, name: str) -> TableCount:
        count = TableCount(
            name,
            personal=copying.count(self.src, name),
            team_before=copying.count(self.dst, name),
        )
        self.report.tables[name] = count
        return count


def copy_store(source: Store, target: Store, clock: Clock) -> CopyReport:
    """Copy `source` (an SQLite store) into `target` (the team store): all or nothing."""
    if source.dialect != "sqlite" or target.dialect != "postgresql":
        raise CopyRefused(key="refusal.store_copy.direction")
    if current_revision(source) is None:
        raise CopyRefused(key="refusal.store_copy.not_a_store", label=source.label)
    started = time.perf_counter()
    report = CopyReport(source.label, target.label)
    report.backup = ensure_schema(source)
    ensure_schema(target)
    with source.read() as src:
        if open_batches(src):
            raise CopyRefused(key="refusal.store_copy.import_open", label=source.label)
    with source.read() as src, target.write() as dst:
        # One snapshot for the counts before and after; a concurrent change to the same
        # rows fails the copy (nothing written) instead of skewing it.
        copying.one_snapshot(dst)
        run = Run(src, dst, clock.now(), report)
        copying.create_staging(dst)
        copy_registry(run, "analyst", ("username",))
        copy_registry(run, "category", ("name",))
        copy_registry(run, "import_batch", ("sha256", "file_name", "started_at"))
        copy_cases(run)
        copy_followers(run)
        mail.copy_outbox(run)
        copy_history(run)
        copy_registry(run, "campaign", ("name",))
        mail.copy_participants(run)
        mail.copy_coupons(run)
        mail.copy_settings(run)
        mail.copy_suppression(run)
        replies.copy_received(run)
        replies.copy_cursors(run)
        replies.copy_address_flags(run)
        mail.copy_processing_log(run)
        verify(run)
        if report.written:
            mail.log_copy(run, target)
    report.seconds = time.perf_counter() - started
    return report


def verify(run: Run) -> None:
    problems = []
    for name, count in run.report.tables.items():
        count.team = copying.count(run.dst, name)
        problems.extend(count.problems())
    if problems:
        raise CopyFailed(key="refusal.store_copy.failed", problems=tuple(problems))


def _key(row: Row, key: Sequence[str]) -> tuple[str, ...]:
    # timestamps: the SQLite text and PostgreSQL's text agree to the second
    return tuple(key_text(row[k])[:19] if k.endswith("_at") else key_text(row[k]) for k in key)


def copy_registry(run: Run, table: str, key: Sequence[str]) -> None:
    """A small table matched by a natural key: rows the team store lacks are added; the
    team's own rows are left as they are."""
    count = run.table(table)
    columns = copying.columns_of(run.src, table)
    rows = [row for batch in copying.source_rows(run.src, table, columns) for row in batch]
    team = {_key(row, key): int(row["id"]) for row in copying.rows_of(run.dst, table, ("id", *key))}
    fresh: list[Row] = []
    for row in rows:
        if _key(row, key) not in team:
            team[_key(row, key)] = -len(fresh) - 1  # a duplicate key in the file: one row
            fresh.append(row)
    ids = copying.insert_new(
        run.dst, table, columns, [copying.values(table, r, columns, run.ids) for r in fresh]
    )
    for row, new_id in zip(fresh, ids, strict=True):
        team[_key(row, key)] = new_id
        run.new[table].add(int(row["id"]))
    for row in rows:
        run.ids[table][int(row["id"])] = team[_key(row, key)]
    count.copied, count.already = len(fresh), len(rows) - len(fresh)
    found = copying.found_ids(run.dst, table, run.ids[table].values())
    count.found = sum(1 for row in rows if run.ids[table][int(row["id"])] in found)


def copy_cases(run: Run) -> None:
    """Respondents and opinions: matched, or added under the team store's ids."""
    respondents, opinions = run.table("respondent"), run.table("opinion")
    owners: list[tuple[int, int]] = []  # (opinion, respondent) of the personal store
    for batch in copying.chunks(run.src, copying.SOURCE_OPINIONS):
        copying.stage(run.dst, "opinion", copying.STAGED_OPINION, (r[:-1] for r in batch))
        owners.extend((int(r[0]), int(r[-1])) for r in batch)
    team = {int(row["source_id"]): row for row in copying.existing_opinions(run.dst)}
    # a respondent whose opinions the team store has is the team's respondent of them
    matched: dict[int, int] = {}
    for opinion, respondent in owners:
        if opinion in team:
            matched.setdefault(respondent, int(team[opinion]["respondent_id"]))
    identity = ("cnpj", "email", "name", "phone")
    for batch in copying.source_rows(run.src, "respondent", identity):
        rest = [tuple(r) for r in batch if int(r[0]) not in matched]
        copying.stage(run.dst, "respondent", ("id", *identity), rest)
    matched.update(copying.same_respondents(run.dst))
    run.ids["respondent"].update(matched)
    if len(matched) < respondents.personal:
        _add_new(run, "respondent", set(matched))
    respondents.copied = len(run.new["respondent"])
    respondents.already = len(matched)
    found = copying.found_ids(run.dst, "respondent", run.ids["respondent"].values())
    respondents.found = sum(1 for v in run.ids["respondent"].values() if v in found)

    for source_id, held in team.items():
        run.ids["opinion"][source_id] = int(held["id"])
        if held["differ"]:
            _conflict(run, held)
    if len(team) < opinions.personal:
        _add_new(run, "opinion", set(team))
    copying.index_for_search(run.dst, [run.ids["opinion"][i] for i in run.new["opinion"]])
    opinions.copied = len(run.new["opinion"])
    opinions.already = len(team)
    opinions.found = copying.opinions_found(run.dst)


def _add_new(run: Run, table: str, matched: set[int]) -> None:
    """The rows of `table` not matched in the team store, added under its ids."""
    columns = copying.columns_of(run.src, table)
    for batch in copying.source_rows(run.src, table, columns):
        fresh = [r for r in batch if int(r[0]) not in matched]
        rows = [copying.values(table, r, columns, run.ids) for r in fresh]
        for row, new_id in zip(
            fresh, copying.insert_new(run.dst, table, columns, rows), strict=True
        ):
            run.ids[table][int(row[0])] = new_id
            run.new[table].add(int(row[0]))


def _conflict(run: Run, held: Row) -> None:
    """A case the two stores treated differently: counted, and the first few named."""
    run.report.conflicts += 1
    if len(run.report.examples) < EXAMPLES:
        run.report.examples.append(
            Conflict(
                str(held["source"]),
                str(held["external_id"]),
                int(held["source_id"]),
                int(held["id"]),
                tuple(held["differ"]),
            )
        )


def copy_followers(run: Run) -> None:
    count = run.table("opinion_follower")
    opinions, analysts = run.ids["opinion"], run.ids["analyst"]
    pairs = [
        (opinions[int(row[0])], analysts[int(row[1])]) for row in copying.follower_pairs(run.src)
    ]
    copying.stage(run.dst, "follower", ("opinion_id", "analyst_id"), pairs)
    count.copied, count.found = copying.copy_followers(run.dst)
    count.already = len(pairs) - count.copied


def copy_history(run: Run) -> None:
    """The history of cases and customers new to the team store goes straight in; the rest
    is staged, and only the entries the team store lacks are written."""
    count = run.table("event")
    columns = copying.EVENT_COLUMNS
    new_opinions, new_respondents = run.new["opinion"], run.new["respondent"]
    fresh = staged = 0
    for batch in copying.source_rows(run.src, "event", columns):
        mine, shared = [], []
        for row in batch:
            opinion, respondent = row["opinion_id"], row["respondent_id"]
            if (
                opinion in new_opinions
                if opinion is not None
                else respondent is not None and respondent in new_respondents
            ):
                mine.append(copying.values("event", row, columns, run.ids))
            else:
                shared.append([row[0], *copying.values("event", row, columns, run.ids)])
        fresh += copying.insert(run.dst, "event", columns, mine)
        staged += copying.stage(run.dst, "event", ("id", *columns), shared)
    count.copied = fresh + copying.copy_events(run.dst)
    count.already = fresh + staged - count.copied
    count.found = (
        copying.events_of(
            run.dst,
            [run.ids["opinion"][i] for i in new_opinions],
            [run.ids["respondent"][i] for i in new_respondents],
        )
        + staged
        - copying.events_missing(run.dst)
    )
