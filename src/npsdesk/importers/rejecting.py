"""The rows an import could not take: kept for the summary, written to a reject file.

One reject file per batch, named for the file, the batch and the second; it is written
under a temporary name and named when the batch lands, so a failed import keeps none.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import npsdesk.importers.values as v
from npsdesk.importers.readers import Record
from npsdesk.importers.results import ImportResult, Reject, RejectFile

KEPT_REJECTS = 1000  # in memory for the summary; the reject file has them all


class RejectLog:
    def __init__(
        self,
        result: ImportResult,
        path: Path,
        folder: Path | None,
        *,
        dry_run: bool,
        now: datetime,
        tz: ZoneInfo,
    ) -> None:
        self.result = result
        self.path = path
        self.folder = folder
        self.dry_run = dry_run
        self.now = now
        self.tz = tz
        self._rejects: RejectFile | None = None
        self._handled = sys.exc_info()[1]  # a caller's, not this run's (see close)

    def reject(self, record: Record, error: v.RowError) -> None:
        result = self.result
        result.rejected += 1
        reject = Reject(record.line, record.raw, error.reason, error.detail)
        if len(result.rejects) < KEPT_REJECTS:
            result.rejects.append(reject)
        if self.folder is not None and not self.dry_run:
            self._write_reject(reject)

    def _write_reject(self, reject: Reject) -> None:
        if self.result.rejects_error is not None:
            return  # the reject file failed: the summary still has the first rejects
        try:
            if self._rejects is None:
                folder = self.folder
                assert folder is not None
                self._rejects = RejectFile(folder, self._rejects_name(), self.path.name)
            self._rejects.write(reject)
        except OSError as error:
            self._rejects_failed(error)

    def _rejects_name(self) -> str:
        """The file's stem, the batch and the second: one file per batch, never shared."""
        stamp = self.now.astimezone(self.tz).strftime("%Y%m%d-%H%M%S")
        return f"{self.path.stem}-rejects-batch-{self.result.batch}-{stamp}.csv"

    def _rejects_failed(self, error: OSError) -> None:
        self.result.rejects_error = str(error)
        rejects, self._rejects = self._rejects, None
        if rejects is not None:
            rejects.discard()

    def close(self) -> None:
        """Name the finished reject file; a batch that failed (the error on its way up gets a
        note if the reject file failed too) keeps none."""
        rejects, self._rejects = self._rejects, None
        failed = sys.exc_info()[1]
        if failed is not None and failed is not self._handled:
            if rejects is not None:
                rejects.discard()
            if self.result.rejects_error is not None:
                failed.add_note(f"rejects not saved: {self.result.rejects_error}")
            return
        if rejects is not None:
            try:
                self.result.rejects_file = rejects.finish()
            except OSError as error:
                self.result.rejects_error = str(error)
