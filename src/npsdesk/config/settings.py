"""Settings: defaults, overridden by the TOML file, by NPSDESK_* variables, by CLI flags.

Every setting is one row of ``KEYS``: its dotted key (as written in the file and shown
by ``npsdesk config``), the Settings field it fills, its kind (which checks and parses
values) and its default. The environment variable and the flag name derive from the
dotted key, and TOML sections derive from the dotted keys, so a new section is just
new rows (plus the Settings fields they fill).

Errors a user can cause are ConfigError with one line naming the key and its origin.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

from npsdesk.config import locations
from npsdesk.config.kinds import (
    DEFAULT_TIMEZONE,
    Choice,
    Count,
    DateFormat,
    Flag,
    Invalid,
    Kind,
    Optional,
    Port,
    Store,
    Text,
    TimeZone,
)

ENV_PREFIX = "NPSDESK_"

LANGUAGES = ("pt", "en")
DATE_FORMATS = {"pt": "%d/%m/%Y", "en": "%Y-%m-%d"}

# Source labels stored in Settings.sources (env and flag ones carry the name).
SOURCE_DEFAULT = "default"
SOURCE_FILE = "file"


class ConfigError(Exception):
    """A setting the user got wrong; the message is one clear line for the user."""


def default_language(env: Mapping[str, str]) -> str:
    """``pt`` if the locale (LC_ALL, then LC_MESSAGES, then LANG) starts with "pt", else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "pt" if value.lower().startswith("pt") else "en"
    return "en"


def default_analyst() -> str:
    """The login name of whoever runs npsdesk, or "analyst" when it cannot be found."""
    import getpass

    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "analyst"
    return name or "analyst"


@dataclass(frozen=True)
class Profile:
    """How to read one platform's export: `[profiles.NAME]` in the settings file.

    ``columns`` maps a field to the export's header (``[profiles.NAME.map]``); the importer
    checks field names when the profile is used.
    """

    name: str
    kind: str | None = None
    source: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    internal: bool | None = None
    columns: Mapping[str, str] = field(default_factory=dict, hash=False)


PROFILE_TEXT_KEYS = ("kind", "source", "encoding", "sheet")


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


# --- the key table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    dotted: str  # as in the file: "deadlines.neutral"
    field: str  # the Settings field: "deadline_neutral"
    kind: Kind
    default: Callable[[Mapping[str, str]], object]  # gets the environment
    help: str = ""

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.dotted.upper().replace(".", "_")

    @property
    def flag(self) -> str:
        return "--" + self.dotted.replace(".", "-").replace("_", "-")

    @property
    def section(self) -> str:
        return self.dotted.rpartition(".")[0]


def _const(value: object) -> Callable[[Mapping[str, str]], object]:
    return lambda _env: value


KEYS: tuple[Key, ...] = (
    Key(
        "store",
        "store",
        Store(),
        lambda _env: str(locations.default_store()),
        "the SQLite file (or database URL)",
    ),
    Key(
        "store_wait",
        "store_wait",
        Count(),
        _const(5),
        "minutes a write waits for another program's write (0: not at all)",
    ),
    Key("timezone", "timezone", TimeZone(), _const(DEFAULT_TIMEZONE), "time zone"),
    Key("language", "language", Choice(*LANGUAGES), default_language, "language"),
    Key("analyst", "analyst", Text(), lambda _env: default_analyst(), "who is working"),
    Key("date_format", "date_format", DateFormat(), _const(""), "strftime date pattern"),
    Key("deadlines.detractor", "deadline_detractor", Count(), _const(1), "business days"),
    Key("deadlines.neutral", "deadline_neutral", Count(), _const(3), "business days"),
    Key("deadlines.promoter", "deadline_promoter", Count(), _const(5), "business days"),
    Key("mail.transport", "mail_transport", Choice("smtp", "file"), _const("smtp"), "how"),
    Key("mail.folder", "mail_folder", Optional(), _const(""), "file transport folder"),
    Key("mail.host", "mail_host", Optional(), _const(""), "SMTP server"),
    Key("mail.port", "mail_port", Port(), _const(587), "SMTP port"),
    Key(
        "mail.security",
        "mail_security",
        Choice("starttls", "tls", "none"),
        _const("starttls"),
        "none only on loopback",
    ),
    Key("mail.username", "mail_username", Optional(), _const(""), "SMTP login"),
    Key("mail.timeout", "mail_timeout", Count(), _const(30), "seconds"),
    Key("mail.from_address", "mail_from", Optional(), _const(""), "fixed sender address"),
    Key(
        "promoters.thank_you",
        "thank_you",
        Choice("review", "send", "off"),
        _const("review"),
        "thank-you on import",
    ),
    Key("promoters.close_type", "thank_you_type", Choice("praise", "none"), _const("praise"), ""),
    Key(
        "promoters.close_category",
        "thank_you_category",
        Optional(),
        _const("Elogio"),
        "category of closed thank-yous",
    ),
    Key("bonus.neutrals", "bonus_neutrals", Flag(), _const(False), "neutrals get a coupon"),
    Key(
        "campaigns.min_days",
        "campaign_min_days",
        Count(),
        _const(90),
        "days between two surveys of a customer",
    ),
)

_BY_DOTTED: dict[str, Key] = {key.dotted: key for key in KEYS}


def _sections() -> set[str]:
    """Every section some key lives in, with its parents ("a.b" gives "a" and "a.b")."""
    found: set[str] = set()
    for key in KEYS:
        parts = key.dotted.split(".")[:-1]
        for end in range(1, len(parts) + 1):
            found.add(".".join(parts[:end]))
    return found


