"""The store's SQL, written for SQLite, as PostgreSQL takes it.

Only what is mechanical is translated here: `:name` and `?` parameters become psycopg's
`%(name)s` and `%s` (a literal `%` doubles), and the `+o.column` planner hints that keep
SQLite off an index lose their `+` (PostgreSQL plans without them and has no unary plus on
booleans). Everything that differs in meaning is written per back end where it is used.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HINT = re.compile(r"(?<=[\s(])\+(?=[a-z_]+\.[a-z_]+)")


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """`sql` with psycopg placeholders; quoted text and identifiers are left as they are."""
    out: list[str] = []
    i, n = 0, len(sql)
    start = 0  # where the current unquoted stretch began

    def flush(end: int) -> None:
        out.append(_HINT.sub("", sql[start:end]))

    while i < n:
        ch = sql[i]
        if ch in "'\"":
            flush(i)
            close = i + 1
            while True:
                close = sql.find(ch, close)
                if close < 0:
                    close = n - 1
                    break
                if close + 1 < n and sql[close + 1] == ch:  # '' inside a literal
                    close += 2
                    continue
                break
            out.append(sql[i : close + 1].replace("%", "%%"))
            i = start = close + 1
            continue
        if ch == "-" and sql.startswith("--", i):
            flush(i)
            end = sql.find("\n", i)
            end = n if end < 0 else end
            i = start = end
            continue
        if ch == ":":
            if sql.startswith("::", i):  # a cast
                i += 2
                continue
            name = _NAME.match(sql, i + 1)
            if name and (i == 0 or sql[i - 1] != ":"):
                flush(i)
                out.append(f"%({name.group()})s")
                i = start = name.end()
                continue
        elif ch == "?":
            flush(i)
            out.append("%s")
            i = start = i + 1
            continue
        elif ch == "%":
            flush(i)
            out.append("%%")
            i = start = i + 1
            continue
        i += 1
    flush(n)
    return "".join(out)
