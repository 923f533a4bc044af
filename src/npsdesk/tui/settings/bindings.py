"""The keys of the team settings screen (S), with ids a `[keys]` section can move."""

from __future__ import annotations

from npsdesk.tui.bindings import Key

SECTIONS = ("categories", "analysts", "templates", "sender", "bonus", "deadlines")

SETTINGS_KEYS: tuple[Key, ...] = (
    Key("settings.close", "escape", "close", show=True),
    Key("settings.save", "ctrl+s", "save", show=True),
    # from anywhere, a text field included (1-6 type digits there)
    Key("settings.next", "ctrl+pagedown", "step(1)", show=True, priority=True),
    Key("settings.previous", "ctrl+pageup", "step(-1)", priority=True),
    *(
        Key(f"settings.{name}", str(number), f"section('{name}')")
        for number, name in enumerate(SECTIONS, start=1)
    ),
)

CATEGORY_KEYS: tuple[Key, ...] = (
    Key("settings.category_add", "a", "add", show=True),
    Key("settings.category_remove", "x,delete", "remove", show=True),
    Key("settings.category_restore", "r", "restore", show=True),
)

ANALYST_KEYS: tuple[Key, ...] = (
    Key("settings.analyst_add", "a", "add", show=True),
    Key("settings.analyst_remove", "x,delete", "remove", show=True),
    Key("settings.analyst_restore", "r", "restore", show=True),
)

TEMPLATE_KEYS: tuple[Key, ...] = (Key("settings.preview", "ctrl+r", "preview", show=True),)

ALL: tuple[Key, ...] = (*SETTINGS_KEYS, *CATEGORY_KEYS, *ANALYST_KEYS, *TEMPLATE_KEYS)
