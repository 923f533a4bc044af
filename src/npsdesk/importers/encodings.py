"""Which encoding a text file is in: UTF-8 if all of it decodes, else cp1252, never a guess."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from npsdesk.importers.tables import ImportFileError

_CHUNK = 1 << 17  # bytes per read when checking an encoding
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_SINGLE_BYTE = ("cp125", "iso8859-", "ascii", "mac-", "cp437", "cp850", "cp860")


def _line_at(newlines_before: int, chunk: bytes, pos: int) -> int:
    return newlines_before + chunk.count(b"\n", 0, max(pos, 0)) + 1


def check_codec(path: Path, codec: str, skip: int) -> None:
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


def sniff_encoding(path: Path) -> str:
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


def byte_counter(codec: str) -> Callable[[str], int]:
    """How many bytes a decoded line took in the file (for progress)."""
    name = codecs.lookup(codec).name
    if name.startswith(_SINGLE_BYTE):
        return len
    if name in ("utf-8", "utf-8-sig"):
        return lambda line: len(line.encode("utf-8", "surrogatepass"))
    if name in ("utf-16", "utf-32"):  # the BOM was counted once; no BOM per line
        name += "-le"
    return lambda line: len(line.encode(name, "replace"))
