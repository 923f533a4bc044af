"""Reading an export's rows: cells by field, checked and parsed into what the store keeps.

Nothing here touches the store: a row that cannot be read is handed to `reject` with its
reason, the rest come back as `ParsedResponse` (a survey answer) or `RespondentData` (a
customer feed's row), ready for the run's write of the chunk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import npsdesk.importers.values as v
from npsdesk.domain.hashing import identifier_hash
from npsdesk.domain.models import NpsClass
from npsdesk.domain.nps import classify
from npsdesk.importers.headers import ColumnMap
from npsdesk.importers.readers import Record, Table
from npsdesk.store.db import to_db_time
from npsdesk.store.intake_writes import RespondentData
from npsdesk.untrusted.csv_cells import unneutralize

if TYPE_CHECKING:
    from npsdesk.importers.sync import ImportOptions

DEFAULT_SOURCE = "survey"


@dataclass(slots=True)
class ParsedResponse:
    """A survey row read and checked: what the store needs of it, nothing written yet."""

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


class RowReader:
    """Reads the rows of one file for one import run."""

    def __init__(
        self,
        table: Table,
        columns: ColumnMap,
        options: ImportOptions,
        tz: ZoneInfo,
        reject: Callable[[Record, v.RowError], None],
    ) -> None:
        self.table = table
        self.columns = columns
        self.options = options
        self.tz = tz
        self.reject = reject
        self.text_cleaner = unneutralize if table.format in ("csv", "xlsx") else None
        self.salt: str | None = None  # the erasure list's, read in the run's first step
        self.suppressed: frozenset[str] = frozenset()

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

    def _response(self, record: Record) -> ParsedResponse:
        cells = self._cells(record)
        score = v.parse_score(cells.get("score"))
        answered_at = v.parse_moment(cells.get("answered_at"), self.tz)
        if answered_at is None:
            raise v.RowError("missing_date", "no answer date")
        respondent = self._respondent_data(cells)
        if not (respondent.email or respondent.phone or respondent.cnpj):
            raise v.RowError("no_contact", "no e-mail, phone or CNPJ to reach the respondent")
        if self.suppressed:
            self._check_suppressed(respondent)
        options = self.options
        internal = options.internal
        if internal is None:
            internal = v.parse_flag(cells.get("internal")) if "internal" in cells else False
        campaign = self._text(cells, "campaign")
        # an opinion's identity is kept exactly as earlier imports stored it
        source = self._text(cells, "source", lines=True) or options.source or DEFAULT_SOURCE
        external_id = self._text(cells, "external_id", lines=True) or _stable_key(
            respondent, answered_at, score, campaign
        )
        return ParsedResponse(
            line=record.line,
            source=source,
            external_id=external_id,
            score=score,
            nps_class=classify(score),
            answered_at=answered_at,
            sent_at=v.parse_moment(cells.get("sent_at"), self.tz),
            comment=self._text(cells, "comment", lines=True),
            campaign=campaign,
            internal=internal,
            respondent=respondent,
            token=self._text(cells, "token", lines=True),
        )

    def responses(self, chunk: list[Record]) -> list[ParsedResponse]:
        parsed: list[ParsedResponse] = []
        for record in chunk:
            try:
                parsed.append(self._response(record))
            except v.RowError as error:
                self.reject(record, error)
        return parsed

    def _check_suppressed(self, data: RespondentData) -> None:
        """Someone erased at their request does not come back silently with a re-import."""
        assert self.salt is not None
        for kind, value in (("email", data.email), ("cnpj", data.cnpj)):
            if value and identifier_hash(self.salt, kind, value) in self.suppressed:
                raise v.RowError(
                    "suppressed", f"this {kind} asked to be erased and not to be contacted"
                )

    def customers(self, chunk: list[Record]) -> list[RespondentData]:
        parsed: list[RespondentData] = []
        for record in chunk:
            try:
                data = self._respondent_data(self._cells(record))
                if not (data.cnpj or data.email):
                    raise v.RowError("no_contact", "no CNPJ or e-mail to know the customer by")
                if self.suppressed:
                    self._check_suppressed(data)
            except v.RowError as error:
                self.reject(record, error)
                continue
            parsed.append(data)
        return parsed


def _stable_key(
    respondent: RespondentData, answered_at: datetime, score: int, campaign: str | None
) -> str:
    """An identity for rows without the platform's id: who, when, what score, which campaign."""
    who = respondent.cnpj or respondent.email or respondent.phone or ""
    text = f"{who}|{to_db_time(answered_at)}|{score}|{campaign or ''}"
    return "k:" + hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:20]
