"""What `store copy` did, table by table, and the checks made before it commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npsdesk.domain.models import Reason, Refusal
from npsdesk.errors import StoreError


class CopyRefused(Refusal, StoreError):
    """The copy cannot start (worded from the catalogue, as a `Refusal`)."""


class CopyFailed(CopyRefused):
    """The copy did not check out; nothing was written to the team store."""


@dataclass
class TableCount:
    """One table: the personal store's rows, what became of them, the team store's rows."""

    table: str
    personal: int = 0
    copied: int = 0
    already: int = 0  # matched a row the team store had
    updated: int = 0  # team rows completed (a coupon marked given, an invitation linked)
    skipped: dict[str, int] = field(default_factory=dict)  # why -> rows
    team_before: int = 0
    team: int = 0
    found: int | None = None  # rows copied or already there, found after the copy

    def skip(self, reason: str, rows: int = 1) -> None:
        if rows:
            self.skipped[reason] = self.skipped.get(reason, 0) + rows

    @property
    def skipped_rows(self) -> int:
        return sum(self.skipped.values())

    def problems(self) -> list[Reason]:
        """What does not add up, each a reason the catalogue words (its str() in English)."""
        out = []
        accounted = self.copied + self.already + self.skipped_rows
        if accounted != self.personal:
            out.append(
                Reason(
                    "store.copy.problem.accounted",
                    table=self.table,
                    personal=self.personal,
                    accounted=accounted,
                )
            )
        if self.team != self.team_before + self.copied:
            out.append(
                Reason(
                    "store.copy.problem.team",
                    table=self.table,
                    before=self.team_before,
                    after=self.team,
                    copied=self.copied,
                )
            )
        if self.found is not None and self.found != self.copied + self.already:
            out.append(
                Reason(
                    "store.copy.problem.found",
                    table=self.table,
                    expected=self.copied + self.already,
                    found=self.found,
                )
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "personal": self.personal,
            "copied": self.copied,
            "already_there": self.already,
            "updated": self.updated,
            "skipped": dict(self.skipped),
            "team": self.team,
        }


@dataclass(frozen=True)
class Conflict:
    """A case both stores hold, treated differently; the team's fields were kept."""

    source: str
    external_id: str
    personal_id: int
    team_id: int
    fields: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "fields": list(self.fields)}


@dataclass
class CopyReport:
    source: str
    target: str
    tables: dict[str, TableCount] = field(default_factory=dict)
    conflicts: int = 0
    examples: list[Conflict] = field(default_factory=list)
    notes: list[tuple[str, int]] = field(default_factory=list)  # warnings: (key, count)
    backup: Path | None = None  # of the personal store, made before upgrading it
    seconds: float = 0.0

    @property
    def warnings(self) -> list[str]:
        """The warnings, in English (`notes` holds their catalogue keys and counts)."""
        from npsdesk.i18n import t_n

        return [t_n(key, n, "en") for key, n in self.notes]

    @property
    def written(self) -> int:
        """Rows the copy added to or completed in the team store."""
        return sum(t.copied + t.updated for t in self.tables.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "written": self.written,
            "seconds": round(self.seconds, 2),
            "backup": None if self.backup is None else str(self.backup),
            "tables": {name: count.to_json() for name, count in self.tables.items()},
            "conflicts": {
                "count": self.conflicts,
                "examples": [c.to_json() for c in self.examples],
            },
            "warnings": list(self.warnings),
        }
