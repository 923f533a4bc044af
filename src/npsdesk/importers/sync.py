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
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import npsdesk.importers.values as v
from npsdesk.domain.hashing import identifier_hash
from npsdesk.domain.models import EventKind, NpsClass
from npsdesk.domain.nps import classify
from npsdesk.domain.ordering import default_priority
from npsdesk.errors import StoreError, StoreFull
from npsdesk.importers.headers import ColumnMap, HeaderError, map_headers
from npsdesk.importers.readers import ImportFileError, Record, Table, open_table
from npsdesk.importers.results import ImportResult, Reject, RejectFile
from npsdesk.store import batches, case_reads, case_writes, import_lock, intake_writes, mailbox
from npsdesk.store.campaigns import link_responses
from npsdesk.store.case_writes import NewEvent
from npsdesk.store.connection import Connection, Row, Store
from npsdesk.store.db import to_db_time
from npsdesk.store.intake_writes import OpinionData, RespondentData
from npsdesk.store.visibility import open_batches
from npsdesk.untrusted.csv_cells import unneutralize

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

CHUNK = 2000
DEFAULT_SOURCE = "survey"
KEPT_REJECTS = 1000  # in memory for the summary; the reject file has them all
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


@dataclass(slots=True)
class _Response:
    line: int
    source: str
    external_id: str
    score: int
    nps_class: NpsClass
    answered_at: datetime
    sent_at: datetime | None
    comment: str | None
    campaign: str | None
    internal: bool
    respondent: RespondentData
    token: str | None = None


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
    ) -> None:
        self.services = services
        self.options = options or ImportOptions()
        self.progress = progress
        self.rejects_dir = rejects_dir
        self.tz = services.settings.tz
        self.actor = services.settings.analyst
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
                run.close_rejects()
        return result


