"""What an import reports: counts, rejected rows with their line and reason, the batch."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_NO_LINKS = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK)


@dataclass(frozen=True)
class Reject:
    line: int
    record: str
    reason: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "record": self.record,
            "reason": self.reason,
            "detail": self.detail,
        }


class RejectFile:
    """Every rejected row of one import batch, as CSV beside the store: readable by its owner
    only (the rows hold customer data) and neutralised against formula injection.

    The rows go to a hidden temporary file in the folder; `finish()` gives it its name (the
    batch's) only once it is complete, never over another file, and `discard()` removes it.
    A failed write leaves nothing behind.
    """

    def __init__(self, folder: Path, name: str, source_name: str) -> None:
        import csv

        self.folder = folder
        self.name = name
        self.source_name = source_name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
        self._temp = Path(temp)
        self._handle = open(fd, "w", encoding="utf-8-sig", newline="")  # noqa: PTH123, SIM115
        self._writer = csv.writer(self._handle, delimiter=";")
        self._writer.writerow(["file", "line", "reason", "detail", "record"])

    def write(self, reject: Reject) -> None:
        from npsdesk.untrusted.csv_cells import neutralize

        self._writer.writerow(
            [
                neutralize(self.source_name),
                reject.line,
                reject.reason,
                neutralize(reject.detail),
                neutralize(reject.record),
            ]
        )

    def finish(self) -> Path:
        """Write out the rest and name the file; OSError (and nothing left) if that fails."""
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            return self._place()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Remove the temporary file, whatever state it is in."""
        with contextlib.suppress(OSError):
            self._handle.close()  # a flush that fails still closes the file
        self._temp.unlink(missing_ok=True)

    def _place(self) -> Path:
        """Link the finished file to its name (or `name-2.csv`...: never over another file)."""
        stem = self.name.removesuffix(".csv")
        for attempt in itertools.count(1):
            path = self.folder / (self.name if attempt == 1 else f"{stem}-{attempt}.csv")
            try:
                os.link(self._temp, path)
            except FileExistsError:
                continue
            except OSError as error:  # a file system without hard links
                if error.errno not in _NO_LINKS:
                    raise
                if path.exists():
                    continue
                self._temp.rename(path)
                return path
            self._temp.unlink()
            return path
        raise AssertionError("unreachable")


@dataclass
class ImportResult:
    file: Path
    kind: str = ""
    format: str = ""
    encoding: str | None = None
    sha256: str = ""
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    duplicates: int = 0
    respondents_new: int = 0
    respondents_updated: int = 0
    rejects: list[Reject] = field(default_factory=list)
    rejects_file: Path | None = None
    rejects_error: str | None = None  # why the reject file could not be written
    batch: int | None = None
    dry_run: bool = False
    unmapped: tuple[str, ...] = ()
    participants: int = 0  # campaign participants whose response this import brought

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.file),
            "kind": self.kind,
            "format": self.format,
            "encoding": self.encoding,
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "respondents_new": self.respondents_new,
            "respondents_updated": self.respondents_updated,
            "rejects": [r.to_json() for r in self.rejects],
            "rejects_file": None if self.rejects_file is None else str(self.rejects_file),
            "rejects_error": self.rejects_error,
            "batch": self.batch,
            "dry_run": self.dry_run,
            "sha256": self.sha256,
            "unmapped_headers": list(self.unmapped),
            "participants_answered": self.participants,
        }
