"""The texts the user reads, by area; each module holds `TEXTS`: key -> (pt, en)."""

from __future__ import annotations

from npsdesk.texts import base, bulk, customer, dashboard, desk, keys, settings


def catalog() -> dict[str, tuple[str, str]]:
    """Every area's texts in one mapping; a key defined twice is a mistake, caught here."""
    merged: dict[str, tuple[str, str]] = {}
    for module in (base, desk, dashboard, keys, bulk, customer, settings):
        for key, texts in module.TEXTS.items():
            if key in merged:
                raise ValueError(f"text key {key!r} defined twice ({module.__name__})")
            merged[key] = texts
    return merged
