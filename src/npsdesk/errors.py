"""Store failures, each with one line meant for the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from npsdesk.domain.models import Refusal


class StoreError(Exception):
    """The store cannot do what was asked; str() is a message for the user."""


class StoreMissing(StoreError):
    pass


class StoreUnreadable(StoreError):
    pass


class StoreLocked(StoreError):
    pass


class StoreFull(StoreError):
    """The disk the store is on has no space left; the write was rolled back."""

    def __init__(self, path: object) -> None:
        self.path = path
        super().__init__(f"no space left on the disk of {path}: nothing of this change was saved")


class StoreConnectionLost(StoreUnreadable):
    """The connection to the team store dropped before the change committed: nothing of it
    was saved, and it can be made again as it was."""


class StoreSaveUnknown(StoreConnectionLost):
    """The connection dropped while the change committed and the store could not be asked
    since whether it did: it may or may not be saved."""


class StoreTooNew(StoreError):
    pass


class NotFound(Refusal, StoreError):
    """What was asked for is not in the store (worded from the catalogue, as a `Refusal`)."""


class StoreConflict(StoreError):
    """Someone else changed the same thing first; nothing of this change was written."""


@dataclass(frozen=True)
class Change:
    """One thing someone else did to a case: who, when, and what (as the history has it)."""

    at: datetime
    actor: str
    kind: str
    field: str | None
    old_value: str | None
    new_value: str | None

    def describe(self) -> str:
        if self.field:
            return f"{self.actor} set {self.field} to {self.new_value or '-'}"
        return f"{self.actor}: {self.kind.replace('_', ' ')}"


class StaleCase(StoreConflict):
    """The case changed after the analyst read it: the edit is refused, nothing written."""

    def __init__(self, opinion_id: int, version: int, changes: list[Change]) -> None:
        self.opinion_id = opinion_id
        self.version = version
        self.changes = changes
        said = "; ".join(c.describe() for c in changes) or "its survey data was updated"
        super().__init__(
            f"case #{opinion_id} changed while you were editing it ({said}); nothing was "
            "saved: save again to apply your change over theirs"
        )
