"""Settings: defaults, overridden by the TOML file, by NPSDESK_* variables, by CLI flags.

The settings known and their defaults are the rows of ``setting_keys.KEYS``; reading the
file is ``settings_file``. Errors a user can cause are ConfigError with one line naming the
key and its origin.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

from npsdesk.config import locations
from npsdesk.config.kinds import DEFAULT_TIMEZONE, Invalid
from npsdesk.config.setting_keys import (
    BY_DOTTED,
    ENV_PREFIX,
    KEYS,
    LANGUAGES,
    SettingKey,
    default_analyst,
    default_language,
)
from npsdesk.config.settings_file import ConfigError, Profile, invalid, read_file

DATE_FORMATS = {"pt": "%d/%m/%Y", "en": "%Y-%m-%d"}

# Source labels stored in Settings.sources (env and flag ones carry the name).
SOURCE_DEFAULT = "default"
SOURCE_FILE = "file"

__all__ = [
    "ENV_PREFIX",
    "KEYS",
    "LANGUAGES",
    "ConfigError",
    "Profile",
    "SettingKey",
    "Settings",
    "default_analyst",
    "default_language",
    "describe",
    "load_settings",
]


@dataclass(frozen=True)
class Settings:
    store: str
    timezone: str = DEFAULT_TIMEZONE
    language: str = "pt"
    analyst: str = field(default_factory=default_analyst)
    date_format: str = ""
    deadline_detractor: int = 1
    deadline_neutral: int = 3
    deadline_promoter: int = 5
    mail_transport: str = "smtp"
    mail_folder: str = ""
    mail_host: str = ""
    mail_port: int = 587
    mail_security: str = "starttls"
    mail_username: str = ""
    mail_timeout: int = 30
    mail_from: str = ""
    mail_inbox_host: str = ""  # IMAP server replies are fetched from (empty: none)
    mail_inbox_port: int = 993
    mail_inbox_security: str = "tls"
    mail_inbox_username: str = ""
    mail_inbox_folder: str = "INBOX"
    mail_inbox_after: str = "seen"  # or "move" (to mail_inbox_move_to)
    mail_inbox_move_to: str = "npsdesk"
    mail_inbox_maildir: str = ""  # a local Maildir replies are read from (empty: none)
    mail_inbox_every: int = 120  # seconds between the desk's fetches
    mail_inbox_attachment_cap: int = 10  # MB per attachment kept
    thank_you: str = "review"
    thank_you_type: str = "praise"
    thank_you_category: str = "Elogio"
    bonus_neutrals: bool = False
    campaign_min_days: int = 90
    store_wait: int = 5  # minutes a write waits behind another program's
    config_path: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict, hash=False)
    profiles: Mapping[str, Profile] = field(default_factory=dict, hash=False)
    keymap: Mapping[str, str] = field(default_factory=dict, hash=False)  # binding id -> keys

    def profile(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(sorted(self.profiles)) or "none defined"
            where = self.config_path or "the settings file"
            raise ConfigError(
                f"no import profile {name!r} in {where} (profiles: {known})"
            ) from None

    @property
    def tz(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.timezone)

    def effective_date_format(self) -> str:
        """The date_format setting, or the language's usual one when it is empty."""
        return self.date_format or DATE_FORMATS.get(self.language, DATE_FORMATS["en"])


# --- loading --------------------------------------------------------------------------------


def load_settings(
    *,
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, object] | None = None,
) -> Settings:
    """Defaults < config file < NPSDESK_* environment < flags (dotted keys; None = not given).

    ``config_path`` defaults to locations.config_file(env); a missing file is fine.
    Raises ConfigError for anything the user got wrong.
    """
    if env is None:
        env = os.environ
    flags = flags or {}
    for name in flags:
        if name not in BY_DOTTED:
            raise ValueError(f"unknown setting {name!r} in flags")
    path = config_path if config_path is not None else locations.config_file(env)
    read = read_file(path)
    from_file, profiles, keymap = read if read is not None else (None, {}, {})

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key in KEYS:
        if key.dotted in flags and flags[key.dotted] is not None:
            raw = flags[key.dotted]
            origin = f"flag {key.flag}"
            try:
                value = key.kind.parse(raw) if isinstance(raw, str) else key.kind.check(raw)
            except Invalid:
                raise invalid(f"{origin} must be", key, repr(raw)) from None
            values[key.field], sources[key.dotted] = value, origin
        elif env.get(key.env_var, ""):
            text = env[key.env_var]
            try:
                value = key.kind.parse(text)
            except Invalid:
                raise invalid(f"{key.env_var} must be", key, repr(text)) from None
            values[key.field], sources[key.dotted] = value, f"env {key.env_var}"
        elif from_file is not None and key.dotted in from_file:
            values[key.field], sources[key.dotted] = from_file[key.dotted], SOURCE_FILE
        else:
            values[key.field], sources[key.dotted] = key.default(env), SOURCE_DEFAULT
    return Settings(
        **values,
        config_path=path if from_file is not None else None,
        sources=sources,
        profiles=profiles,
        keymap=keymap,
    )


# --- showing --------------------------------------------------------------------------------


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """(dotted key, value as text, source) for every setting, in key-table order.

    The source "file" is shown as the file's path; an empty date_format is shown as the
    pattern it stands for.
    """
    rows: list[tuple[str, str, str]] = []
    for key in KEYS:
        value: object = getattr(settings, key.field)
        if key.field == "date_format":
            value = settings.effective_date_format()
        source = settings.sources.get(key.dotted, SOURCE_DEFAULT)
        if source == SOURCE_FILE and settings.config_path is not None:
            source = str(settings.config_path)
        rows.append((key.dotted, key.kind.show(value), source))
    return rows
