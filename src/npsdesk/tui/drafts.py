"""What the analyst typed and did not save, kept per case for the session.

Leaving a note, an e-mail or a contact attempt's note unsaved keeps it here (escape asks
first, then keeps it); opening the same form on the same case brings it back. A draft goes
when it is saved or sent, or when the analyst discards it (ctrl+d in the form). Only this
desk's memory holds it: nothing typed reaches the store before it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Key = tuple[str, int]  # (what is typed: "note", "mail", "contact"; the case)


@dataclass
class Drafts:
    kept: dict[Key, object] = field(default_factory=dict)

    def get(self, key: Key | None) -> object | None:
        return None if key is None else self.kept.get(key)

    def keep(self, key: Key | None, typed: object | None) -> None:
        """Keep `typed` for `key`; nothing typed forgets what was kept."""
        if key is None:
            return
        if typed is None:
            self.kept.pop(key, None)
        else:
            self.kept[key] = typed

    def drop(self, key: Key | None) -> None:
        self.keep(key, None)
