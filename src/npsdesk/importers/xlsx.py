"""XLSX sheets through openpyxl (read-only): native cells, row numbers as lines.

openpyxl streams a sheet row by row, but holds a whole row, a whole cell and the whole
shared-strings table. A workbook is zipped XML that can inflate a thousandfold, so before
openpyxl reads them the parts it loads whole are checked against `PART_LIMIT` (by the sizes
the zip declares, which is all the zip module will inflate) and the chosen sheet's XML is
scanned, without parsing, for a cell over `CELL_LIMIT` or a row over `ROW_LIMIT` bytes.
"""

from __future__ import annotations

import re
import threading
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

from npsdesk.importers.tables import (
    EXTENSIONS,
    MAX_COLUMNS,
    NOT_A_TABLE,
    ImportFileError,
    ProgressCounter,
    Record,
    Table,
    header_names,
    too_many_columns,
)

CELL_LIMIT = 1 << 20
"""Bytes of sheet XML between two tags (one cell's text): Excel's 32,767 characters fit."""
ROW_LIMIT = 2 << 20
"""Bytes of sheet XML in one row."""
PART_LIMIT = 64 << 20
"""Inflated bytes of a part openpyxl loads whole: shared strings, styles, the workbook."""

_CHUNK = 1 << 16
_ROW_TAG = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])(?:[^<>]*?\sr="([0-9]+)")?')
_TAG_ROOM = 64  # bytes kept from the previous chunk, so that no row tag is cut in two
_NOT_LOADED = ("worksheets/", "media/", "embeddings/", "drawings/", "charts/", "printerSettings/")
_SAVE_AS_CSV = "save the sheet as CSV"
_PATCH = threading.Lock()
_TITLES_LIMIT = 1 << 20  # bytes of the workbook part read to name a sheet in an error
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _check_parts(path: Path) -> dict[str, int]:
    """Refuse a workbook whose parts that openpyxl loads whole inflate past PART_LIMIT, whose
    shared strings hold one over CELL_LIMIT, or with a sheet over the cell or row limit;
    the rows of each sheet by part name."""
    rows: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename
                if "worksheets/" in name and name.endswith(".xml"):
                    with archive.open(info) as xml:
                        rows[name] = _scan(path, xml, f"sheet {_sheet_title(archive, name)}")
                    continue
                if any(part in name for part in _NOT_LOADED):
                    continue
                if info.file_size > PART_LIMIT:
                    raise ImportFileError.about(
                        path,
                        f"{name} inflates to {info.file_size:,} bytes: over the limit of "
                        f"{PART_LIMIT:,}; {_SAVE_AS_CSV}",
                    )
                if name.lower().endswith("sharedstrings.xml"):
                    with archive.open(info) as xml:
                        _scan(path, xml, "the shared strings", rows=False)
    except (zipfile.BadZipFile, OSError):
        pass  # openpyxl says what is wrong with it
    return rows


@contextmanager
def _no_size_walk() -> Iterator[None]:
    """Load without openpyxl's look for each sheet's size: a sheet without a <dimension>
    element is then parsed whole at load, every row element kept. The rows are counted by
    `_scan` and the dimensions reset anyway."""
    from openpyxl.worksheet import _read_only

    sheet_class: Any = _read_only.ReadOnlyWorksheet
    with _PATCH:
        original = sheet_class._get_size
        sheet_class._get_size = lambda self: None
        try:
            yield
        finally:
            sheet_class._get_size = original


