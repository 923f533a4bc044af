"""XLSX sheets through openpyxl (read-only): native cells, row numbers as lines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from npsdesk.importers.tables import (
    EXTENSIONS,
    NOT_A_TABLE,
    ImportFileError,
    ProgressCounter,
    Record,
    Table,
    header_names,
)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def open_xlsx(path: Path, sheet: str | None, stack: ExitStack) -> Table:
    import openpyxl  # ~150 ms: only XLSX imports pay for it

    handle = stack.enter_context(path.open("rb"))
    try:
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
    counter = ProgressCounter(int(worksheet.max_row or 0))
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
