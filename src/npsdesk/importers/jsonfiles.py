"""JSON arrays of objects and JSON Lines, streamed with the same limits as CSV.

An array is read a chunk at a time and decoded one element at a time, so a file of a million
objects never sits whole in memory; an element over `RECORD_LIMIT` characters, or nested
deeper than the decoder can go, makes the file unreadable (its end cannot be found without
decoding it). A JSON Lines line over the limit, or too deeply nested, is one unreadable
record and the rest of the file goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from npsdesk.importers.lines import LineSource, RecordTooLong
from npsdesk.importers.tables import (
    MAX_COLUMNS,
    RECORD_LIMIT,
    ImportFileError,
    ProgressCounter,
    Record,
    cut_raw,
    too_many_columns,
)

_CHUNK = 1 << 18  # characters read at a time
_JSON_WS = re.compile(r"[ \t\n\r]*")
_DEEP = "nested too deeply"
_ESCAPE_ROOM = 6  # a decode error this close to the buffer's end may be a cut "\uXXXX"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _strip_line_end(text: str) -> str:
    return text.rstrip("\r\n")


def _values(obj: dict[str, Any], keys: list[str]) -> tuple[object, ...]:
    values: list[object] = []
    for key in keys:
        value = obj.get(key)
        values.append(_compact(value) if isinstance(value, dict | list) else value)
    return tuple(values)


def _record(line: int, value: object, keys: list[str]) -> Record:
    """The record for a decoded element or line: its values, or why it has none."""
    try:
        if isinstance(value, dict):
            return Record(line, _values(value, keys), _compact(value))
        return Record(line, (), cut_raw(_compact(value)), "not a JSON object")
    except RecursionError:
        return Record(line, (), "", f"invalid JSON: {_DEEP}")


def _add_keys(path: Path, keys: dict[str, None], value: dict[str, Any]) -> None:
    keys.update(dict.fromkeys(value))
    if len(keys) > MAX_COLUMNS:
        raise too_many_columns(path, f"more than {MAX_COLUMNS:,} distinct keys")


# -- JSON Lines ------------------------------------------------------------------------------


def _load_line(line: str) -> object:
    """The line's value; ValueError (RecursionError included) if it is not JSON."""
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError(_DEEP) from None


def looks_like_jsonl(source: LineSource) -> bool:
    """The first non-blank line is a whole object and another non-blank line follows."""
    lines = (line for line in source if line.strip())
    try:
        first = next(lines, "")
        if not isinstance(_load_line(first), dict):
            return False
        return next(lines, None) is not None
    except (RecordTooLong, ValueError):
        return False


