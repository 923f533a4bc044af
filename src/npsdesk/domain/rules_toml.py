"""Rules written back as the TOML a team reads and keeps in version control: one `[[rule]]`
table each, dotted `when.*` / `then.*` keys, in the order the rules run."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

_ORDER = ("name", "enabled", "stop")


def dump_rules(tables: Sequence[Mapping[str, Any]]) -> str:
    """`tables` (each rule as `read_rule` reads it) as TOML that reads back the same."""
    blocks = []
    for table in tables:
        lines = ["[[rule]]"]
        for key in _ORDER:
            if key in table:
                lines.append(f"{key} = {_value(table[key])}")
        for section in ("when", "then"):
            for key, value in _flat(table.get(section, {}), section):
                lines.append(f"{key} = {_value(value)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def _flat(table: Mapping[str, Any], prefix: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}.{_key(key)}"
        if key == "not" and isinstance(value, Mapping):
            out.extend(_flat(value, name))
        else:
            out.append((name, value))
    return out


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")
