"""What an import reports: counts, rejected rows with their line and reason, the batch."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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
    """Every rejected row of one import, as CSV beside the store: readable by its owner only
    (the rows hold customer data) and neutralised against formula injection."""

    def __init__(self, path: Path, source_name: str) -> None:
        import csv

        self.path = path
        self.source_name = source_name
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        self._handle = open(fd, "w", encoding="utf-8-sig", newline="")  # noqa: PTH123, SIM115
        self._writer = csv.writer(self._handle, delimiter=";")
        self._writer.writerow(["file", "line", "reason", "detail", "record"])

    def write(self, reject: Reject) -> None:
        from npsdesk.csvsafe import neutralize

        self._writer.writerow(
            [
                neutralize(self.source_name),
                reject.line,
                reject.reason,
                neutralize(reject.detail),
                neutralize(reject.record),
            ]
        )

    def close(self) -> None:
        self._handle.close()


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
            "batch": self.batch,
            "dry_run": self.dry_run,
            "sha256": self.sha256,
            "unmapped_headers": list(self.unmapped),
            "participants_answered": self.participants,
        }