_SECTIONS = _sections()


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
        if name not in _BY_DOTTED:
            raise ValueError(f"unknown setting {name!r} in flags")
    path = config_path if config_path is not None else locations.config_file(env)
    read = _read_file(path)
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
                raise _error(f"{origin} must be", key, repr(raw)) from None
            values[key.field], sources[key.dotted] = value, origin
        elif env.get(key.env_var, ""):
            text = env[key.env_var]
            try:
                value = key.kind.parse(text)
            except Invalid:
                raise _error(f"{key.env_var} must be", key, repr(text)) from None
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


def _error(prefix: str, key: Key, shown: str) -> ConfigError:
    return ConfigError(f"{prefix} {key.kind.expect}, got {shown}")


def _read_file(
    path: Path,
) -> tuple[dict[str, object], dict[str, Profile], dict[str, str]] | None:
    """The file's settings by dotted key, import profiles and desk keymap, checked; None if
    there is no file."""
    import tomllib

    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read {path}: it is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None
    profiles = _profiles(document.pop("profiles", {}), path)
    keymap = _keymap(document.pop("keys", {}), path)
    found: dict[str, object] = {}
    _walk(document, "", path, found)
    return found, profiles, keymap


def _keymap(table: object, path: Path) -> dict[str, str]:
    """`[keys]`: binding id = "key[,key...]", e.g. `"desk.archive" = "A"` (ids: `?` in the desk)."""
    if not isinstance(table, dict):
        raise ConfigError(f"'keys' in {path} must be a section ([keys])")
    keymap: dict[str, str] = {}
    for binding, keys in table.items():
        if isinstance(keys, dict):  # desk.archive = "A" written without quotes nests
            raise ConfigError(f'in [keys] of {path}, quote the binding id: "{binding}.…" = "KEY"')
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(f"key '{binding}' in [keys] of {path} must be a key name like \"A\"")
        keymap[binding] = ",".join(k.strip() for k in keys.split(",") if k.strip())
    return keymap


def _profiles(table: object, path: Path) -> dict[str, Profile]:
    """`[profiles.NAME]` tables: text options, `internal` (bool) and a `map` table."""
    if not isinstance(table, dict):
        raise ConfigError(f"'profiles' in {path} must be a section ([profiles.NAME])")
    profiles: dict[str, Profile] = {}
    for name, body in table.items():
        where = f"profiles.{name}"
        if not isinstance(body, dict):
            raise ConfigError(f"{where!r} in {path} must be a section ([{where}])")
        options: dict[str, Any] = {}
        for key, value in body.items():
            if key in PROFILE_TEXT_KEYS:
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(f"setting '{where}.{key}' in {path} must be a non-empty text")
                options[key] = value.strip()
            elif key == "internal":
                if not isinstance(value, bool):
                    raise ConfigError(f"setting '{where}.internal' in {path} must be true or false")
                options[key] = value
            elif key == "map":
                if not isinstance(value, dict) or not all(
                    isinstance(v, str) and v.strip() for v in value.values()
                ):
                    raise ConfigError(
                        f"'{where}.map' in {path} must be a section of field = \"Header\" lines"
                    )
                options["columns"] = {k: v.strip() for k, v in value.items()}
            else:
                known = (*PROFILE_TEXT_KEYS, "internal", "map")
                hint = _suggest(key, known)
                extra = f" (did you mean {hint!r}?)" if hint else ""
                raise ConfigError(f"unknown setting '{where}.{key}' in {path}{extra}")
        if options.get("kind") not in (None, "responses", "customers"):
            raise ConfigError(
                f"setting '{where}.kind' in {path} must be one of responses, customers"
            )
        profiles[name] = Profile(name=name, **options)
    return profiles


def _walk(table: Mapping[str, Any], prefix: str, path: Path, found: dict[str, object]) -> None:
    for name, value in table.items():
        dotted = prefix + name
        is_table = isinstance(value, dict)
        key = _BY_DOTTED.get(dotted) if "." not in name else None
        if key is not None:
            if is_table:
                raise ConfigError(
                    f"setting {dotted!r} in {path} must be a value, not a section ([{dotted}])"
                )
            try:
                found[dotted] = key.kind.check(value)
            except Invalid:
                raise _error(
                    f"setting {dotted!r} in {path} must be", key, _show_toml(value)
                ) from None
        elif dotted in _SECTIONS and "." not in name:
            if not is_table:
                raise ConfigError(
                    f"{dotted!r} in {path} must be a section ([{dotted}]), not a value"
                )
            _walk(value, dotted + ".", path, found)
        else:
            what = "section" if is_table else "setting"
            message = f"unknown {what} {dotted!r} in {path}"
            hint = _suggest(dotted, _SECTIONS if is_table else _BY_DOTTED)
            if hint:
                message += f" (did you mean {hint!r}?)"
            raise ConfigError(message)


def _suggest(dotted: str, known: Iterable[str]) -> str | None:
    """The closest known name: by spelling, or a key whose last part matches."""
    import difflib

    names = sorted(known)
    close = difflib.get_close_matches(dotted, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    last = dotted.rpartition(".")[2]
    same_end = [n for n in names if n.rpartition(".")[2] == last]
    return same_end[0] if len(same_end) == 1 else None


def _show_toml(value: object) -> str:
    """A file value as it would be written in TOML (for "got ..." in messages)."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    return str(value)


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
