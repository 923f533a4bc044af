"""Export opinions to CSV, XLSX or JSON for spreadsheets, reports and other tools.

CSV and XLSX are for Excel users in Brazil: Portuguese headers and labels, local times,
UTF-8 with BOM and `;`, and text cells that cannot run as formulas (`npsdesk.untrusted.csv_cells`).
JSON is data: English names, ISO 8601 times with the zone's offset.

A file is written next to its target and renamed over it only when complete, readable by
its owner only: an export that fails leaves no half file and the previous one untouched.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from npsdesk.domain.cnpj import format_cnpj
from npsdesk.domain.models import DomainError, Status
from npsdesk.domain.periods import Period
from npsdesk.domain.phones import format_phone
from npsdesk.store import exports
from npsdesk.store.db import to_db_time
from npsdesk.store.exports import ExportRow
from npsdesk.untrusted.csv_cells import neutralize
from npsdesk.untrusted.text import strip_controls

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services

__all__ = ["FORMATS", "HEADERS", "SHEET_NAME", "ExportFilter", "export_opinions"]

FORMATS = ("csv", "xlsx", "json")
SHEET_NAME = "Opiniões"
HEADERS = (
    "ID da resposta",
    "Origem",
    "Nota",
    "Classe",
    "Comentário",
    "Data de envio",
    "Data da resposta",
    "Campanha",
    "Pesquisa interna",
    "Nome",
    "E-mail",
    "Telefone",
    "CNPJ",
    "Razão Social",
    "Produto",
    "Vertical",
    "UF",
    "Status",
    "Arquivada",
    "Prazo",
    "Prioridade",
    "Tipo",
    "Categoria",
    "Responsável",
    "Seguidores",
    "Última nota",
    "ID",
)
CSV_TIME = "%d/%m/%Y %H:%M:%S"
CSV_DATE = "%d/%m/%Y"
XLSX_TIME = "dd/mm/yyyy hh:mm:ss"
XLSX_DATE = "dd/mm/yyyy"

# The Portuguese labels analysts read (the same words as the desk's catalogue).
_CLASS = {"promoter": "promotor", "neutral": "neutro", "detractor": "detrator"}
_STATUS = {"untreated": "sem atendimento", "in_treatment": "em atendimento", "closed": "fechada"}
_TYPE = {
    "praise": "Elogio",
    "complaint": "Reclamação",
    "suggestion": "Sugestão",
    "none": "Nenhum",
}
_PRIORITY = {1: "alta", 2: "média", 3: "baixa"}
_YES_NO = {True: "Sim", False: "Não"}

# XML 1.0 cannot hold these even after strip_controls (which removes the C0 and C1 controls).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")

Cell = str | int | datetime | date | None


@dataclass(frozen=True)
class ExportFilter:
    period: Period = field(default_factory=Period)
    statuses: tuple[str, ...] = ()
    archived: bool | None = None  # None: both; True: only archived; False: only not archived


def export_opinions(
    services: Services,
    out: Path,
    *,
    fmt: str | None = None,
    filters: ExportFilter = ExportFilter(),
) -> int:
    """Write the chosen opinions to `out`; the number of opinions written.

    `fmt` None takes the format from the suffix of `out` (.csv, .xlsx, .json).
    """
    out = Path(out)
    chosen = _format(out, fmt)
    statuses = _statuses(filters.statuses)
    tz = services.settings.tz
    start, end = filters.period.bounds(tz)
    writer = _WRITERS[chosen]
    with services.db.read() as conn:
        rows = exports.iter_export_rows(
            conn,
            start=None if start is None else to_db_time(start),
            end=None if end is None else to_db_time(end),
            statuses=statuses or None,
            archived=filters.archived,
        )
        written = _write_atomically(out, lambda stream: writer(stream, rows, tz))

    period = filters.period
    services.privacy().log_bulk_export(  # the record of processing
        written,
        f"{chosen}; period {period.start or '-'}..{period.end or '-'}; "
        f"status {','.join(statuses) or 'all'}; archived {filters.archived}",
    )
    return written


def _format(out: Path, fmt: str | None) -> str:
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise DomainError(key="refusal.export.suffix", text=out.name)
        return suffix
    chosen = fmt.strip().lower()
    if chosen not in FORMATS:
        raise DomainError(key="refusal.export.format", text=fmt, known=", ".join(FORMATS))
    return chosen


def _statuses(wanted: tuple[str, ...]) -> list[str]:
    known = [s.value for s in Status]
    chosen: list[str] = []
    for status in wanted:
        value = status.strip().lower()
        if value not in known:
            raise DomainError(key="refusal.export.status", text=status, known=", ".join(known))
        if value not in chosen:
            chosen.append(value)
    return chosen


def _write_atomically(out: Path, write: Callable[[IO[bytes]], int]) -> int:
    """Write through a temporary file beside `out` (mode 0o600), renamed over it on success."""
    directory = out.parent
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{out.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as stream:
            count = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(out)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return count


# -- cells -------------------------------------------------------------------------------


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A stored (UTC) moment as the naive local time a spreadsheet shows."""
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)


