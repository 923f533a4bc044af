"""What a reader hands out: the table, its records, and the error for an unreadable file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
NOT_A_TABLE = "not a CSV, XLSX or JSON file"

# What one file may hold, so that no file makes an import hold hundreds of megabytes.
RECORD_LIMIT = 1 << 20
"""Characters in one CSV record (all its lines), JSON Lines line or JSON array element."""
MAX_COLUMNS = 16_384
"""Headers (CSV cells, XLSX cells, distinct JSON keys): Excel's own column limit."""
RAW_LIMIT = 2000
"""Characters of an unreadable record kept in `Record.raw` for the reject report."""


class ImportFileError(Exception):
    """The file cannot be read at all. `str()` is one line for the user: the file, then why.

    The readers raise it with `ImportFileError.about(path, reason)`, which sets `path` and
    `reason`; callers may raise it with a message alone (both are None then).
    """

    def __init__(
        self, message: str, *, path: Path | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason

    @classmethod
    def about(cls, path: Path, reason: str) -> ImportFileError:
        return cls(f"{path}: {reason}", path=path, reason=reason)

    def __reduce__(self) -> tuple[Any, ...]:
        return (partial(type(self), path=self.path, reason=self.reason), (str(self),))


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a table.

    `line` is the physical line (1-based) where the record starts: for CSV the line of its
    first character (a quoted comment with line breaks spans several lines); for XLSX the
    sheet row number; for a JSON array the line where the object's `{` is; for JSON Lines the
    line.

    `values` is aligned to `Table.headers`. CSV cells are `str`, verbatim. A CSV row with fewer
    cells than headers is kept shorter (the caller reports short_row); a row with more is kept
    longer (long_row), except that extra cells that are empty are dropped. XLSX cells are native
    (str, int, float, datetime, date, time, bool, None); a sheet row with fewer cells than
    headers is padded with None (Excel does not store empty cells). JSON values are as parsed,
    None for a missing key, nested objects and arrays as their compact JSON text.

    `raw` is the record as the user would recognise it: the CSV record's text without its line
    ending, the XLSX cells joined with ";", the compact JSON of the object (the line's text when
    it is not an object).

    `error` is None, except for a record that could not be read: then `values` is `()`,
    `error` says why and `reason` is the reject reason (`too_long` for a record over
    `RECORD_LIMIT`, `short_row` for one that is not cells at all); `raw` is then cut to
    `RAW_LIMIT` characters.
    """

    line: int
    values: tuple[object, ...]
    raw: str
    error: str | None = None
    reason: str = "short_row"


def cut_raw(text: str) -> str:
    """An unreadable record's text as kept for the reject report."""
    return text if len(text) <= RAW_LIMIT else text[:RAW_LIMIT] + "…"


def too_many_columns(path: Path, what: str) -> ImportFileError:
    """`what` ("20,000 columns") is over MAX_COLUMNS."""
    return ImportFileError.about(
        path, f"{what}: over the limit of {MAX_COLUMNS:,} columns (Excel's own)"
    )


def no_progress() -> tuple[int, int]:
    return (0, 0)


@dataclass
class Table:
    """An open table: what it is, its headers, and its records as a stream.

    `records` never holds the whole file: every format is read a record at a time, each at most
    `RECORD_LIMIT` characters. Records can be read only while the `open_table` context is
    open, and only once.
    """

    path: Path
    format: str  # "csv" | "xlsx" | "json" | "jsonl"
    encoding: str | None  # None for xlsx
    delimiter: str | None  # csv only
    sheet: str | None  # xlsx only
    headers: tuple[str, ...]
    records: Iterator[Record]
    _progress: Callable[[], tuple[int, int]] = field(default=no_progress, repr=False, compare=False)

    def progress(self) -> tuple[int, int]:
        """(done, total) for a progress bar: bytes for text formats, rows for XLSX."""
        return self._progress()


class ProgressCounter:
    """How far the reader is: bytes (or rows) consumed against a total."""

    def __init__(self, total: int, done: int = 0) -> None:
        self.total = total
        self.done = done

    def __call__(self) -> tuple[int, int]:
        return (min(self.done, self.total), self.total)

    def finish(self) -> None:
        self.total = max(self.total, self.done)
        self.done = self.total


def header_names(cells: list[str]) -> tuple[str, ...]:
    """Header cells stripped; trailing empty ones dropped, inner empty ones `column_N`."""
    names = [cell.strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    return tuple(name or f"column_{i}" for i, name in enumerate(names, 1))
