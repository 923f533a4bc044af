"""Team settings: deadlines per class and the bonus policy, set once in the store for everyone.

Each analyst's settings file has `[deadlines]` and `bonus.neutrals`; a value the team sets
in the store wins over it (for new opinions at import, the desk's standard deadlines and
thank-yous), and clearing the team value gives the file back its say. Every change is
recorded in the settings log, with the registry's and the mail settings'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from npsdesk.domain.deadlines import DeadlineRules
from npsdesk.domain.registry import RegistryError, check_deadline_days
from npsdesk.store import mailbox, team
from npsdesk.store.db import from_db_time

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.config.settings import Settings

CLASSES = ("detractor", "neutral", "promoter")
CLOSED_REPLIES_KEY = "replies.closed_case"  # what the reply service reads
CLOSED_REPLIES = ("reopen", "flag")
TEAM = "team"  # where an effective value comes from: the store
PERSONAL = "personal"  # each analyst's settings file (or its default)


@dataclass(frozen=True)
class Setting:
    """One team setting: the team's value (None: not set), the settings file's, and which
    of the two is in force."""

    key: str
    team: object | None
    personal: object
    personal_source: str  # "default", the settings file's path, "env NPSDESK_..."
    set_by: str | None = None
    set_at: datetime | None = None

    @property
    def effective(self) -> object:
        return self.personal if self.team is None else self.team

    @property
    def source(self) -> str:
        return PERSONAL if self.team is None else TEAM

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "effective": self.effective,
            "source": self.source,
            "team": self.team,
            "personal": self.personal,
            "personal_source": self.personal_source,
            "set_by": self.set_by,
            "set_at": None if self.set_at is None else self.set_at.isoformat(),
        }


@dataclass(frozen=True)
class Pool:
    campaign: str
    total: int
    given: int
    free: int
    active: bool


@dataclass(frozen=True)
class Change:
    at: datetime
    actor: str
    setting: str
    item: str | None
    old: str | None
    new: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor,
            "setting": self.setting,
            "item": self.item,
            "old": self.old,
            "new": self.new,
        }


def _flag(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text)


def deadline_rules(services: Services) -> DeadlineRules:
    """Business days per class in force: the team's where set, else the settings file's."""
    s = services.settings
    with services.db.read() as conn:
        chosen = team.team_deadlines(conn)
    return DeadlineRules(
        chosen.get("detractor", s.deadline_detractor),
        chosen.get("neutral", s.deadline_neutral),
        chosen.get("promoter", s.deadline_promoter),
    )


def bonus_neutrals(services: Services) -> bool:
    """Whether neutrals get a bonus coupon: the team's choice where made, else the file's."""
    with services.db.read() as conn:
        value = mailbox.get_setting(conn, team.BONUS_NEUTRALS_KEY)
    chosen = None if value is None else _flag(value)
    return services.settings.bonus_neutrals if chosen is None else chosen


class TeamSettings:
    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.actor = actor or services.settings.analyst

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def _personal(self, key: str, field: str) -> tuple[object, str]:
        source = self.settings.sources.get(key, "default")
        if source == "file" and self.settings.config_path is not None:
            source = str(self.settings.config_path)
        return getattr(self.settings, field), source

    def _stored(self) -> dict[str, tuple[str, str, str]]:
        keys = (*team.DEADLINE_KEYS.values(), team.BONUS_NEUTRALS_KEY)
        with self.db.read() as conn:
            return team.settings_with_origin(conn, keys)

    # -- deadlines ---------------------------------------------------------------------------

    def deadlines(self) -> list[Setting]:
        stored = self._stored()
        found: list[Setting] = []
        for nps_class in CLASSES:
            key = team.DEADLINE_KEYS[nps_class]
            personal, source = self._personal(key, f"deadline_{nps_class}")
            value, by, at = stored.get(key, (None, None, None))
            found.append(
                Setting(
                    key=key,
                    team=int(value) if value is not None and value.isdigit() else None,
                    personal=personal,
                    personal_source=source,
                    set_by=by,
                    set_at=from_db_time(at),
                )
            )
        return found

    def deadline(self, nps_class: str) -> Setting:
        return self.deadlines()[CLASSES.index(nps_class)]

    def set_deadline(self, nps_class: str, days: int | str | None) -> bool:
        """The team's business days for `nps_class` (1-90); None (or "") clears it, so each
        settings file decides again. Opinions already imported keep their deadline."""
        return bool(self.set_deadlines({nps_class: days}))

    def set_deadlines(self, wanted: Mapping[str, int | str | None]) -> list[str]:
        """Several classes at once: all are checked before any is saved; returns the
        classes whose team value changed."""
        values: dict[str, str | None] = {}
        for nps_class, days in wanted.items():
            blank = days is None or (isinstance(days, str) and not days.strip())
            checked = check_deadline_days(nps_class, 1 if blank else days)
            values[nps_class] = None if blank else str(checked)
        now = self.clock.now()
        with self.db.write() as conn:
            return [
                nps_class
                for nps_class, value in values.items()
                if team.put(conn, team.DEADLINE_KEYS[nps_class], value, self.actor, now)
            ]

    # -- bonus -------------------------------------------------------------------------------

    def bonus_neutrals(self) -> Setting:
        key = team.BONUS_NEUTRALS_KEY
        personal, source = self._personal(key, "bonus_neutrals")
        value, by, at = self._stored().get(key, (None, None, None))
        return Setting(
            key=key,
            team=None if value is None else _flag(value),
            personal=personal,
            personal_source=source,
            set_by=by,
            set_at=from_db_time(at),
        )

    def set_bonus_neutrals(self, value: bool | None) -> bool:
        """Neutrals get the bonus too (True), not (False), or as each settings file says."""
        if value is not None and not isinstance(value, bool):
            raise RegistryError("the bonus for neutrals is on, off or the settings file's")
        text = None if value is None else ("true" if value else "false")
        with self.db.write() as conn:
            return team.put(conn, team.BONUS_NEUTRALS_KEY, text, self.actor, self.clock.now())

    def closed_replies(self) -> str:
        """What a customer's reply does to a closed case: `reopen` it (the default) or
        keep it closed and `flag` it as awaiting us."""
        with self.db.read() as conn:
            value = mailbox.get_setting(conn, CLOSED_REPLIES_KEY)
        return value if value in CLOSED_REPLIES else CLOSED_REPLIES[0]

    def set_closed_replies(self, value: str) -> bool:
        if value not in CLOSED_REPLIES:
            raise RegistryError("a reply to a closed case reopens it or flags it")
        with self.db.write() as conn:
            return team.put(conn, CLOSED_REPLIES_KEY, value, self.actor, self.clock.now())

    def pools(self) -> list[Pool]:
        """The coupon pools, how many codes each has given and has left, the active one."""
        with self.db.read() as conn:
            active = mailbox.get_setting(conn, team.POOL_KEY) or None
            rows = mailbox.coupon_pools(conn)
        return [
            Pool(
                str(r["campaign"]),
                int(r["total"]),
                int(r["given"]),
                int(r["free"]),
                r["campaign"] == active,
            )
            for r in rows
        ]

    # -- sender ------------------------------------------------------------------------------

    def sender(self) -> dict[str, str]:
        """The sender name, reply-to and signature as stored ("" where none is set);
        `MailService.set_sender` changes them."""
        from npsdesk.services.mail_core import SENDER_KEYS

        with self.db.read() as conn:
            return {key: mailbox.get_setting(conn, key) or "" for key in SENDER_KEYS}

    # -- the log -----------------------------------------------------------------------------

    def log(self, limit: int = 200, setting: str | None = None) -> list[Change]:
        """Changes to team settings and the registry, the latest first."""
        with self.db.read() as conn:
            rows = team.changes(conn, limit, setting)
        return [
            Change(
                at=from_db_time(r["at"]) or self.clock.now(),
                actor=str(r["actor"]),
                setting=str(r["setting"]),
                item=r["item"],
                old=r["old_value"],
                new=r["new_value"],
            )
            for r in rows
        ]