def _cells(row: ExportRow, tz: ZoneInfo) -> list[Cell]:
    """One spreadsheet row in HEADERS order: text, whole numbers, local times and dates."""
    return [
        row.external_id,
        row.source,
        row.score,
        _CLASS.get(row.nps_class, row.nps_class),
        row.comment,
        _local(row.sent_at, tz),
        _local(row.answered_at, tz),
        row.campaign,
        _YES_NO[row.internal],
        row.name,
        row.email,
        None if row.phone is None else format_phone(row.phone),
        None if row.cnpj is None else format_cnpj(row.cnpj),
        row.company,
        row.product,
        row.vertical,
        row.state,
        _STATUS.get(row.status, row.status),
        _YES_NO[row.archived],
        row.deadline,
        _PRIORITY.get(row.priority, str(row.priority)),
        None if row.type is None else _TYPE.get(row.type, row.type),
        row.category,
        row.responsible,
        ", ".join(row.followers) or None,
        row.last_note,
        row.id,
    ]


def _safe_text(text: str) -> str:
    """Text for a spreadsheet cell: no terminal controls, and never a formula."""
    return neutralize(strip_controls(text))


# -- writers -----------------------------------------------------------------------------


def _write_csv(stream: IO[bytes], rows: Iterator[ExportRow], tz: ZoneInfo) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADERS)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in _cells(row, tz)])
        count += 1
    text.flush()
    text.detach()  # the caller closes the file
    return count


def _csv_cell(cell: Cell) -> str | int:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return _safe_text(cell)
    if isinstance(cell, datetime):
        return cell.strftime(CSV_TIME)
    if isinstance(cell, date):
        return cell.strftime(CSV_DATE)
    return cell


def _write_xlsx(stream: IO[bytes], rows: Iterator[ExportRow], tz: ZoneInfo) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_NAME)
    sheet.append(list(HEADERS))

    def cell(value: Cell) -> Any:
        if isinstance(value, str):
            return _NOT_XML.sub("", _safe_text(value))
        if isinstance(value, datetime):
            dated = WriteOnlyCell(sheet, value=value)
            dated.number_format = XLSX_TIME
            return dated
        if isinstance(value, date):
            dated = WriteOnlyCell(sheet, value=value)
            dated.number_format = XLSX_DATE
            return dated
        return value

    count = 0
    try:
        for row in rows:
            sheet.append([cell(value) for value in _cells(row, tz)])
            count += 1
    except BaseException:
        _discard_sheet(sheet)
        raise
    book.save(stream)
    return count


def _discard_sheet(sheet: Any) -> None:
    """Close a write-only sheet given up midway and remove the rows it spooled to disk."""
    with contextlib.suppress(Exception):
        sheet.close()
    writer = getattr(sheet, "_writer", None)
    if writer is not None:
        with contextlib.suppress(Exception):
            writer.cleanup()


def _write_json(stream: IO[bytes], rows: Iterator[ExportRow], tz: ZoneInfo) -> int:
    """A JSON array written one object at a time."""
    count = 0
    stream.write(b"[")
    for row in rows:
        item = json.dumps(_json(row, tz), ensure_ascii=False)
        stream.write((",\n" if count else "\n").encode() + item.encode("utf-8"))
        count += 1
    stream.write(b"\n]\n" if count else b"]\n")
    return count


def _json(row: ExportRow, tz: ZoneInfo) -> dict[str, Any]:
    """The names of `OpinionView.to_json()` plus `last_note`; times with the zone's offset."""

    def text(value: str | None) -> str | None:
        return None if value is None else strip_controls(value)

    def moment(value: datetime | None) -> str | None:
        return None if value is None else value.astimezone(tz).isoformat()

    return {
        "id": row.id,
        "external_id": text(row.external_id),
        "source": text(row.source),
        "score": row.score,
        "class": row.nps_class,
        "status": row.status,
        "archived": row.archived,
        "deadline": row.deadline.isoformat(),
        "priority": row.priority,
        "answered_at": moment(row.answered_at),
        "sent_at": moment(row.sent_at),
        "campaign": text(row.campaign),
        "internal": row.internal,
        "type": row.type,
        "category": text(row.category),
        "responsible": text(row.responsible),
        "followers": [strip_controls(name) for name in row.followers],
        "name": text(row.name),
        "email": text(row.email),
        "phone": row.phone,
        "cnpj": row.cnpj,
        "company": text(row.company),
        "product": text(row.product),
        "vertical": text(row.vertical),
        "state": text(row.state),
        "comment": text(row.comment),
        "last_note": text(row.last_note),
    }


_WRITERS: dict[str, Callable[[IO[bytes], Iterator[ExportRow], ZoneInfo], int]] = {
    "csv": _write_csv,
    "xlsx": _write_xlsx,
    "json": _write_json,
}
