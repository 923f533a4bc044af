"""The settings npsdesk knows: one `SettingKey` row per setting in `KEYS`.

Each row holds the dotted key (as written in the file and shown by ``npsdesk config``), the
Settings field it fills, its kind (which checks and parses values) and its default. The
environment variable and the flag name derive from the dotted key, and TOML sections from
the dotted keys, so a new section is just new rows (plus the Settings fields they fill).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from npsdesk.config import locations
from npsdesk.config.kinds import (
    DEFAULT_TIMEZONE,
    Choice,
    Count,
    DateFormat,
    Flag,
    Kind,
    Optional,
    Port,
    StorePath,
    Text,
    TimeZone,
)

ENV_PREFIX = "NPSDESK_"
LANGUAGES = ("pt", "en")


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
class SettingKey:
    """One setting: its dotted key, the Settings field it fills, its kind and default."""

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


KEYS: tuple[SettingKey, ...] = (
    SettingKey(
        "store",
        "store",
        StorePath(),
        lambda _env: str(locations.default_store()),
        "the SQLite file (or database URL)",
    ),
    SettingKey(
        "store_wait",
        "store_wait",
        Count(),
        _const(5),
        "minutes a write waits for another program's write (0: not at all)",
    ),
    SettingKey("timezone", "timezone", TimeZone(), _const(DEFAULT_TIMEZONE), "time zone"),
    SettingKey("language", "language", Choice(*LANGUAGES), default_language, "language"),
    SettingKey("analyst", "analyst", Text(), lambda _env: default_analyst(), "who is working"),
    SettingKey("date_format", "date_format", DateFormat(), _const(""), "strftime date pattern"),
    SettingKey("deadlines.detractor", "deadline_detractor", Count(), _const(1), "business days"),
    SettingKey("deadlines.neutral", "deadline_neutral", Count(), _const(3), "business days"),
    SettingKey("deadlines.promoter", "deadline_promoter", Count(), _const(5), "business days"),
    SettingKey("mail.transport", "mail_transport", Choice("smtp", "file"), _const("smtp"), "how"),
    SettingKey("mail.folder", "mail_folder", Optional(), _const(""), "file transport folder"),
    SettingKey("mail.host", "mail_host", Optional(), _const(""), "SMTP server"),
    SettingKey("mail.port", "mail_port", Port(), _const(587), "SMTP port"),
    SettingKey(
        "mail.security",
        "mail_security",
        Choice("starttls", "tls", "none"),
        _const("starttls"),
        "none only on loopback",
    ),
    SettingKey("mail.username", "mail_username", Optional(), _const(""), "SMTP login"),
    SettingKey("mail.timeout", "mail_timeout", Count(), _const(30), "seconds"),
    SettingKey("mail.from_address", "mail_from", Optional(), _const(""), "fixed sender address"),
    SettingKey(
        "mail.inbox.host", "mail_inbox_host", Optional(), _const(""), "IMAP server (empty: none)"
    ),
    SettingKey("mail.inbox.port", "mail_inbox_port", Port(), _const(993), "IMAP port"),
    SettingKey(
        "mail.inbox.security",
        "mail_inbox_security",
        Choice("tls", "starttls"),
        _const("tls"),
        "IMAP",
    ),
    SettingKey("mail.inbox.username", "mail_inbox_username", Optional(), _const(""), "IMAP login"),
    SettingKey(
        "mail.inbox.folder", "mail_inbox_folder", Text(), _const("INBOX"), "IMAP folder read"
    ),
    SettingKey(
        "mail.inbox.after",
        "mail_inbox_after",
        Choice("seen", "move"),
        _const("seen"),
        "what a fetched message becomes on the server",
    ),
    SettingKey(
        "mail.inbox.move_to",
        "mail_inbox_move_to",
        Text(),
        _const("npsdesk"),
        "folder for after = move",
    ),
    SettingKey(
        "mail.inbox.maildir", "mail_inbox_maildir", Optional(), _const(""), "Maildir (empty: none)"
    ),
    SettingKey(
        "mail.inbox.every", "mail_inbox_every", Count(), _const(120), "seconds between fetches"
    ),
    SettingKey(
        "mail.inbox.attachment_cap",
        "mail_inbox_attachment_cap",
        Count(),
        _const(10),
        "MB per attachment",
    ),
    SettingKey(
        "promoters.thank_you",
        "thank_you",
        Choice("review", "send", "off"),
        _const("review"),
        "thank-you on import",
    ),
    SettingKey(
        "promoters.close_type", "thank_you_type", Choice("praise", "none"), _const("praise"), ""
    ),
    SettingKey(
        "promoters.close_category",
        "thank_you_category",
        Optional(),
        _const("Elogio"),
        "category of closed thank-yous",
    ),
    SettingKey("bonus.neutrals", "bonus_neutrals", Flag(), _const(False), "neutrals get a coupon"),
    SettingKey(
        "campaigns.min_days",
        "campaign_min_days",
        Count(),
        _const(90),
        "days between two surveys of a customer",
    ),
)

BY_DOTTED: dict[str, SettingKey] = {key.dotted: key for key in KEYS}


def _sections() -> set[str]:
    """Every section some key lives in, with its parents ("a.b" gives "a" and "a.b")."""
    found: set[str] = set()
    for key in KEYS:
        parts = key.dotted.split(".")[:-1]
        for end in range(1, len(parts) + 1):
            found.add(".".join(parts[:end]))
    return found


SECTIONS = _sections()
