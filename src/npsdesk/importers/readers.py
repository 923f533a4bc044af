"""Open the files analysts really have and stream their records.

`open_table(path)` reads CSV (delimiter sniffed), XLSX (openpyxl, read-only) and JSON (an
array of objects, or JSON Lines) and yields a `Table`: the headers, and an iterator of
`Record`s that carry the physical line where each record starts, for the reject report.

Encodings: a UTF-8 BOM means "utf-8-sig" (a UTF-16 BOM, what Excel's "Unicode text" writes,
means "utf-16"); otherwise the whole file is checked as UTF-8 with an incremental decoder,
chunk by chunk, and cp1252 (what Excel writes in Brazil) is the only fallback. Statistics are
never used: they call Brazilian cp1252 "cp1250" and turn "João" into "Joăo".

A record that cannot be read (a CSV record over the field size limit, a JSON Lines line that is
not a JSON object) does not stop the file: it is yielded with `values=()`, so the caller rejects
it as a short row, and `error` says what was wrong.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

__all__ = ["FIELD_SIZE_LIMIT", "ImportFileError", "Record", "Table", "open_table"]

FIELD_SIZE_LIMIT = 1 << 20
"""Largest CSV field (characters): a long comment fits, a runaway quote does not eat the file."""

_CHUNK = 1 << 17  # bytes per read when checking an encoding
_HEAD = 1 << 16  # bytes read to sniff a format or a delimiter
_RAW_LIMIT = 2000  # characters of an unreadable record kept in `raw`
_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_OTHER_SPREADSHEETS = (".xlsb", ".ods", ".numbers")
_NOT_TABLES = (".pdf", ".doc", ".docx", ".ppt", ".pptx", ".zip", ".png", ".jpg", ".jpeg", ".gif")
_NOT_A_TABLE = "not a CSV, XLSX or JSON file"
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected .xlsx
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_DELIMITERS = (";", ",", "\t")  # in order of preference when counts tie
_SEP_LINE = re.compile(r"sep=(.)")  # Excel's "sep=;" first line
_JSON_WS = re.compile(r"[ \t\n\r]*")
_SINGLE_BYTE = ("cp125", "iso8859-", "ascii", "mac-", "cp437", "cp850", "cp860")
_OLD_EXCEL = (
    "old Excel format (.xls) is not supported: open it in Excel and save it as .xlsx or CSV"
)


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

    `error` is None, except for a record that could not be read: then `values` is `()` and
    `error` says why.
    """

    line: int
    values: tuple[object, ...]
    raw: str
    error: str | None = None


def _no_progress() -> tuple[int, int]:
    return (0, 0)


@dataclass
class Table:
    """An open table: what it is, its headers, and its records as a stream.

    `records` never holds the whole file, except for a JSON array: its text is read whole (the
    objects are still decoded one at a time). Records can be read only while the `open_table`
    context is open, and only once.
    """

    path: Path
    format: str  # "csv" | "xlsx" | "json" | "jsonl"
    encoding: str | None  # None for xlsx
    delimiter: str | None  # csv only
    sheet: str | None  # xlsx only
    headers: tuple[str, ...]
    records: Iterator[Record]
    _progress: Callable[[], tuple[int, int]] = field(
        default=_no_progress, repr=False, compare=False
    )

    def progress(self) -> tuple[int, int]:
        """(done, total) for a progress bar: bytes for text formats, rows for XLSX."""
        return self._progress()


class _Counter:
    """How far the reader is: bytes (or rows) consumed against a total."""

    def __init__(self, total: int, done: int = 0) -> None:
        self.total = total
        self.done = done

    def __call__(self) -> tuple[int, int]:
        return (min(self.done, self.total), self.total)

    def finish(self) -> None:
        self.total = max(self.total, self.done)
        self.done = self.total


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
            table = _open_xlsx(path, sheet, stack)
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
        raise ImportFileError.about(path, _NOT_A_TABLE)
    if size == 0:
        raise ImportFileError.about(path, "empty file")
    fmt = _EXTENSIONS.get(ext)
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
        raise ImportFileError.about(path, _NOT_A_TABLE)
    start = head.removeprefix(_UTF8_BOM).lstrip()
    if start.startswith((b"[", b"{")):
        return "json"
    return "csv"


