"""Open the files analysts really have and stream their records.

`open_table(path)` reads CSV (delimiter sniffed), XLSX (openpyxl, read-only) and JSON (an
array of objects, or JSON Lines) and yields a `Table`: the headers, and an iterator of
`Record`s that carry the physical line where each record starts, for the reject report.

Encodings: a UTF-8 BOM means "utf-8-sig" (a UTF-16 BOM, what Excel's "Unicode text" writes,
means "utf-16"); otherwise the whole file is checked as UTF-8 with an incremental decoder,
chunk by chunk, and cp1252 (what Excel writes in Brazil) is the only fallback. Statistics are
never used: they call Brazilian cp1252 "cp1250" and turn "João" into "Joăo".

A record that cannot be read (a CSV record or JSON Lines line over `RECORD_LIMIT` characters,
a JSON Lines line that is not a JSON object) does not stop the file: it is yielded with
`values=()`, `error` says what was wrong and `reason` how the caller rejects it (`too_long`,
else `short_row`). No line is ever read whole past the limit (see lines.py).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from npsdesk.importers.encodings import byte_counter, check_codec, sniff_encoding
from npsdesk.importers.jsonfiles import (
    ArrayReader,
    array_keys,
    array_records,
    jsonl_keys,
    jsonl_records,
    looks_like_jsonl,
)
from npsdesk.importers.lines import LineSource, RecordTooLong
from npsdesk.importers.tables import (
    EXTENSIONS,
    MAX_COLUMNS,
    NOT_A_TABLE,
    RECORD_LIMIT,
    ImportFileError,
    ProgressCounter,
    Record,
    Table,
    cut_raw,
    header_names,
    too_many_columns,
)
from npsdesk.importers.xlsx import open_xlsx

__all__ = [
    "FIELD_SIZE_LIMIT",
    "MAX_COLUMNS",
    "RECORD_LIMIT",
    "ImportFileError",
    "Record",
    "Table",
    "open_table",
]

FIELD_SIZE_LIMIT = RECORD_LIMIT
"""Largest CSV field (characters): a long comment fits, a runaway quote does not eat the file."""

_HEAD = 1 << 16  # bytes read to sniff a format or a delimiter
_OTHER_SPREADSHEETS = (".xlsb", ".ods", ".numbers")
_NOT_TABLES = (".pdf", ".doc", ".docx", ".ppt", ".pptx", ".zip", ".png", ".jpg", ".jpeg", ".gif")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DELIMITERS = (";", ",", "\t")  # in order of preference when counts tie
_SEP_LINE = re.compile(r"sep=(.)")  # Excel's "sep=;" first line
_OLD_EXCEL = (
    "old Excel format (.xls) is not supported: open it in Excel and save it as .xlsx or CSV"
)


@contextmanager
def open_table(
    path: Path, *, encoding: str | None = None, sheet: str | None = None
) -> Iterator[Table]:
    """Open a CSV, XLSX or JSON file as a `Table`; ImportFileError if it cannot be read.

    The format comes from the extension (.csv .txt .tsv, .xlsx .xlsm, .json .jsonl .ndjson),
    else from the first bytes. `encoding` overrides the detection for text formats; `sheet`
    picks an XLSX sheet by title, ignoring case (the first sheet by default; other formats
    ignore it). The file is closed when the context exits.
    """
    path = Path(path)
    head, size = _head(path)
    fmt = _detect_format(path, head, size)
    with ExitStack() as stack:
        if fmt == "xlsx":
            table = open_xlsx(path, sheet, stack)
        else:
            text = _TextSource.open(path, head, size, encoding)
            if fmt == "csv":
                table = text.csv_table(stack)
            else:
                table = text.json_table(stack, jsonl=fmt == "jsonl")
        yield table


# -- format and encoding -----------------------------------------------------------------


def _head(path: Path) -> tuple[bytes, int]:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFileError.about(path, "is a directory, not a file")
        with path.open("rb") as f:
            return f.read(_HEAD), size
    except FileNotFoundError:
        raise ImportFileError.about(path, "file not found") from None
    except PermissionError:
        raise ImportFileError.about(path, "permission denied") from None
    except OSError as exc:
        raise ImportFileError.about(path, f"cannot read: {exc.strerror or exc}") from None


def _detect_format(path: Path, head: bytes, size: int) -> str:
    ext = path.suffix.lower()
    if ext == ".xls":
        raise ImportFileError.about(path, _OLD_EXCEL)
    if ext in _OTHER_SPREADSHEETS:
        raise ImportFileError.about(
            path, f"{ext} spreadsheets are not supported: save it as .xlsx or CSV"
        )
    if ext in _NOT_TABLES:
        raise ImportFileError.about(path, NOT_A_TABLE)
    if size == 0:
        raise ImportFileError.about(path, "empty file")
    fmt = EXTENSIONS.get(ext)
    if fmt == "xlsx" and head.startswith(_OLE2):
        raise ImportFileError.about(
            path,
            "password-protected or old-format Excel file: "
            "remove the password or save it as .xlsx or CSV",
        )
    if fmt is not None:
        return fmt
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE2):
        raise ImportFileError.about(path, _OLD_EXCEL)
    if b"\x00" in head and not head.startswith(_UTF16_BOMS):
        raise ImportFileError.about(path, NOT_A_TABLE)
    start = head.removeprefix(_UTF8_BOM).lstrip()
    if start.startswith((b"[", b"{")):
        return "json"
    return "csv"


# -- text formats ------------------------------------------------------------------------


@dataclass
class _TextSource:
    path: Path
    head: bytes
    size: int
    encoding: str  # as reported in Table.encoding
    codec: str  # as given to open()
    bom: int  # bytes of BOM before the text

    @classmethod
    def open(cls, path: Path, head: bytes, size: int, given: str | None) -> _TextSource:
        if given is not None:
            try:
                codec = codecs.lookup(given).name
            except LookupError:
                raise ImportFileError.about(path, f"unknown encoding {given!r}") from None
            bom = 0
            if codec == "utf-8-sig" and head.startswith(_UTF8_BOM):
                bom = len(_UTF8_BOM)
            elif codec in ("utf-16", "utf-32") and head.startswith(_UTF16_BOMS):
                bom = 2 if codec == "utf-16" else 4
            check_codec(path, codec, 0)
            return cls(path, head, size, given, codec, bom)
        if head.startswith(_UTF8_BOM):
            check_codec(path, "utf-8", len(_UTF8_BOM))
            return cls(path, head, size, "utf-8-sig", "utf-8-sig", len(_UTF8_BOM))
        if head.startswith(_UTF16_BOMS):
            check_codec(path, "utf-16", 0)
            return cls(path, head, size, "utf-16", "utf-16", 2)
        encoding = sniff_encoding(path)
        return cls(path, head, size, encoding, encoding, 0)

    def _stream(self, stack: ExitStack) -> TextIO:
        # newline="": line breaks inside quoted CSV fields stay as they are.
        return stack.enter_context(self.path.open("r", encoding=self.codec, newline=""))

    def _head_text(self) -> str:
        decoder = codecs.getincrementaldecoder(self.codec)(errors="replace")
        return decoder.decode(self.head, final=len(self.head) == self.size).lstrip("\ufeff")

    def _source(self, stack: ExitStack, counter: ProgressCounter) -> LineSource:
        return LineSource(
            self._stream(stack),
            path=self.path,
            encoding=self.encoding,
            counter=counter,
            count=byte_counter(self.codec),
        )

    # -- CSV --

    def csv_table(self, stack: ExitStack) -> Table:
        delimiter, sep_line = _sniff_delimiter(self._head_text(), self.path.suffix.lower())
        counter = ProgressCounter(self.size, self.bom)
        if csv.field_size_limit() < FIELD_SIZE_LIMIT:
            csv.field_size_limit(FIELD_SIZE_LIMIT)
        rows = _CsvRows(self._source(stack, counter), delimiter)
        records = iter(rows)
        header: list[str] | None = None
        for record in records:
            if record.error is not None:
                raise ImportFileError.about(self.path, f"line {record.line}: {record.error}")
            if sep_line:
                sep_line = False
                continue
            header = [str(cell) for cell in record.values]
            break
        if header is None:
            raise ImportFileError.about(self.path, "no header row")
        header[0] = header[0].lstrip("\ufeff")  # a BOM read as text (--encoding utf-8)
        headers = header_names(header)
        if len(headers) > MAX_COLUMNS:
            raise too_many_columns(self.path, f"{len(headers):,} columns")
        rows.width = len(headers)
        return Table(
            path=self.path,
            format="csv",
            encoding=self.encoding,
            delimiter=delimiter,
            sheet=None,
            headers=headers,
            records=records,
            _progress=counter,
        )

    # -- JSON --

    def json_table(self, stack: ExitStack, *, jsonl: bool) -> Table:
        head = self._head_text().lstrip(" \t\r\n")
        if not head:
            raise ImportFileError.about(self.path, "empty file")
        if head.startswith("["):
            return self._json_array(stack)
        if jsonl or (head.startswith("{") and self._looks_like_jsonl()):
            return self._json_lines(stack)
        return self._json_array(stack)  # explains what the top level is

    def _looks_like_jsonl(self) -> bool:
        with ExitStack() as stack:
            return looks_like_jsonl(self._source(stack, ProgressCounter(0)))

    def _json_lines(self, stack: ExitStack) -> Table:
        with ExitStack() as first_pass:
            names = jsonl_keys(self.path, self._source(first_pass, ProgressCounter(0)))
        counter = ProgressCounter(self.size, self.bom)
        return Table(
            path=self.path,
            format="jsonl",
            encoding=self.encoding,
            delimiter=None,
            sheet=None,
            headers=header_names(names),
            records=jsonl_records(self._source(stack, counter), names),
            _progress=counter,
        )

    def _array(self, stack: ExitStack, counter: ProgressCounter) -> ArrayReader:
        return ArrayReader(self.path, self._stream(stack), counter, byte_counter(self.codec))

    def _json_array(self, stack: ExitStack) -> Table:
        with ExitStack() as first_pass:
            names = array_keys(self.path, self._array(first_pass, ProgressCounter(0)))
        counter = ProgressCounter(self.size, self.bom)
        return Table(
            path=self.path,
            format="json",
            encoding=self.encoding,
            delimiter=None,
            sheet=None,
            headers=header_names(names),
            records=array_records(self._array(stack, counter), names),
            _progress=counter,
        )


def _sniff_delimiter(text: str, ext: str) -> tuple[str, bool]:
    """The delimiter of the header line (counted outside quotes), and whether a `sep=` line
    comes first. Most frequent wins; ties go to ";" (Brazilian Excel), then ",", then tab."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    in_quotes = False
    content = False  # the current line has something besides delimiters and spaces
    start = 0
    end = len(text)
    for i, ch in enumerate(text):
        if ch == '"':
            in_quotes = not in_quotes
            content = True
        elif in_quotes:
            continue
        elif ch in "\r\n":
            if content:
                end = i
                break
            counts = dict.fromkeys(_DELIMITERS, 0)
            start = i + 1
        elif ch in counts:
            counts[ch] += 1
        elif not ch.isspace():
            content = True
    sep = _SEP_LINE.fullmatch(text[start:end].strip(" "))
    if sep:
        return sep.group(1), True
    best = max(_DELIMITERS, key=counts.__getitem__)
    if counts[best]:
        return best, False
    return ("\t" if ext == ".tsv" else ";"), False


def _strip_line_end(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith(("\n", "\r")):
        return text[:-1]
    return text


class _CsvRows:
    """Non-empty CSV rows as records: the line where each starts and its original text.

    Until `width` is set (once the header is read) rows are yielded as they are; then empty
    cells past the last header are dropped (a trailing ";" does not make a long row).
    """

    def __init__(self, source: LineSource, delimiter: str) -> None:
        self.source = source
        self.reader = csv.reader(source, delimiter=delimiter)
        self.width: int | None = None

    def __iter__(self) -> Iterator[Record]:
        reader, source, taken = self.reader, self.source, self.source.taken
        while True:
            taken.clear()  # source.start_record(), inlined: this runs once per record
            source.size = 0
            start = source.lines + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except RecordTooLong as exc:
                yield Record(start, (), exc.raw, str(exc), "too_long")
                continue
            except csv.Error as exc:
                raw = cut_raw(_strip_line_end("".join(taken)))
                yield Record(start, (), raw, f"unreadable CSV record: {exc}")
                continue
            if not "".join(row).strip():
                continue  # a blank line, or only delimiters
            width = self.width
            if width is not None and len(row) > width and not any(row[width:]):
                del row[width:]
            yield Record(start, tuple(row), _strip_line_end("".join(taken)))
