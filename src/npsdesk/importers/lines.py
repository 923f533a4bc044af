"""A text file's lines with a cap, for the CSV and JSON Lines readers.

A file may be one 50 MB line, or a quote left open that turns the rest of the file into one
field. `LineSource` never holds more than `RECORD_LIMIT` characters of a record: past that
it skips to the end of the line and raises `RecordTooLong`, and the next record starts on
the next line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from npsdesk.importers.tables import (
    RAW_LIMIT,
    RECORD_LIMIT,
    ImportFileError,
    ProgressCounter,
    cut_raw,
)

_SKIP = 1 << 16  # characters read at a time while skipping the rest of a long line
_LINE_ENDS = ("\n", "\r")


class RecordTooLong(Exception):
    """The record went over the limit at physical line `line`; `raw` is its start."""

    def __init__(self, line: int, raw: str, limit: int) -> None:
        super().__init__(f"record of more than {limit:,} characters")
        self.line = line
        self.raw = raw
        self.limit = limit


class LineSource:
    """The lines of `stream` (their endings kept), counting lines and bytes read.

    A record is the lines read since `start_record()`; `taken` holds them (the CSV record's
    text). It is an iterator class, not a generator, so that it keeps going after raising
    `RecordTooLong`: a csv.reader reading it resumes with the next line.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        path: Path,
        encoding: str,
        counter: ProgressCounter,
        count: Callable[[str], int],
        limit: int = RECORD_LIMIT,
    ) -> None:
        self.stream = stream
        self._readline = stream.readline
        self.path = path
        self.encoding = encoding
        self.counter = counter
        self.count = count
        self.limit = limit
        self.lines = 0  # physical lines read so far, skipped ones included
        self.taken: list[str] = []
        self.size = 0  # characters in `taken`

    def start_record(self) -> None:
        self.taken.clear()
        self.size = 0

    def __iter__(self) -> LineSource:
        return self

    def __next__(self) -> str:
        room = self.limit - self.size
        line = self._read(room + 1)
        if not line:
            self.counter.finish()
            raise StopIteration
        self.lines += 1
        size = len(line)
        if size > room:
            raw = cut_raw("".join(self.taken)[:RAW_LIMIT] + line[:RAW_LIMIT])
            if not line.endswith(_LINE_ENDS):
                self._skip_line()
            self.start_record()
            raise RecordTooLong(self.lines, raw.rstrip("\r\n"), self.limit)
        self.taken.append(line)
        self.size += size
        return line

    def _read(self, size: int) -> str:
        try:
            line = self._readline(size)
        except UnicodeDecodeError as exc:  # the file changed since it was checked
            raise ImportFileError.about(
                self.path, f"cannot decode as {self.encoding}: {exc}"
            ) from None
        self.counter.done += self.count(line)
        return line

    def _skip_line(self) -> None:
        while True:
            piece = self._read(_SKIP)
            if not piece or piece.endswith(_LINE_ENDS):
                return
