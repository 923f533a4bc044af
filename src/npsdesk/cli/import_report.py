"""What `npsdesk import` shows: a progress bar while it reads, a summary when it is done."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from npsdesk.i18n import fmt_count, t, t_n
from npsdesk.importers.results import ImportResult
from npsdesk.untrusted.text import clean_line

SHOWN_REJECTS = 10
SHOWN_IGNORED = 5  # header names in the summary line; --json lists them all
_HEADER_WIDTH = 40


class RowsPerSecond(ProgressColumn):
    """Rows read so far and the rate (the bar itself follows the bytes read)."""

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.lang = lang

    def render(self, task: Task) -> Text:
        rows = int(task.fields.get("rows", 0))
        elapsed = task.elapsed or 0.0
        rate = rows / elapsed if elapsed > 0 else 0.0
        shown = t(
            "import.progress.rows",
            self.lang,
            rows=fmt_count(rows, self.lang),
            rate=fmt_count(round(rate), self.lang),
        )
        return Text(shown, style="progress.data.speed")


class ImportProgress:
    """A Rich progress bar on stderr; does nothing when disabled (--json, not a terminal)."""

    def __init__(self, *, enabled: bool, lang: str = "en") -> None:
        self.enabled = enabled
        self.lang = lang
        self._progress: Progress | None = None
        self._task: Any = None

    def __enter__(self) -> ImportProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                RowsPerSecond(self.lang),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def start(self, path: Path) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(clean_line(path.name), total=None, rows=0)

    def update(self, rows: int, done: int, total: int) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done, total=total, rows=rows)


def _ignored(headers: tuple[str, ...], lang: str) -> str:
    """The ignored columns, or with many of them their count and the first few."""
    shown = ", ".join(_clip(clean_line(h)) for h in headers[:SHOWN_IGNORED])
    if len(headers) <= SHOWN_IGNORED:
        return f"{t('import.ignored', lang)}: {shown}"
    more = t_n("import.ignored_more", len(headers) - SHOWN_IGNORED, lang)
    return f"{t('import.ignored', lang)} ({fmt_count(len(headers), lang)}): {shown} {more}"


def _clip(text: str) -> str:
    return text if len(text) <= _HEADER_WIDTH else text[: _HEADER_WIDTH - 1] + "…"


def print_result(result: ImportResult, lang: str, console: Console | None = None) -> None:
    console = console or Console(highlight=False, file=sys.stdout)
    head = Text()
    head.append(clean_line(result.file.name), style="bold")
    details = ", ".join(filter(None, (result.kind, result.format, result.encoding)))
    head.append(f" ({details})")
    if result.dry_run:
        head.append(f"  {t('import.dry_run', lang)}", style="bold yellow")
    console.print(head)

    counts = Table.grid(padding=(0, 2))
    for _ in range(5):
        counts.add_column(justify="right")
    counts.add_row(
        *(
            Text(t(f"import.{label}", lang), style="dim")
            for label in ("new", "updated", "unchanged", "rejected", "duplicates")
        )
    )
    counts.add_row(
        Text(str(result.new), style="green" if result.new else ""),
        Text(str(result.updated), style="yellow" if result.updated else ""),
        Text(str(result.unchanged)),
        Text(str(result.rejected), style="bold red" if result.rejected else ""),
        Text(str(result.duplicates)),
    )
    console.print(counts)
    extra = []
    if result.kind == "responses" and (result.respondents_new or result.respondents_updated):
        extra.append(
            t("import.customers", lang).format(
                new=result.respondents_new, updated=result.respondents_updated
            )
        )
    if result.batch is not None:
        extra.append(t("import.batch", lang).format(batch=result.batch))
    if result.unmapped:
        extra.append(_ignored(result.unmapped, lang))
    if extra:
        console.print(Text(" · ".join(extra), style="dim"))
    if result.rejects:
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        table.add_column(t("import.line", lang), justify="right")
        table.add_column(t("reason", lang))
        table.add_column(t("import.detail", lang), overflow="fold")
        for reject in result.rejects[:SHOWN_REJECTS]:
            table.add_row(
                Text(str(reject.line)), Text(reject.reason), Text(clean_line(reject.detail))
            )
        console.print(table)
        more = result.rejected - min(SHOWN_REJECTS, len(result.rejects))
        if result.rejects_error is not None:
            unsaved = t_n("import.unsaved", result.rejected, lang, error=result.rejects_error)
            console.print(Text(clean_line(unsaved), style="bold red"))
        elif result.rejects_file is not None:
            where = t_n("import.saved", result.rejected, lang, path=result.rejects_file)
            prefix = t_n("import.more", more, lang) if more > 0 else ""
            console.print(Text(prefix + where, style="dim"))
        elif more > 0:
            console.print(Text(t_n("import.not_saved", more, lang), style="dim"))
