"""Store failures, each with one line meant for the user."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot do what was asked; str() is a message for the user."""


class StoreMissing(StoreError):
    pass


class StoreUnreadable(StoreError):
    pass


class StoreLocked(StoreError):
    pass


class StoreTooNew(StoreError):
    pass


class NotFound(StoreError):
    pass


class StoreConflict(StoreError):
    """Someone else changed the same thing first; nothing of this change was written."""