def jsonl_keys(path: Path, source: LineSource) -> list[str]:
    """The keys of every object line, first seen first; ImportFileError if there is none."""
    keys: dict[str, None] = {}
    objects = 0
    while True:
        try:
            line = next(source)
        except StopIteration:
            break
        except RecordTooLong:
            continue
        if line.strip():
            try:
                value = _load_line(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                objects += 1
                _add_keys(path, keys, value)
    if not objects:
        raise ImportFileError.about(path, "no JSON object found (JSON Lines: one per line)")
    return list(keys)


def jsonl_records(source: LineSource, keys: list[str]) -> Iterator[Record]:
    while True:
        source.start_record()
        try:
            line = next(source)
        except StopIteration:
            return
        except RecordTooLong as exc:
            yield Record(exc.line, (), exc.raw, str(exc), "too_long")
            continue
        if not line.strip():
            continue
        number = source.lines
        try:
            value = _load_line(line)
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield Record(number, (), cut_raw(_strip_line_end(line)), f"invalid JSON: {reason}")
            continue
        if not isinstance(value, dict):
            yield Record(number, (), cut_raw(_strip_line_end(line)), "not a JSON object")
            continue
        yield _record(number, value, keys)


# -- JSON arrays -----------------------------------------------------------------------------


class ArrayReader:
    """The elements of a top-level JSON array in `stream`, with the line where each starts.

    The buffer holds what is not decoded yet: at most one element (up to `limit` characters)
    and a chunk.
    """

    def __init__(
        self,
        path: Path,
        stream: TextIO,
        counter: ProgressCounter,
        count: Callable[[str], int],
        limit: int = RECORD_LIMIT,
    ) -> None:
        self.path = path
        self.stream = stream
        self.counter = counter
        self.count = count
        self.limit = limit
        self.buf = ""
        self.pos = 0
        self.line = 1  # the line of buf[pos]
        self.eof = False
        self.decoder = json.JSONDecoder()
        self.first = True

    def _fill(self) -> None:
        """Read more: at least a chunk, or as much again as is waiting (a long element)."""
        chunk = self.stream.read(max(_CHUNK, len(self.buf) - self.pos))
        if self.first:
            chunk = chunk.lstrip("\ufeff")  # a BOM read as text (--encoding utf-8)
            self.first = False
        self.counter.done += self.count(chunk)
        if not chunk:
            self.eof = True
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0

    def _advance(self, end: int) -> None:
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end

    def _peek(self) -> str:
        """The next character after whitespace; "" at the end of the file."""
        while True:
            match = _JSON_WS.match(self.buf, self.pos)
            self._advance(match.end() if match else self.pos)
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if self.eof:
                return ""
            self._fill()

    def _invalid(self, why: str, line: int | None = None) -> ImportFileError:
        return ImportFileError.about(
            self.path, f"invalid JSON at line {self.line if line is None else line}: {why}"
        )

    def _too_long(self) -> ImportFileError:
        return ImportFileError.about(
            self.path,
            f"the JSON value at line {self.line} holds more than {self.limit:,} characters",
        )

    def _decode(self) -> object:
        """The value at the position, reading more until it is whole."""
        while True:
            buf, pos = self.buf, self.pos
            try:
                value, end = self.decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(buf) - _ESCAPE_ROOM or exc.msg.startswith("Unterminated")
                if self.eof or not cut:
                    raise self._invalid(
                        exc.msg, self.line + buf.count("\n", pos, exc.pos)
                    ) from None
            except RecursionError:
                raise self._invalid(_DEEP) from None
            else:
                if end < len(buf) or self.eof:  # a number at the buffer's end may go on
                    if end - pos > self.limit:
                        raise self._too_long()
                    self._advance(end)
                    return value
            if len(buf) - pos > self.limit:
                raise self._too_long()
            self._fill()

    def items(self) -> Iterator[tuple[int, object]]:
        if self._peek() == "":
            raise ImportFileError.about(self.path, "empty file")
        if self._peek() != "[":
            value = self._decode()
            kind = "an object" if isinstance(value, dict) else f"a {type(value).__name__}"
            raise ImportFileError.about(
                self.path,
                f"the top level is {kind}, not an array of objects (or one object per line)",
            )
        self._advance(self.pos + 1)
        if self._peek() == "]":
            raise ImportFileError.about(self.path, "the JSON array is empty")
        while True:
            self._peek()
            line = self.line
            yield line, self._decode()
            after = self._peek()
            if after == "":
                raise self._invalid("the array is not closed")
            if after == "]":
                break
            if after != ",":
                raise self._invalid("expecting ',' or ']' after an element")
            self._advance(self.pos + 1)
        self._advance(self.pos + 1)
        if self._peek() != "":
            raise self._invalid("extra data after the array")
        self.counter.finish()


def array_keys(path: Path, reader: ArrayReader) -> list[str]:
    """The keys of the array's objects, first seen first; ImportFileError if there is none."""
    keys: dict[str, None] = {}
    for _line, value in reader.items():
        if isinstance(value, dict):
            _add_keys(path, keys, value)
    if not keys:
        raise ImportFileError.about(path, "the JSON array holds no objects with fields")
    return list(keys)


def array_records(reader: ArrayReader, keys: list[str]) -> Iterator[Record]:
    for line, value in reader.items():
        yield _record(line, value, keys)
