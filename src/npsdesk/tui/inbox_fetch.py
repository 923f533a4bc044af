"""The desk fetches customer replies by itself while it is open, when an inbox is set.

Every `mail.inbox.every` seconds (and once soon after the desk opens) a worker thread runs
the same fetch as `npsdesk mail fetch --once`. New replies reach the list through the
store's change watch like anyone's writes; the analyst is told how many arrived, and a
source that fails is said once, not at every round, until it works again. The desk never
asks for the IMAP password: it comes from NPSDESK_IMAP_PASSWORD or the keyring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from npsdesk.services.reply_fetch import FetchReport, fetch_once, inbox_configured
from npsdesk.untrusted.text import clean_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from npsdesk.tui.context import DeskContext

FIRST_FETCH_SECONDS = 2.0  # after the first frame: the desk paints before it fetches


class Host(Protocol):
    """What the fetcher needs from the screen that runs it."""

    def set_interval(self, interval: float, callback: Callable[[], object]) -> object: ...
    def set_timer(self, delay: float, callback: Callable[[], object]) -> object: ...
    def in_thread(self, work: Callable[[], None], group: str) -> None: ...
    def from_thread(self, callback: Callable[..., object], *args: object) -> None: ...
    def tell(self, text: str, *, warning: bool = False) -> None: ...
    def replies_arrived(self) -> None: ...


class InboxFetcher:
    def __init__(self, ctx: DeskContext, host: Host) -> None:
        self.ctx = ctx
        self.host = host
        self.running = False
        self.failing: str | None = None  # the last failure said, until a round works
        self.rounds = 0

    @property
    def configured(self) -> bool:
        return inbox_configured(self.ctx.services.settings)

    def start(self) -> bool:
        """Fetch now and then while the desk is open; False when no inbox is set."""
        if not self.configured:
            return False
        every = max(int(self.ctx.services.settings.mail_inbox_every or 120), 10)
        self.host.set_timer(FIRST_FETCH_SECONDS, self.fetch)
        self.host.set_interval(every, self.fetch)
        return True

    def fetch(self) -> None:
        if self.running:
            return  # a slow server: the next round waits for this one
        self.running = True
        self.host.in_thread(self._work, "inbox-fetch")

    def _work(self) -> None:
        try:
            report: FetchReport | Exception = fetch_once(self.ctx.services)
        except Exception as error:  # a store error: said, and tried again next round
            report = error
        finally:
            self.ctx.reads.end_thread()
        self.host.from_thread(self._done, report)

    def _done(self, report: FetchReport | Exception) -> None:
        self.running = False
        self.rounds += 1
        if isinstance(report, Exception):
            self._fail(str(report) or type(report).__name__)
            return
        errors = [f"{s.source}: {s.error}" for s in report.sources if s.error]
        if errors:
            self._fail("; ".join(errors))
        else:
            self.failing = None
        new = report.total("new")
        if new:
            matched, unmatched = report.total("matched"), report.total("unmatched")
            self.host.tell(
                self.ctx.t_n("desk.inbox.arrived", new, matched=matched, unmatched=unmatched)
            )
            self.host.replies_arrived()

    def _fail(self, why: str) -> None:
        if why == self.failing:
            return
        self.failing = why
        self.host.tell(self.ctx.t("desk.inbox.fetch_failed", why=clean_line(why)), warning=True)
