"""Team settings kept in the store, and the log of every change to them.

A team setting lives in `store_setting` like the sender name; writing one through `put`
records who changed it, when, and the old and new values in `setting_change`, in the
caller's transaction. A setting set to None goes back to each analyst's settings file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from npsdesk.store.connection import Connection, Row
from npsdesk.store.db import to_db_time
from npsdesk.store.mailbox import get_setting, put_setting

DEADLINE_KEYS = {
    "detractor": "deadlines.detractor",
    "neutral": "deadlines.neutral",
    "promoter": "deadlines.promoter",
}
BONUS_NEUTRALS_KEY = "bonus.neutrals"
POOL_KEY = "bonus.pool"  # the coupon pool thank-yous draw from ("" or absent: none)


def record_change(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    setting: str,
    old: str | None,
    new: str | None,
    item: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO setting_change (at, actor, setting, item, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (to_db_time(at), actor, setting, item, old, new),
    )


def put(conn: Connection, key: str, value: str | None, actor: str, now: datetime) -> bool:
    """Set (or with None, clear) a team setting and record the change; False if unchanged."""
    old = get_setting(conn, key)
    if old == value:
        return False
    if value is None:
        conn.execute("DELETE FROM store_setting WHERE key = ?", (key,))
    else:
        put_setting(conn, key, value, actor, now)
    record_change(conn, at=now, actor=actor, setting=key, old=old, new=value)
    return True


def settings_with_origin(
    conn: Connection, keys: tuple[str, ...]
) -> dict[str, tuple[str, str, str]]:
    """{key: (value, updated_by, updated_at)} for the keys the store holds."""
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT key, value, updated_by, updated_at FROM store_setting WHERE key IN ({marks})",
        keys,
    )
    return {str(r[0]): (str(r[1]), str(r[2]), str(r[3])) for r in rows}


def team_deadlines(conn: Connection) -> Mapping[str, int]:
    """{class: business days} the team set in the store (classes it left alone are absent)."""
    found = settings_with_origin(conn, tuple(DEADLINE_KEYS.values()))
    return {
        nps_class: int(found[key][0])
        for nps_class, key in DEADLINE_KEYS.items()
        if key in found and found[key][0].isdigit()
    }


def changes(conn: Connection, limit: int = 200, setting: str | None = None) -> list[Row]:
    """The latest changes first; `setting` keeps those of one setting or family
    (`template` gives `template.subject` and `template.body`)."""
    sql = "SELECT * FROM setting_change"
    params: list[object] = []
    if setting:
        sql += " WHERE setting = ? OR setting LIKE ? ESCAPE '\\'"
        escaped = setting.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params += [setting, escaped + ".%"]
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return conn.execute(sql, params).fetchall()
