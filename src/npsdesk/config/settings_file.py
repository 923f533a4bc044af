"""Reading the settings file (TOML): its settings by dotted key, checked, its import
profiles and its desk keymap. Every mistake is a ConfigError naming the key and the file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from npsdesk.config.kinds import Invalid
from npsdesk.config.setting_keys import BY_DOTTED, SECTIONS, SettingKey


class ConfigError(Exception):
    """A setting the user got wrong; the message is one clear line for the user."""


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


def invalid(prefix: str, key: SettingKey, shown: str) -> ConfigError:
    return ConfigError(f"{prefix} {key.kind.expect}, got {shown}")


def read_file(
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
        key = BY_DOTTED.get(dotted) if "." not in name else None
        if key is not None:
            if is_table:
                raise ConfigError(
                    f"setting {dotted!r} in {path} must be a value, not a section ([{dotted}])"
                )
            try:
                found[dotted] = key.kind.check(value)
            except Invalid:
                raise invalid(
                    f"setting {dotted!r} in {path} must be", key, _show_toml(value)
                ) from None
        elif dotted in SECTIONS and "." not in name:
            if not is_table:
                raise ConfigError(
                    f"{dotted!r} in {path} must be a section ([{dotted}]), not a value"
                )
            _walk(value, dotted + ".", path, found)
        else:
            what = "section" if is_table else "setting"
            message = f"unknown {what} {dotted!r} in {path}"
            hint = _suggest(dotted, SECTIONS if is_table else BY_DOTTED)
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