def _line_at(newlines_before: int, chunk: bytes, pos: int) -> int:
    return newlines_before + chunk.count(b"\n", 0, max(pos, 0)) + 1


def _check_codec(path: Path, codec: str, skip: int) -> None:
    """Decode the whole file with `codec`, chunk by chunk, storing nothing."""
    decoder = codecs.getincrementaldecoder(codec)()
    newlines = 0
    with path.open("rb") as f:
        f.seek(skip)
        while True:
            chunk = f.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                line = _line_at(newlines, chunk, exc.start)
                raise ImportFileError.about(
                    path,
                    f"cannot decode as {codec} (line {line}): use --encoding with the "
                    "file's encoding",
                ) from None
            if not chunk:
                return
            newlines += chunk.count(b"\n")


def _sniff_encoding(path: Path) -> str:
    """UTF-8 if the whole file decodes as UTF-8, else cp1252 if it can, else ImportFileError."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    undefined: tuple[int, int] | None = None  # (byte, line) of the first byte cp1252 lacks
    newlines = 0
    with path.open("rb") as f:
        while utf8_ok or undefined is None:
            chunk = f.read(_CHUNK)
            if utf8_ok:
                try:
                    utf8.decode(chunk, final=not chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if not chunk:
                break
            if undefined is None:
                found = [p for p in map(chunk.find, _CP1252_UNDEFINED) if p >= 0]
                if found:
                    pos = min(found)
                    undefined = (chunk[pos], _line_at(newlines, chunk, pos))
                newlines += chunk.count(b"\n")
    if utf8_ok:
        return "utf-8"
    if undefined is None:
        return "cp1252"
    byte, line = undefined
    raise ImportFileError.about(
        path,
        f"cannot decode as UTF-8 or cp1252 (byte 0x{byte:02X} at line {line}): use --encoding",
    )


def _byte_counter(codec: str) -> Callable[[str], int]:
    """How many bytes a decoded line took in the file (for progress)."""
    name = codecs.lookup(codec).name
    if name.startswith(_SINGLE_BYTE):
        return len
    if name in ("utf-8", "utf-8-sig"):
        return lambda line: len(line.encode("utf-8", "surrogatepass"))
    if name in ("utf-16", "utf-32"):  # the BOM was counted once; no BOM per line
        name += "-le"
    return lambda line: len(line.encode(name, "replace"))


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
            _check_codec(path, codec, 0)
            return cls(path, head, size, given, codec, bom)
        if head.startswith(_UTF8_BOM):
            _check_codec(path, "utf-8", len(_UTF8_BOM))
            return cls(path, head, size, "utf-8-sig", "utf-8-sig", len(_UTF8_BOM))
        if head.startswith(_UTF16_BOMS):
            _check_codec(path, "utf-16", 0)
            return cls(path, head, size, "utf-16", "utf-16", 2)
        encoding = _sniff_encoding(path)
        return cls(path, head, size, encoding, encoding, 0)

    def _stream(self, stack: ExitStack) -> TextIO:
        # newline="": line breaks inside quoted CSV fields stay as they are.
        return stack.enter_context(self.path.open("r", encoding=self.codec, newline=""))

    def _head_text(self) -> str:
        decoder = codecs.getincrementaldecoder(self.codec)(errors="replace")
        return decoder.decode(self.head, final=len(self.head) == self.size).lstrip("\ufeff")

    def _lines(
        self, stream: TextIO, counter: _Counter, taken: list[str] | None = None
    ) -> Iterator[str]:
        """The stream's lines (any line ending), counting the bytes they took; each line is
        also appended to `taken` when given (the CSV reader's record text)."""
        count = _byte_counter(self.codec)
        try:
            if taken is None:
                for line in stream:
                    counter.done += count(line)
                    yield line
            else:
                keep = taken.append
                for line in stream:
                    counter.done += count(line)
                    keep(line)
                    yield line
        except UnicodeDecodeError as exc:  # the file changed since it was checked
            raise ImportFileError.about(
                self.path, f"cannot decode as {self.encoding}: {exc}"
            ) from None
        counter.finish()

    # -- CSV --

    def csv_table(self, stack: ExitStack) -> Table:
        delimiter, sep_line = _sniff_delimiter(self._head_text(), self.path.suffix.lower())
        counter = _Counter(self.size, self.bom)
        if csv.field_size_limit() < FIELD_SIZE_LIMIT:
            csv.field_size_limit(FIELD_SIZE_LIMIT)
        taken: list[str] = []
        rows = _CsvRows(self._lines(self._stream(stack), counter, taken), taken, delimiter)
        records = iter(rows)
        header: list[str] | None = None
        for record in records:
            if record.error is None:
                if sep_line:
                    sep_line = False
                    continue
                header = [str(cell) for cell in record.values]
                break
        if header is None:
            raise ImportFileError.about(self.path, "no header row")
        header[0] = header[0].lstrip("\ufeff")  # a BOM read as text (--encoding utf-8)
        headers = _header_names(header)
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
        """The first non-blank line is a whole object and another non-blank line follows."""
        with ExitStack() as stack:
            lines = (line for line in self._stream(stack) if line.strip())
            first = next(lines, "")
            try:
                if not isinstance(json.loads(first), dict):
                    return False
            except ValueError:
                return False
            return next(lines, None) is not None

    def _json_lines(self, stack: ExitStack) -> Table:
        keys: dict[str, None] = {}  # ordered set: first object's keys, then later ones
        objects = 0
        with ExitStack() as first_pass:
            for line in self._stream(first_pass):
                if line.strip():
                    try:
                        value = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(value, dict):
                        objects += 1
                        keys.update(dict.fromkeys(value))
        if not objects:
            raise ImportFileError.about(
                self.path, "no JSON object found (JSON Lines: one per line)"
            )
        names = list(keys)
        counter = _Counter(self.size, self.bom)
        lines = self._lines(self._stream(stack), counter)
        return Table(
            path=self.path,
            format="jsonl",
            encoding=self.encoding,
            delimiter=None,
            sheet=None,
            headers=_header_names(names),
            records=_jsonl_records(lines, names),
            _progress=counter,
        )

    def _json_array(self, stack: ExitStack) -> Table:
        with ExitStack() as reading:
            text = self._stream(reading).read().lstrip("\ufeff")
        keys: dict[str, None] = {}
        for _line, _end, value in _array_items(self.path, text):
            if isinstance(value, dict):
                keys.update(dict.fromkeys(value))
        if not keys:
            raise ImportFileError.about(self.path, "the JSON array holds no objects with fields")
        names = list(keys)
        counter = _Counter(self.size, 0)
        return Table(
            path=self.path,
            format="json",
            encoding=self.encoding,
            delimiter=None,
            sheet=None,
            headers=_header_names(names),
            records=_json_records(self.path, text, names, counter),
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

    def __init__(self, lines: Iterator[str], taken: list[str], delimiter: str) -> None:
        self.taken = taken  # the lines `lines` gave for the record being read
        self.reader = csv.reader(lines, delimiter=delimiter)
        self.width: int | None = None

    def __iter__(self) -> Iterator[Record]:
        reader, taken = self.reader, self.taken
        while True:
            taken.clear()
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raw = _strip_line_end("".join(taken))
                if len(raw) > _RAW_LIMIT:
                    raw = raw[:_RAW_LIMIT] + "…"
                yield Record(start, (), raw, f"unreadable CSV record: {exc}")
                continue
            if not "".join(row).strip():
                continue  # a blank line, or only delimiters
            width = self.width
            if width is not None and len(row) > width and not any(row[width:]):
                del row[width:]
            yield Record(start, tuple(row), _strip_line_end("".join(taken)))


def _header_names(cells: list[str]) -> tuple[str, ...]:
    """Header cells stripped; trailing empty ones dropped, inner empty ones `column_N`."""
    names = [cell.strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    return tuple(name or f"column_{i}" for i, name in enumerate(names, 1))


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_values(obj: dict[str, Any], keys: list[str]) -> tuple[object, ...]:
    values: list[object] = []
    for key in keys:
        value = obj.get(key)
        values.append(_compact(value) if isinstance(value, dict | list) else value)
    return tuple(values)


def _jsonl_records(lines: Iterator[str], keys: list[str]) -> Iterator[Record]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield Record(number, (), _strip_line_end(line), f"invalid JSON: {reason}")
            continue
        if not isinstance(value, dict):
            yield Record(number, (), _strip_line_end(line), "not a JSON object")
            continue
        yield Record(number, _json_values(value, keys), _compact(value))


def _array_items(path: Path, text: str) -> Iterator[tuple[int, int, object]]:
    """The elements of a top-level JSON array: (line where it starts, end offset, value)."""
    decoder = json.JSONDecoder()

    def skip(pos: int) -> int:
        match = _JSON_WS.match(text, pos)
        return match.end() if match else pos

    def invalid(pos: int, why: str) -> ImportFileError:
        line = text.count("\n", 0, pos) + 1
        return ImportFileError.about(path, f"invalid JSON at line {line}: {why}")

    def decode(pos: int) -> tuple[object, int]:
        try:
            return decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ImportFileError.about(
                path, f"invalid JSON at line {exc.lineno}: {exc.msg}"
            ) from None

    pos = skip(0)
    if pos == len(text):
        raise ImportFileError.about(path, "empty file")
    if text[pos] != "[":
        value, _end = decode(pos)
        kind = "an object" if isinstance(value, dict) else f"a {type(value).__name__}"
        raise ImportFileError.about(
            path, f"the top level is {kind}, not an array of objects (or one object per line)"
        )
    pos = skip(pos + 1)
    line, counted = 1, 0
    if pos < len(text) and text[pos] == "]":
        raise ImportFileError.about(path, "the JSON array is empty")
    while True:
        line += text.count("\n", counted, pos)
        counted = pos
        value, pos = decode(pos)
        yield line, pos, value
        pos = skip(pos)
        if pos == len(text):
            raise invalid(pos, "the array is not closed")
        if text[pos] == "]":
            break
        if text[pos] != ",":
            raise invalid(pos, "expecting ',' or ']' after an element")
        pos = skip(pos + 1)
    pos = skip(pos + 1)
    if pos != len(text):
        raise invalid(pos, "extra data after the array")


def _json_records(path: Path, text: str, keys: list[str], counter: _Counter) -> Iterator[Record]:
    length = max(len(text), 1)
    for line, end, value in _array_items(path, text):
        counter.done = counter.total * end // length
        if isinstance(value, dict):
            yield Record(line, _json_values(value, keys), _compact(value))
        else:
            yield Record(line, (), _compact(value), "not a JSON object")
    counter.finish()


# -- XLSX --------------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _open_xlsx(path: Path, sheet: str | None, stack: ExitStack) -> Table:
    import openpyxl  # ~150 ms: only XLSX imports pay for it

    handle = stack.enter_context(path.open("rb"))
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises anything on a broken file
        if path.suffix.lower() not in _EXTENSIONS:  # a zip sniffed as XLSX: a .docx, a .zip...
            raise ImportFileError.about(path, _NOT_A_TABLE) from None
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
    counter = _Counter(int(worksheet.max_row or 0))
    # The stored dimensions can be wrong (some tools write "A1"): read every row there is.
    worksheet.reset_dimensions()
    rows = _xlsx_rows(path, worksheet.iter_rows(values_only=True), counter)
    header: tuple[object, ...] | None = None
    for _number, cells in rows:
        header = cells
        break
    if header is None:
        raise ImportFileError.about(path, f"no header row in sheet {worksheet.title!r}")
    headers = _header_names(["" if cell is None else str(cell) for cell in header])
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
    path: Path, rows: Iterator[tuple[object, ...]], counter: _Counter
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
