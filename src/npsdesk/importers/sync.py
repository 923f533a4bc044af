"""An import run: one file, one batch, landing all at once.

Rows become respondents and opinions; a row already in the store (same platform id and
source) updates only the platform's fields and says what changed in the history, so the
treatment work done locally (status, archive, deadline, category, type, responsible,
followers, notes) is never overwritten. Bad rows are rejected with their line and reason and
the rest of the file goes in.

Records are handled in chunks: one query finds a chunk's existing opinions and one
`executemany` inserts its new ones. On SQLite each chunk is its own short transaction, its
rows hidden from every read until the batch lands (`store.batches`), so a note or an archive
gets in between two chunks instead of waiting for the whole file; changes to rows already
shown are staged and applied, with the `imported` history, in one last short transaction.
Killed midway, the store shows all of the batch or none of it, and the next import removes
what an unfinished batch left. On PostgreSQL the import is one transaction. Memory stays
bounded by the chunk and the per-file caches.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from npsdesk.domain.models import NpsClass
from npsdesk.domain.ordering import default_priority
from npsdesk.errors import StoreError, StoreFull
from npsdesk.importers.headers import ColumnMap, HeaderError, map_headers
from npsdesk.importers.landing import Landing, Plan
from npsdesk.importers.readers import ImportFileError, Record, Table, open_table
from npsdesk.importers.rejecting import RejectLog
from npsdesk.importers.results import ImportResult
from npsdesk.importers.row_reading import DEFAULT_SOURCE, ParsedResponse, RowReader
from npsdesk.store import batches, case_reads, import_lock, intake_writes, mailbox, turns
from npsdesk.store.campaigns import link_responses
from npsdesk.store.connection import Connection, Row, Store
from npsdesk.store.db import to_db_time
from npsdesk.store.intake_writes import OpinionData, RespondentData
from npsdesk.store.visibility import open_batches

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

CHUNK = 2000
Progress = Callable[[int, int, int], None]  # rows read, work done, work total


@dataclass(frozen=True)
class ImportOptions:
    kind: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> header
    source: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    internal: bool | None = None  # every row is an internal survey
    dry_run: bool = False


class _DryRun(Exception):
    """Rolls the whole batch back once a dry run has counted everything."""


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class Importer:
    """Imports files into the store of `services` with the given options."""

    def __init__(
        self,
        services: Services,
        options: ImportOptions | None = None,
        *,
        progress: Progress | None = None,
        rejects_dir: Path | None = None,
        actor: str | None = None,
        dated_by_answer: bool = False,
    ) -> None:
        """`actor` signs the history (default: the analyst); with `dated_by_answer` each
        opinion's `imported` entry is dated at its answer (a store rebuilt from past
        exports, as the demo is), else at the import."""
        self.services = services
        self.options = options or ImportOptions()
        self.progress = progress
        self.rejects_dir = rejects_dir
        self.dated_by_answer = dated_by_answer
        self.tz = services.settings.tz
        self.actor = actor or services.settings.analyst
        self.rules = services.rules
        self.calendar = services.calendar
        self.deadlines: dict[tuple[NpsClass, date], date] = {}  # (class, local day) -> due

    # -- the run -----------------------------------------------------------------------------

    def run(self, path: Path) -> ImportResult:
        result = ImportResult(file=path, dry_run=self.options.dry_run)
        if not path.is_file():
            raise ImportFileError(f"{path}: no such file")
        result.sha256 = file_sha256(path)
        options = self.options
        with open_table(path, encoding=options.encoding, sheet=options.sheet) as table:
            try:
                columns = map_headers(table.headers, kind=options.kind, overrides=options.columns)
            except HeaderError as error:
                raise ImportFileError(f"{path}: {error}") from None
            result.kind, result.format, result.encoding = columns.kind, table.format, table.encoding
            result.unmapped = columns.unmapped
            run = _Run(self, table, columns, result)
            try:
                run.execute()
            except _DryRun:
                result.batch = None
            except StoreFull as error:
                raise ImportFileError(_no_space(error, path)) from None
            finally:
                run.rejects.close()
        return result


class _Run:
    """The state of one file's import inside its transaction."""

    def __init__(self, importer: Importer, table: Table, columns: ColumnMap, result: ImportResult):
        self.importer = importer
        self.table = table
        self.columns = columns
        self.result = result
        self.now = importer.services.clock.now()
        self.respondents: dict[tuple[str | None, str | None], int] = {}
        self.touched: set[int] = set()  # existing opinions this file already matched
        self.seen_customers: set[tuple[str | None, str | None]] = set()
        self.conn: Connection  # the write transaction of the step under way
        self.rejects = RejectLog(
            result,
            table.path,
            importer.rejects_dir,
            dry_run=importer.options.dry_run,
            now=self.now,
            tz=importer.tz,
        )
        self.rows = RowReader(table, columns, importer.options, importer.tz, self.rejects.reject)

    # the run ---------------------------------------------------------------------------------

    def execute(self) -> None:
        db = self.importer.services.db
        if db.dialect == "postgresql":  # one transaction: others' writes go on beside it
            with db.write():
                self._steps(db)
            return
        wait: float = getattr(db, "wait", 0.0)
        with import_lock.holding(db.path, wait=wait, on_wait=getattr(db, "on_wait", None)):
            for dead in open_batches(db.connection()):
                batches.discard(db, dead)  # left by an import that was killed
            try:
                self._steps(db)
            except BaseException:
                if self.result.batch is not None:
                    with contextlib.suppress(StoreError):  # else the next import removes it
                        batches.discard(db, self.result.batch)
                raise

    def _steps(self, db: Store) -> None:
        """Open the batch, write it a chunk per transaction (each hidden from every read
        until the batch lands) and land it in one last short transaction."""
        importer, result = self.importer, self.result
        with db.write() as conn:
            self.rows.salt, self.rows.suppressed = mailbox.suppression(conn)
            result.batch = batches.start_batch(
                conn,
                kind=self.columns.kind,
                source=importer.options.source or DEFAULT_SOURCE,
                file_name=self.table.path.name,
                sha256=result.sha256,
                analyst=importer.actor,
                now=self.now,
            )
        responses = self.columns.kind == "responses"
        for chunk in self._chunks():
            if responses:
                parsed = self.rows.responses(chunk)  # outside the lock: others write now
                with db.write() as conn:
                    self.conn = conn
                    self._responses(parsed)
            else:
                customers = self.rows.customers(chunk)
                with db.write() as conn:
                    self.conn = conn
                    self._customers(customers)
            if importer.progress is not None:
                done, total = self.table.progress()
                importer.progress(result.rows, done, total)
            turns.step_aside(db)  # a note or an archive waiting for the store goes first
        assert result.batch is not None
        landing = Landing(result.batch, self.now, importer.actor, self._deadline)
        with db.read() as conn:  # planned without the lock: others wait only for the writes
            plan = landing.plan(conn)
        turns.step_aside(db)
        with db.write() as conn:
            self.conn = conn
            self._land(conn, landing, plan)
            if importer.options.dry_run:
                raise _DryRun

    def _land(self, conn: Connection, landing: Landing, plan: Plan) -> None:
        """The batch lands: staged changes applied, history written, then shown to all."""
        importer, result = self.importer, self.result
        assert result.batch is not None
        landing.apply(conn, plan)
        batches.land(conn, result.batch)
        if self.columns.kind == "responses":
            result.participants = link_responses(conn, result.batch)
        batches.finish_batch(
            conn,
            result.batch,
            {
                "new": result.new,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
                "duplicates": result.duplicates,
            },
            importer.services.clock.now(),
        )

    def _chunks(self) -> Iterator[list[Record]]:
        chunk: list[Record] = []
        for record in self.table.records:
            self.result.rows += 1
            chunk.append(record)
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    # responses ---------------------------------------------------------------------------

    def _responses(self, parsed: list[ParsedResponse]) -> None:
        existing = self._existing(parsed)
        fresh: dict[tuple[str, str], OpinionData] = {}
        for row in parsed:
            key = (row.source, row.external_id)
            found = existing.get(key)
            if key in fresh or (
                found is not None
                and (found["import_batch_id"] == self.result.batch or found["id"] in self.touched)
            ):
                self.result.duplicates += 1
                continue
            respondent_id = self._respondent(row.respondent)
            if found is None:
                fresh[key] = self._new_opinion(row, respondent_id)
            else:
                self.touched.add(found["id"])
                if self._update_opinion(found, row):
                    self.result.updated += 1
                else:
                    self.result.unchanged += 1
        if fresh:
            before = intake_writes.insert_opinions(self.conn, fresh.values(), self.now)
            assert self.result.batch is not None
            intake_writes.record_imported(
                self.conn,
                self.result.batch,
                self.importer.actor,
                self.now,
                after=before,
                at_answer=self.importer.dated_by_answer,
            )
        self.result.new += len(fresh)

    def _existing(self, rows: list[ParsedResponse]) -> dict[tuple[str, str], Row]:
        by_source: dict[str, list[str]] = {}
        for row in rows:
            by_source.setdefault(row.source, []).append(row.external_id)
        found: dict[tuple[str, str], Row] = {}
        for source, ids in by_source.items():
            for existing in case_reads.opinions_by_keys(self.conn, source, ids):
                found[(existing["source"], existing["external_id"])] = existing
        return found

    def _deadline(self, nps_class: NpsClass, answered_at: datetime) -> date:
        local = answered_at.astimezone(self.importer.tz).date()
        key = (nps_class, local)
        cache = self.importer.deadlines
        cached = cache.get(key)
        if cached is None:
            rules = self.importer.rules
            cached = self.importer.calendar.add_business_days(local, rules.days_for(nps_class))
            cache[key] = cached
        return cached

    def _new_opinion(self, row: ParsedResponse, respondent_id: int) -> OpinionData:
        return OpinionData(
            source=row.source,
            external_id=row.external_id,
            respondent_id=respondent_id,
            score=row.score,
            nps_class=row.nps_class.value,
            answered_at=row.answered_at,
            deadline=self._deadline(row.nps_class, row.answered_at),
            priority=int(default_priority(row.nps_class)),
            comment=row.comment,
            sent_at=row.sent_at,
            campaign=row.campaign,
            internal=row.internal,
            import_batch_id=self.result.batch,
            survey_token=row.token,
        )

    def _update_opinion(self, found: Row, row: ParsedResponse) -> bool:
        """A later export's platform fields, staged for the landing when they differ."""
        incoming: dict[str, object] = {
            "score": row.score,
            "comment": row.comment,
            "sent_at": None if row.sent_at is None else to_db_time(row.sent_at),
            "answered_at": to_db_time(row.answered_at),
            "campaign": row.campaign,
            "internal": int(row.internal),
        }
        if all(found[k] == new for k, new in incoming.items()):
            return False
        assert self.result.batch is not None
        batches.stage_change(self.conn, self.result.batch, "opinion", int(found["id"]), incoming)
        return True

    # respondents -------------------------------------------------------------------------

    def _respondent(self, data: RespondentData) -> int:
        """The respondent's id, matched (CNPJ, else e-mail) or created once per file."""
        key = _respondent_key(data)
        known = self.respondents.get(key)
        if known is not None:
            return known
        respondent_id, _ = self._upsert_respondent(data)
        self.respondents[key] = respondent_id
        return respondent_id

    def _upsert_respondent(self, data: RespondentData) -> tuple[int, str]:
        """('new' | 'updated' | 'unchanged') for the respondent `data` describes; a change
        to a known respondent is staged for the landing."""
        found = case_reads.match_respondent(self.conn, data.cnpj, data.email, data.phone)
        if found is None:
            self.result.respondents_new += 1
            return intake_writes.insert_respondent(
                self.conn, data, self.now, self.result.batch
            ), "new"
        if not intake_writes.respondent_changes(self.conn, found, data):
            return found, "unchanged"
        assert self.result.batch is not None
        given = {k: v for k, v in intake_writes.respondent_params(data).items() if v is not None}
        batches.stage_change(self.conn, self.result.batch, "respondent", found, given)
        self.result.respondents_updated += 1
        return found, "updated"

    # customer feeds ----------------------------------------------------------------------

    def _customers(self, parsed: list[RespondentData]) -> None:
        for data in parsed:
            key = _respondent_key(data)
            if key in self.seen_customers:
                self.result.duplicates += 1
                continue
            self.seen_customers.add(key)
            _, outcome = self._upsert_respondent(data)
            if outcome == "new":
                self.result.new += 1
            elif outcome == "updated":
                self.result.updated += 1
            else:
                self.result.unchanged += 1


# What an import takes on disk, per byte of the file (rows, indexes, search index),
# measured on a survey export: CSV and JSON about 4, XLSX (compressed) about 20.
_GROWTH = {"xlsx": 20}


def _no_space(error: StoreFull, path: Path) -> str:
    import math
    import shutil

    store = Path(str(error.path))
    need = path.stat().st_size * _GROWTH.get(path.suffix.lower().lstrip("."), 4)
    try:
        free = shutil.disk_usage(store.parent).free
    except OSError:
        free = 0
    megabytes = max(1, math.ceil((need - free) / 1_000_000))
    return (
        f"no space left on the disk of {store}: nothing from this import was saved; "
        f"free {megabytes} MB and run it again"
    )


def _respondent_key(data: RespondentData) -> tuple[str | None, str | None]:
    """Who a row is about, for the per-file cache: company and contact, else the phone."""
    if data.cnpj or data.email:
        return (data.cnpj, data.email)
    return ("phone", data.phone)


def import_files(
    services: Services, paths: Iterable[Path], options: ImportOptions, **kwargs: Any
) -> list[ImportResult]:
    importer = Importer(services, options, **kwargs)
    return [importer.run(path) for path in paths]
