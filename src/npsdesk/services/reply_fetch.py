"""One round of fetching customer replies from the configured inbox: the IMAP folder
(`mail.inbox.host`) and the Maildir (`mail.inbox.maildir`), both when both are set.

`fetch_once` is what `npsdesk mail fetch` and the desk's background fetch call. A source
that fails (server unreachable, login refused, no password, connection lost) is reported
in its `SourceReport.error` and the other source still runs; what it took before failing
is kept and counted. Only a store failure raises.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from npsdesk.domain.models import Reason, Refusal
from npsdesk.mail.imap_source import FetchError, ImapAccount, ImapSource
from npsdesk.mail.maildir_source import fetch_maildir

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.config.settings import Settings
    from npsdesk.services.replies import ReplyService, Taken

COUNTS = ("new", "duplicate", "quarantined", "matched", "unmatched")


class InboxUnset(Refusal):
    """Neither an IMAP server nor a Maildir is configured."""


@dataclass
class SourceReport:
    """What one source gave: counts of what became of its messages, and why it stopped
    when it did not finish (`error`, worded from the catalogue where it can be)."""

    source: str  # "imap" | "maildir"
    where: str  # the login and folder, or the Maildir's path
    new: int = 0
    duplicate: int = 0
    quarantined: int = 0
    matched: int = 0  # new messages that went to a case
    unmatched: int = 0  # new messages waiting in the unmatched inbox
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def count(self, taken: list[Taken]) -> None:
        for item in taken:
            if item.outcome == "new":
                self.new += 1
                if item.opinion_id is None:
                    self.unmatched += 1
                else:
                    self.matched += 1
            elif item.outcome == "duplicate":
                self.duplicate += 1
            else:
                self.quarantined += 1

    def to_json(self) -> dict[str, object]:
        counts: dict[str, object] = {name: getattr(self, name) for name in COUNTS}
        return {"where": self.where, **counts, "error": self.error, "notes": list(self.notes)}


@dataclass
class FetchReport:
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(source.error is not None for source in self.sources)

    def total(self, name: str) -> int:
        return sum(int(getattr(source, name)) for source in self.sources)

    def to_json(self) -> dict[str, object]:
        return {
            "sources": {source.source: source.to_json() for source in self.sources},
            "total": {name: self.total(name) for name in COUNTS},
            "ok": not self.failed,
        }


def inbox_configured(settings: Settings) -> bool:
    return bool(settings.mail_inbox_host or settings.mail_inbox_maildir)


def imap_account(settings: Settings) -> ImapAccount:
    s = settings
    return ImapAccount(
        host=s.mail_inbox_host,
        username=s.mail_inbox_username,
        port=s.mail_inbox_port,
        security=s.mail_inbox_security,  # type: ignore[arg-type]
        folder=s.mail_inbox_folder,
        after=s.mail_inbox_after,  # type: ignore[arg-type]
        move_to=s.mail_inbox_move_to,
        timeout=float(s.mail_timeout or 30),
    )


def fetch_once(
    services: Services,
    *,
    password_prompt: Callable[[str], str] | None = None,
    context: ssl.SSLContext | None = None,
    imap_source: type[ImapSource] = ImapSource,
) -> FetchReport:
    """Fetch once from every configured source; `InboxUnset` when there is none.

    `password_prompt` asks for the IMAP password when neither NPSDESK_IMAP_PASSWORD nor the
    keyring has it; `context` replaces the system's certificate authorities.
    """
    s = services.settings
    if not inbox_configured(s):
        raise InboxUnset(key="refusal.inbox.unset")
    replies = services.replies()
    report = FetchReport()
    if s.mail_inbox_host:
        report.sources.append(_from_imap(s, replies, password_prompt, context, imap_source))
    if s.mail_inbox_maildir:
        report.sources.append(_from_maildir(Path(s.mail_inbox_maildir).expanduser(), replies))
    return report


def _taker(
    replies: ReplyService, source: str, report: SourceReport
) -> Callable[[list[bytes]], None]:
    def take(batch: list[bytes]) -> None:
        report.count(replies.take_many((raw, source) for raw in batch))

    return take


def _from_imap(
    settings: Settings,
    replies: ReplyService,
    prompt: Callable[[str], str] | None,
    context: ssl.SSLContext | None,
    source_class: type[ImapSource],
) -> SourceReport:
    from npsdesk.mail.secrets import PasswordUnavailable, imap_password

    account = imap_account(settings)
    report = SourceReport("imap", account.where)
    if not account.username:
        report.error = Reason("fetch.err.no_username")
        return report

    def password() -> str:
        return imap_password(account.host, account.username, env=os.environ, prompt=prompt)

    source = source_class(account, password, context=context)
    try:
        run = source.fetch(replies, _taker(replies, "imap", report))
    except FetchError as error:
        report.error = Reason.of(error)
    except PasswordUnavailable as error:
        report.error = str(error)
    else:
        report.notes.extend(run.notes)
    return report


def _from_maildir(folder: Path, replies: ReplyService) -> SourceReport:
    report = SourceReport("maildir", str(folder))
    try:
        run = fetch_maildir(folder, _taker(replies, "maildir", report))
    except FetchError as error:
        report.error = Reason.of(error)
    except OSError as error:  # the folder vanished or is not ours to read
        report.error = Reason(
            "fetch.note.unreadable", name=str(folder), reason=error.strerror or str(error)
        )
    else:
        report.notes.extend(run.notes)
    return report