def _sheet_title(archive: zipfile.ZipFile, part: str) -> str:
    """The sheet's title as the user sees it, quoted, read from the workbook part and its
    relationships when they are small; else the part's file name."""
    from xml.etree import ElementTree

    fallback = part.rsplit("/", 1)[-1]
    try:
        infos = [archive.getinfo(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
        if any(info.file_size > _TITLES_LIMIT for info in infos):
            return fallback
        workbook, rels = (ElementTree.fromstring(archive.read(info)) for info in infos)
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return fallback
    targets = {
        rel.get("Id"): (rel.get("Target") or "").lstrip("/").removeprefix("xl/") for rel in rels
    }
    for sheet in workbook.iter(f"{{{_MAIN}}}sheet"):
        if "xl/" + targets.get(sheet.get(f"{{{_RELS}}}id"), "") == part:
            return repr(sheet.get("name", fallback))
    return fallback


def _scan(path: Path, xml: IO[bytes], where: str, *, rows: bool = True) -> int:
    """Read XML a chunk at a time, keeping nothing of it, for text (or a tag) of more than
    CELL_LIMIT bytes and, with `rows`, for a row of more than ROW_LIMIT bytes; the rows."""
    run = 0  # bytes since the last "<": one cell's text, or one tag
    row_bytes = 0
    row = 0
    tail = b""

    def refuse(what: str) -> ImportFileError:
        at = f", row {max(row, 1)}" if rows else ""
        return ImportFileError.about(path, f"{where}{at}: {what}; {_SAVE_AS_CSV}")

    while chunk := xml.read(_CHUNK):
        first = chunk.find(b"<")
        run += len(chunk) if first < 0 else first
        if run > CELL_LIMIT:
            raise refuse(f"a cell of more than {CELL_LIMIT:,} bytes")
        if first >= 0:
            run = len(chunk) - chunk.rfind(b"<") - 1
        if not rows:
            continue
        data = tail + chunk
        last = -1
        for match in _ROW_TAG.finditer(data):
            if match.end() > len(tail):  # not seen with the previous chunk
                number = match.group(1)
                row = int(number) if number else row + 1
                last = match.start()
        row_bytes = len(data) - last if last >= 0 else row_bytes + len(chunk)
        if row_bytes > ROW_LIMIT:
            raise refuse(f"more than {ROW_LIMIT:,} bytes of cells")
        tail = data[-_TAG_ROOM:]
    return row


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def open_xlsx(path: Path, sheet: str | None, stack: ExitStack) -> Table:
    import openpyxl  # ~150 ms: only XLSX imports pay for it

    sheet_rows = _check_parts(path)
    handle = stack.enter_context(path.open("rb"))
    try:
        with _no_size_walk():
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything on a broken file
        if path.suffix.lower() not in EXTENSIONS:  # a zip sniffed as XLSX: a .docx, a .zip...
            raise ImportFileError.about(path, NOT_A_TABLE) from None
        raise ImportFileError.about(path, f"not a valid XLSX file ({type(exc).__name__})") from None
    stack.callback(workbook.close)
    sheets = list(workbook.worksheets)
    titles = [str(ws.title) for ws in sheets]
    if not sheets:
        raise ImportFileError.about(path, "the workbook has no worksheets")
    if sheet is None:
        worksheet = sheets[0]
    else:
        wanted = sheet.strip().casefold()
        matches = [ws for ws in sheets if str(ws.title).strip().casefold() == wanted]
        if not matches:
            raise ImportFileError.about(
                path, f"sheet {sheet!r} not found (sheets: {', '.join(titles)})"
            )
        worksheet = matches[0]
    counter = ProgressCounter(sheet_rows.get(str(getattr(worksheet, "_worksheet_path", "")), 0))
    # The stored dimensions can be wrong (some tools write "A1"): read every row there is.
    worksheet.reset_dimensions()
    rows = _xlsx_rows(path, worksheet.iter_rows(values_only=True), counter)
    header: tuple[object, ...] | None = None
    for _number, cells in rows:
        header = cells
        break
    if header is None:
        raise ImportFileError.about(path, f"no header row in sheet {worksheet.title!r}")
    headers = header_names(["" if cell is None else str(cell) for cell in header])
    if len(headers) > MAX_COLUMNS:
        raise too_many_columns(path, f"{len(headers):,} columns")
    return Table(
        path=path,
        format="xlsx",
        encoding=None,
        delimiter=None,
        sheet=str(worksheet.title),
        headers=headers,
        records=_xlsx_records(rows, len(headers)),
        _progress=counter,
    )


def _xlsx_rows(
    path: Path, rows: Iterator[tuple[object, ...]], counter: ProgressCounter
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Non-empty sheet rows with their row numbers, trailing empty cells dropped."""
    number = 0
    try:
        for row in rows:
            number += 1
            counter.done = number
            cells = list(row)
            while cells and _is_blank(cells[-1]):
                cells.pop()
            if cells:
                yield number, tuple(cells)
    except Exception as exc:  # a broken sheet part
        raise ImportFileError.about(
            path, f"cannot read the sheet after row {number} ({type(exc).__name__})"
        ) from None
    counter.finish()


def _xlsx_records(rows: Iterator[tuple[int, tuple[object, ...]]], width: int) -> Iterator[Record]:
    for number, cells in rows:
        raw = ";".join("" if cell is None else str(cell) for cell in cells)
        values = cells + (None,) * (width - len(cells)) if len(cells) < width else cells
        yield Record(number, values, raw)
