"""The keys of the team settings screen (S), with ids a `[keys]` section can move."""

from __future__ import annotations

from npsdesk.tui.bindings import DeskKey

SECTIONS = ("categories", "analysts", "templates", "sender", "bonus", "deadlines", "replies")

SETTINGS_KEYS: tuple[DeskKey, ...] = (
    DeskKey("settings.close", "escape", "close", show=True),
    DeskKey("settings.save", "ctrl+s", "save", show=True),
    # from anywhere, a text field included (1-7 type digits there)
    DeskKey("settings.next", "ctrl+pagedown", "step(1)", show=True, priority=True),
    DeskKey("settings.previous", "ctrl+pageup", "step(-1)", priority=True),
    *(
        DeskKey(f"settings.{name}", str(number), f"section('{name}')")
        for number, name in enumerate(SECTIONS, start=1)
    ),
)

CATEGORY_KEYS: tuple[DeskKey, ...] = (
    DeskKey("settings.category_add", "a", "add", show=True),
    DeskKey("settings.category_remove", "x,delete", "remove", show=True),
    DeskKey("settings.category_restore", "r", "restore", show=True),
)

ANALYST_KEYS: tuple[DeskKey, ...] = (
    DeskKey("settings.analyst_add", "a", "add", show=True),
    DeskKey("settings.analyst_remove", "x,delete", "remove", show=True),
    DeskKey("settings.analyst_restore", "r", "restore", show=True),
)

TEMPLATE_KEYS: tuple[DeskKey, ...] = (DeskKey("settings.preview", "ctrl+r", "preview", show=True),)

ALL: tuple[DeskKey, ...] = (*SETTINGS_KEYS, *CATEGORY_KEYS, *ANALYST_KEYS, *TEMPLATE_KEYS)
