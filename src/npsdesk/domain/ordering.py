"""The order of the opinion list.

Lower priority value first, then the nearest deadline (no deadline last), then the
oldest answer, then the id as a tie-breaker so the order is total and stable. The store
sorts the same way in SQL: ``ORDER BY priority, deadline IS NULL, deadline, answered_at, id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from npsdesk.domain.models import DomainError, NpsClass, Priority

__all__ = ["DEFAULT_PRIORITY", "Rankable", "default_priority", "ordered", "sort_key"]

DEFAULT_PRIORITY: dict[NpsClass, Priority] = {
    NpsClass.DETRACTOR: Priority.HIGH,
    NpsClass.NEUTRAL: Priority.MEDIUM,
    NpsClass.PROMOTER: Priority.LOW,
}


def default_priority(nps_class: NpsClass) -> Priority:
    """Detractor HIGH, neutral MEDIUM, promoter LOW."""
    return DEFAULT_PRIORITY[NpsClass(nps_class)]


@dataclass(frozen=True)
class Rankable:
    id: int
    priority: Priority
    deadline: date | None
    answered_at: datetime

    def __post_init__(self) -> None:
        # Naive and aware datetimes cannot be compared: refuse early, with a clear message.
        if self.answered_at.tzinfo is None or self.answered_at.utcoffset() is None:
            raise DomainError(f"answered_at must be timezone-aware (opinion {self.id})")


SortKey = tuple[int, bool, date, datetime, int]


def sort_key(item: Rankable) -> SortKey:
    """(priority, deadline is None, deadline, answered_at, id)."""
    return (
        int(item.priority),
        item.deadline is None,
        item.deadline if item.deadline is not None else date.min,
        item.answered_at,
        item.id,
    )


def ordered(items: Iterable[Rankable]) -> list[Rankable]:
    return sorted(items, key=sort_key)
