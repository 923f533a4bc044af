"""The composition root: settings in, a wired store and services out.

Nothing here runs at import time; the CLI and the desk call `bootstrap()`, tests pass their
own clock and store path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from npsdesk.config.settings import Settings
from npsdesk.domain.clock import Clock, SystemClock
from npsdesk.domain.deadlines import BusinessCalendar, DeadlineRules
from npsdesk.errors import StoreError
from npsdesk.services.lookup import LookupService
from npsdesk.store.connection import Store
from npsdesk.store.db import Database
from npsdesk.store.schema import ensure_schema

if TYPE_CHECKING:  # loaded when first used: look-ups never need them
    from npsdesk.mail.transport import Transport
    from npsdesk.services.bulk import BulkService
    from npsdesk.services.campaigns import CampaignService
    from npsdesk.services.cases import CaseService
    from npsdesk.services.dashboard import DashboardService
    from npsdesk.services.desk_reads import DeskReads
    from npsdesk.services.mail import MailService
    from npsdesk.services.privacy import PrivacyService
    from npsdesk.services.registry import Registry
    from npsdesk.services.replies import ReplyService
    from npsdesk.services.rules import RuleBook
    from npsdesk.services.team import TeamSettings


@dataclass
class Services:
    """The store, the clock and the settings, and the one way to get each service: an
    accessor per service, built when asked for (its module is imported then, so a look-up
    loads none it does not use). `actor` defaults to the configured analyst."""

    settings: Settings
    db: Store
    clock: Clock
    lookup: LookupService
    backup: Path | None = None  # made before an upgrade of an older store
    cleared: list[str] = field(default_factory=list)  # unfinished imports removed at open
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)

    @property
    def rules(self) -> DeadlineRules:
        """Business days per class: the team's (in the store) where set, else the file's."""
        from npsdesk.services.team import deadline_rules

        return deadline_rules(self)

    def cases(self, actor: str | None = None, clock: Clock | None = None) -> CaseService:
        """Case actions as `actor` (default: the configured analyst)."""
        from npsdesk.services.cases import CaseService

        return CaseService(self.db, clock or self.clock, actor or self.settings.analyst)

    def desk_reads(self) -> DeskReads:
        """What the desk reads: list pages, counts, choices, cases, the change watch."""
        from npsdesk.services.desk_reads import DeskReads

        return DeskReads(self.db, self.lookup)

    def bulk(self, actor: str | None = None) -> BulkService:
        """Changes to many cases in one transaction, as `actor`."""
        from npsdesk.services.bulk import BulkService

        return BulkService(self.db, self.clock, actor or self.settings.analyst)

    def mail(
        self,
        actor: str | None = None,
        *,
        transport: Callable[[], Transport] | None = None,
        password_prompt: Callable[[str], str] | None = None,
    ) -> MailService:
        """E-mail to customers as `actor`; `transport` replaces the one the settings choose,
        `password_prompt` asks for the SMTP password when nothing else has it."""
        from npsdesk.services.mail import MailService

        return MailService(self, actor, transport=transport, password_prompt=password_prompt)

    def campaigns(self, actor: str | None = None) -> CampaignService:
        from npsdesk.services.campaigns import CampaignService

        return CampaignService(self, actor)

    def privacy(self, actor: str | None = None) -> PrivacyService:
        from npsdesk.services.privacy import PrivacyService

        return PrivacyService(self, actor)

    def registry(self, actor: str | None = None) -> Registry:
        """The team's categories and analysts."""
        from npsdesk.services.registry import Registry

        return Registry(self, actor)

    def team(self, actor: str | None = None) -> TeamSettings:
        """The settings the team shares in the store."""
        from npsdesk.services.team import TeamSettings

        return TeamSettings(self, actor)

    def replies(self, actor: str | None = None) -> ReplyService:
        """Customer replies: taking messages in, the unmatched inbox, bounces."""
        from npsdesk.services.replies import ReplyService

        return ReplyService(self, actor)

    def rule_book(self, actor: str | None = None) -> RuleBook:
        """The team's autopilot rules, kept in the store."""
        from npsdesk.services.rules import RuleBook

        return RuleBook(self, actor)

    def dashboard(self) -> DashboardService:
        from npsdesk.services.dashboard import DashboardService

        return DashboardService(self.lookup)

    def close(self) -> None:
        self.db.close()


def open_database(
    store: str,
    *,
    create: bool,
    wait_minutes: float = 5,
    on_wait: Callable[[float], None] | None = None,
) -> Store:
    """The store named by the settings: an SQLite file, or a team store's URL. A write to
    the SQLite file waits up to `wait_minutes` behind another program's, telling `on_wait`."""
    if "://" in store:
        scheme = store.split("://", 1)[0]
        if scheme not in ("postgresql", "postgres"):
            raise StoreError(
                f"store URL scheme '{scheme}' is not supported: give an SQLite file "
                "or a postgresql:// URL"
            )
        from npsdesk.store.pg import PgDatabase

        return PgDatabase(store)
    path = Path(store).expanduser()
    if create and not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    return Database(path, must_exist=not create, wait=wait_minutes * 60, on_wait=on_wait)


def _join_team(db: Store, login: str, clock: Clock) -> None:
    """A login seen for the first time joins the team's analysts (responsible and follower
    lists offer them from then on); one that the team removed stays removed."""
    from npsdesk.store import case_reads, case_writes

    with db.read() as conn:
        known = case_reads.analyst_id(conn, login) is not None
    if not known:
        with db.write() as conn:
            case_writes.upsert_analyst(conn, login, clock.now())


def clear_unfinished_imports(db: Store) -> list[str]:
    """Remove what imports that were killed before they landed left in an SQLite store (it
    was never shown); one indexed look-up when there is none. An import still running
    holds its lock and is left alone."""
    from npsdesk.store.visibility import open_batches

    if db.dialect != "sqlite":
        return []
    with db.read() as conn:
        unfinished = open_batches(conn)
    if not unfinished:
        return []
    from npsdesk.store import batches, import_lock

    cleared: list[str] = []
    with import_lock.trying(db.path) as free:
        if not free:
            return []
        for batch_id in unfinished:
            with db.read() as conn:
                what = batches.describe(conn, batch_id)
            try:
                batches.discard(db, batch_id)
            except StoreError:  # a read-only store: it stays hidden, removed another time
                break
            cleared.append(what)
    return cleared


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    create: bool = True,
    on_wait: Callable[[float], None] | None = None,
) -> Services:
    """Wire the services; `create=False` refuses to make a new store (read-only commands);
    `on_wait` is told when a write has to wait for another program's."""
    db = open_database(
        settings.store, create=create, wait_minutes=settings.store_wait, on_wait=on_wait
    )
    try:
        backup = ensure_schema(db)
        cleared = clear_unfinished_imports(db)
        if db.dialect == "postgresql":  # on the team store the login is the analyst
            settings = replace(settings, analyst=db.user)  # type: ignore[attr-defined]
            _join_team(db, settings.analyst, clock or SystemClock())
    except BaseException:
        db.close()
        raise
    clock = clock or SystemClock()
    return Services(
        settings=settings,
        db=db,
        clock=clock,
        lookup=LookupService(db, clock, settings.tz),
        backup=backup,
        cleared=cleared,
    )