class _Run:
    """The state of one file's import inside its transaction."""

    def __init__(self, importer: Importer, table: Table, columns: ColumnMap, result: ImportResult):
        self.importer = importer
        self.table = table
        self.columns = columns
        self.result = result
        self.now = importer.services.clock.now()
        self.text_cleaner = unneutralize if table.format in ("csv", "xlsx") else None
        self.respondents: dict[tuple[str | None, str | None], int] = {}
        self.touched: set[int] = set()  # existing opinions this file already matched
        self.seen_customers: set[tuple[str | None, str | None]] = set()
        self._rejects: RejectFile | None = None
        self.conn: Connection  # the write transaction of the step under way
        self._handled = sys.exc_info()[1]  # a caller's, not this run's (see close_rejects)
        self.salt: str | None = None
        self.suppressed: frozenset[str] = frozenset()

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
            self.salt, self.suppressed = mailbox.suppression(conn)
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
                parsed = self._parse_responses(chunk)  # outside the lock: others write now
                with db.write() as conn:
                    self.conn = conn
                    self._responses(parsed)
            else:
                customers = self._parse_customers(chunk)
                with db.write() as conn:
                    self.conn = conn
                    self._customers(customers)
            if importer.progress is not None:
                done, total = self.table.progress()
                importer.progress(result.rows, done, total)
        with db.write() as conn:
            self.conn = conn
            self._land(conn)
            if importer.options.dry_run:
                raise _DryRun

    def _land(self, conn: Connection) -> None:
        """The batch lands: staged changes applied, history written, then shown to all."""
        importer, result = self.importer, self.result
        assert result.batch is not None
        for target, target_id, values in batches.staged_changes(conn, result.batch):
            if target == "opinion":
                self._apply_opinion(target_id, values)
            else:
                self._apply_respondent(target_id, values)
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

    def _cells(self, record: Record) -> Mapping[str, object]:
        """The record's cells by field; a malformed, short or long row is a RowError."""
        width = len(self.table.headers)
        cells = record.values
        if not cells:
            raise v.RowError(record.reason, record.error or "the record could not be read as cells")
        if len(cells) < width:
            raise v.RowError("short_row", f"{len(cells)} of {width} cells")
        if len(cells) > width and any(c not in (None, "") for c in cells[width:]):
            raise v.RowError("long_row", f"{len(cells)} cells for {width} headers")
        return {name: cells[index] for name, index in self.columns.columns.items()}

    def _text(self, cells: Mapping[str, object], name: str, *, lines: bool = False) -> str | None:
        """The field as one line of text (whitespace collapsed), or with `lines` as typed."""
        parse = v.parse_text if lines else v.parse_line
        try:
            text = parse(cells.get(name))
        except v.RowError as error:  # too long: say which field
            raise v.RowError(error.reason, f"{name}: {error.detail}") from None
        if text is not None and self.text_cleaner is not None:
            text = self.text_cleaner(text)
        return text

    def _respondent_data(self, cells: Mapping[str, object]) -> RespondentData:
        return RespondentData(
            name=self._text(cells, "name"),
            email=v.parse_email(cells.get("email")),
            phone=v.parse_phone(cells.get("phone")),
            cnpj=v.parse_cnpj(cells.get("cnpj")),
            company=self._text(cells, "company"),
            product=self._text(cells, "product"),
            vertical=self._text(cells, "vertical"),
            state=self._text(cells, "state"),
            last_service_at=v.parse_day(cells.get("last_service_at")),
        )

    def _parse_response(self, record: Record) -> _Response:
        cells = self._cells(record)
        score = v.parse_score(cells.get("score"))
        answered_at = v.parse_moment(cells.get("answered_at"), self.importer.tz)
        if answered_at is None:
            raise v.RowError("missing_date", "no answer date")
        respondent = self._respondent_data(cells)
        if not (respondent.email or respondent.phone or respondent.cnpj):
            raise v.RowError("no_contact", "no e-mail, phone or CNPJ to reach the respondent")
        if self.suppressed:
            self._check_suppressed(respondent)
        options = self.importer.options
        internal = options.internal
        if internal is None:
            internal = v.parse_flag(cells.get("internal")) if "internal" in cells else False
        campaign = self._text(cells, "campaign")
        # an opinion's identity is kept exactly as earlier imports stored it
        source = self._text(cells, "source", lines=True) or options.source or DEFAULT_SOURCE
        external_id = self._text(cells, "external_id", lines=True) or _stable_key(
            respondent, answered_at, score, campaign
        )
        return _Response(
            line=record.line,
            source=source,
            external_id=external_id,
            score=score,
            nps_class=classify(score),
            answered_at=answered_at,
            sent_at=v.parse_moment(cells.get("sent_at"), self.importer.tz),
            comment=self._text(cells, "comment", lines=True),
            campaign=campaign,
            internal=internal,
            respondent=respondent,
            token=self._text(cells, "token", lines=True),
        )

    # responses ---------------------------------------------------------------------------

    def _parse_responses(self, chunk: list[Record]) -> list[_Response]:
        parsed: list[_Response] = []
        for record in chunk:
            try:
                parsed.append(self._parse_response(record))
            except v.RowError as error:
                self._reject(record, error)
        return parsed

    def _responses(self, parsed: list[_Response]) -> None:
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
                self.conn, self.result.batch, self.importer.actor, self.now, after=before
            )
        self.result.new += len(fresh)

    def _existing(self, rows: list[_Response]) -> dict[tuple[str, str], Row]:
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

    def _new_opinion(self, row: _Response, respondent_id: int) -> OpinionData:
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

    def _update_opinion(self, found: Row, row: _Response) -> bool:
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

    def _apply_opinion(self, opinion_id: int, incoming: Mapping[str, object]) -> None:
        """Apply a later export's platform fields; local treatment fields stay. Compared
        with the opinion as it is now: a colleague may have changed it since it was staged."""
        found = case_reads.opinion_for_import(self.conn, opinion_id)
        if found is None:  # erased meanwhile
            return
        changes = {k: new for k, new in incoming.items() if found[k] != new}
        if not changes:
            return
        score = int(incoming["score"])  # type: ignore[call-overload]
        nps_class = classify(score)
        if "score" in changes:
            changes["nps_class"] = nps_class.value
        intake_writes.update_platform(self.conn, opinion_id, changes, self.now)
        answered_at = datetime.fromisoformat(f"{incoming['answered_at']}+00:00")
        case = self._recomputed_defaults(found, nps_class, answered_at)
        if case:
            case_writes.update_case(self.conn, opinion_id, case, self.now)
        shown = {k: (found[k], new) for k, new in {**changes, **case}.items() if k != "nps_class"}
        self._record_changes(shown, opinion_id, int(found["respondent_id"]))

    def _recomputed_defaults(
        self, found: Row, nps_class: NpsClass, answered_at: datetime
    ) -> dict[str, object]:
        """A corrected score or answer time moves priority and deadline only where nobody
        changed them by hand (they still hold the defaults of the old values)."""
        old_class = NpsClass(found["nps_class"])
        old_answered = datetime.fromisoformat(found["answered_at"] + "+00:00")
        case: dict[str, object] = {}
        if old_class is not nps_class and found["priority"] == default_priority(old_class):
            case["priority"] = int(default_priority(nps_class))
        old_deadline = self._deadline(old_class, old_answered).isoformat()
        new_deadline = self._deadline(nps_class, answered_at).isoformat()
        if found["deadline"] == old_deadline and new_deadline != old_deadline:
            case["deadline"] = new_deadline
        return case

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

    def _apply_respondent(self, respondent_id: int, given: Mapping[str, object]) -> None:
        changed = intake_writes.update_respondent(
            self.conn, respondent_id, intake_writes.respondent_data(given), self.now
        )
        self._record_changes(changed, None, respondent_id)

    def _record_changes(
        self,
        changed: Mapping[str, tuple[object, object]],
        opinion_id: int | None,
        respondent_id: int,
    ) -> None:
        """One `updated_by_import` history entry per changed field."""
        case_writes.append_events(
            self.conn,
            (
                NewEvent(
                    kind=EventKind.UPDATED_BY_IMPORT,
                    at=self.now,
                    actor=self.importer.actor,
                    opinion_id=opinion_id,
                    respondent_id=respondent_id,
                    field=name,
                    old_value=None if old is None else str(old),
                    new_value=None if new is None else str(new),
                    batch_id=self.result.batch,
                )
                for name, (old, new) in changed.items()
            ),
        )

    def _check_suppressed(self, data: RespondentData) -> None:
        """Someone erased at their request does not come back silently with a re-import."""
        assert self.salt is not None
        for kind, value in (("email", data.email), ("cnpj", data.cnpj)):
            if value and identifier_hash(self.salt, kind, value) in self.suppressed:
                raise v.RowError(
                    "suppressed", f"this {kind} asked to be erased and not to be contacted"
                )

    # customer feeds ----------------------------------------------------------------------

    def _parse_customers(self, chunk: list[Record]) -> list[RespondentData]:
        parsed: list[RespondentData] = []
        for record in chunk:
            try:
                data = self._respondent_data(self._cells(record))
                if not (data.cnpj or data.email):
                    raise v.RowError("no_contact", "no CNPJ or e-mail to know the customer by")
                if self.suppressed:
                    self._check_suppressed(data)
            except v.RowError as error:
                self._reject(record, error)
                continue
            parsed.append(data)
        return parsed

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

    # rejects -----------------------------------------------------------------------------

    def _reject(self, record: Record, error: v.RowError) -> None:
        result = self.result
        result.rejected += 1
        reject = Reject(record.line, record.raw, error.reason, error.detail)
        if len(result.rejects) < KEPT_REJECTS:
            result.rejects.append(reject)
        if self.importer.rejects_dir is not None and not self.importer.options.dry_run:
            self._write_reject(reject)

    def _write_reject(self, reject: Reject) -> None:
        if self.result.rejects_error is not None:
            return  # the reject file failed: the summary still has the first rejects
        try:
            if self._rejects is None:
                folder = self.importer.rejects_dir
                assert folder is not None
                self._rejects = RejectFile(folder, self._rejects_name(), self.table.path.name)
            self._rejects.write(reject)
        except OSError as error:
            self._rejects_failed(error)

    def _rejects_name(self) -> str:
        """The file's stem, the batch and the second: one file per batch, never shared."""
        stamp = self.now.astimezone(self.importer.tz).strftime("%Y%m%d-%H%M%S")
        return f"{self.table.path.stem}-rejects-batch-{self.result.batch}-{stamp}.csv"

    def _rejects_failed(self, error: OSError) -> None:
        self.result.rejects_error = str(error)
        rejects, self._rejects = self._rejects, None
        if rejects is not None:
            rejects.discard()

    def close_rejects(self) -> None:
        """Name the finished reject file; a batch that failed (the error on its way up gets a
        note if the reject file failed too) keeps none."""
        rejects, self._rejects = self._rejects, None
        failed = sys.exc_info()[1]
        if failed is not None and failed is not self._handled:
            if rejects is not None:
                rejects.discard()
            if self.result.rejects_error is not None:
                failed.add_note(f"rejects not saved: {self.result.rejects_error}")
            return
        if rejects is not None:
            try:
                self.result.rejects_file = rejects.finish()
            except OSError as error:
                self.result.rejects_error = str(error)


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


def _stable_key(
    respondent: RespondentData, answered_at: datetime, score: int, campaign: str | None
) -> str:
    """An identity for rows without the platform's id: who, when, what score, which campaign."""
    who = respondent.cnpj or respondent.email or respondent.phone or ""
    text = f"{who}|{to_db_time(answered_at)}|{score}|{campaign or ''}"
    return "k:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]


def import_files(
    services: Services, paths: Iterable[Path], options: ImportOptions, **kwargs: Any
) -> list[ImportResult]:
    importer = Importer(services, options, **kwargs)
    return [importer.run(path) for path in paths]
