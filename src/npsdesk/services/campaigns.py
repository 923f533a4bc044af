"""Campaigns: create, edit, clone a month or a year, include customers and invite them.

`run_once` is one scheduler tick: for every active campaign whose period and daily window
contain now, it adds the customers served in the period who are not in it yet (one survey
per campaign per customer, and none within `campaigns.min_days` of another campaign's),
queues their invitations in the outbox in the same transaction, then delivers the queue.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from npsdesk.domain import campaigns as rules
from npsdesk.domain.models import DomainError
from npsdesk.errors import NotFound
from npsdesk.mail import templates
from npsdesk.mail.templates import MailTemplate
from npsdesk.services.mail_core import email_hash
from npsdesk.store import campaigns as store
from npsdesk.store import mailbox
from npsdesk.store.campaigns import CampaignData
from npsdesk.store.connection import Connection, Row

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.services.mail import Delivery, MailService

MAX_SLEEP = timedelta(hours=1)  # outside the windows, look again at least this often


@dataclass(frozen=True)
class Figures:
    name: str
    starts_on: date
    ends_on: date
    window: str
    active: bool
    auto_include: bool
    participants: int
    invited: int
    responded: int
    nps: int | None

    @property
    def response_rate(self) -> float | None:
        return None if not self.invited else round(100 * self.responded / self.invited, 1)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "window": self.window,
            "active": self.active,
            "auto_include": self.auto_include,
            "participants": self.participants,
            "invited": self.invited,
            "responded": self.responded,
            "response_rate": self.response_rate,
            "nps": self.nps,
        }


@dataclass
class Tick:
    """What one check did for one campaign."""

    campaign: str
    included: int = 0
    no_email: list[str] = field(default_factory=list)  # customers without a valid address
    suppressed: int = 0


@dataclass
class TickReport:
    at: datetime
    campaigns: list[Tick] = field(default_factory=list)
    delivery: Delivery | None = None


@dataclass(frozen=True)
class YearClone:
    made: list[str]  # the new campaigns' names, month by month
    skipped: list[tuple[int, int]]  # (year, month) the source campaign covers already


class CampaignService:
    def __init__(self, services: Services, actor: str | None = None) -> None:
        self.services = services
        self.db = services.db
        self.clock = services.clock
        self.tz = services.settings.tz
        self.actor = actor or services.settings.analyst

    def mail(self) -> MailService:
        return self.services.mail(self.actor)

    # -- editing -----------------------------------------------------------------------

    def create(
        self,
        name: str,
        period: rules.CampaignDates,
        link_template: str,
        *,
        window: rules.Window | None = None,
        auto_include: bool = True,
        verticals: Sequence[str] = (),
        products: Sequence[str] = (),
        subject: str | None = None,
        body: str | None = None,
        active: bool = True,
    ) -> int:
        window = window or rules.Window()
        data = CampaignData(
            name=_name(name),
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            window_from=window.start,
            window_to=window.end,
            auto_include=auto_include,
            verticals=_joined(verticals),
            products=_joined(products),
            link_template=rules.check_link_template(link_template),
            subject=subject if subject is not None else templates.INVITATION.subject,
            body=body if body is not None else templates.INVITATION.body,
            active=active,
        )
        templates.check(data.subject, data.body)
        with self.db.write() as conn:
            if store.campaign_by_name(conn, data.name) is not None:
                raise DomainError(key="refusal.campaign.exists", name=data.name)
            return store.insert_campaign(conn, data, self.actor, self.clock.now())

    def edit(self, name: str, **changes: object) -> None:
        """Change fields (as in `store.campaigns.EDITABLE`); the same checks as `create`."""
        with self.db.write() as conn:
            row = self._row(conn, name)
            merged = {**dict(row), **changes}
            rules.CampaignDates(_day(merged["starts_on"]), _day(merged["ends_on"]))
            rules.Window(int(str(merged["window_from"])), int(str(merged["window_to"])))
            if "link_template" in changes:
                changes["link_template"] = rules.check_link_template(str(changes["link_template"]))
            if "name" in changes:
                changes["name"] = _name(str(changes["name"]))
                if store.campaign_by_name(conn, str(changes["name"])) is not None:
                    raise DomainError(key="refusal.campaign.exists", name=changes["name"])
            templates.check(str(merged["subject"]), str(merged["body"]))
            store.update_campaign(conn, int(row["id"]), changes, self.clock.now())

    def clone(self, name: str, new_name: str | None, month: tuple[int, int]) -> str:
        """'Save as': a copy of `name` moved to `month` (named for it unless `new_name`)."""
        with self.db.read() as conn:
            row = self._row(conn, name)
        year, number = month
        period = rules.shifted_period(
            rules.CampaignDates(_day(row["starts_on"]), _day(row["ends_on"])), year, number
        )
        target = new_name or rules.name_for_month(row["name"], year, number)
        self.create(
            target,
            period,
            row["link_template"],
            window=rules.Window(row["window_from"], row["window_to"]),
            auto_include=bool(row["auto_include"]),
            verticals=_split(row["verticals"]),
            products=_split(row["products"]),
            subject=row["subject"],
            body=row["body"],
            active=bool(row["active"]),
        )
        return target

    def clone_year(self, name: str, year: int) -> YearClone:
        """The monthly campaigns of `year`, in one transaction (all or none); the months the
        source covers itself are skipped, not doubled."""
        with self.db.write() as conn:
            row = self._row(conn, name)
            period = rules.CampaignDates(_day(row["starts_on"]), _day(row["ends_on"]))
            kept, skipped = rules.months_to_clone(period, year)
            made = [self.clone(name, None, (year, month)) for month in kept]
        return YearClone(made, [(year, month) for month in skipped])

    # -- reading -----------------------------------------------------------------------

    def figures(self) -> list[Figures]:
        with self.db.read() as conn:
            return [_figures(row) for row in store.campaigns_with_figures(conn)]

    def get(self, name: str) -> Row:
        with self.db.read() as conn:
            return self._row(conn, name)

    @staticmethod
    def _row(conn: Connection, name: str, *, lock: bool = False) -> Row:
        row = store.campaign_by_name(conn, name, lock=lock)
        if row is None:
            raise NotFound(key="refusal.campaign.unknown", name=name)
        return row

    # -- the scheduler's tick ----------------------------------------------------------

    def run_once(self, *, deliver: bool = True) -> TickReport:
        now = self.clock.now()
        local = now.astimezone(self.tz)
        report = TickReport(at=now)
        with self.db.read() as conn:
            running = store.running_on(conn, local.date())
        for campaign in running:
            if rules.Window(campaign["window_from"], campaign["window_to"]).contains(local):
                report.campaigns.append(self._include(campaign["name"], now))
        if deliver:
            report.delivery = self.mail().deliver()
        return report

    def _include(self, name: str, now: datetime) -> Tick:
        """Add and invite this campaign's new customers: one transaction, all or nothing."""
        from npsdesk.mail.message import new_message_id

        mail = self.mail()
        sender = mail.sender()  # read once: the loop below runs per customer
        tick = Tick(name)
        since = now - timedelta(days=self.services.settings.campaign_min_days)
        with self.db.write() as conn:
            # fresh inside the lock: another run may be done
            campaign = self._row(conn, name, lock=True)
            salt, suppressed = mailbox.suppression(conn)
            template = MailTemplate("invitation", campaign["subject"], campaign["body"])
            for customer in store.candidates(conn, campaign, since):
                address = customer["email"]
                if not address:
                    tick.no_email.append(customer["company"] or customer["name"] or "?")
                    continue
                if salt is not None and email_hash(salt, address) in suppressed:
                    tick.suppressed += 1
                    continue
                token = secrets.token_urlsafe(16)
                participant = store.add_participant(conn, campaign["id"], customer, token, now)
                if participant is None:
                    continue
                subject, body = templates.render(
                    template,
                    {
                        "nome": customer["name"] or "",
                        "primeiro_nome": templates.first_name(customer["name"]),
                        "empresa": customer["company"] or "",
                        "produto": customer["product"] or "",
                        "campanha": campaign["name"],
                        "link": rules.survey_link(campaign["link_template"], token),
                    },
                )
                outbox_id = mailbox.add_message(
                    conn,
                    mailbox.NewMessage(
                        kind="invitation",
                        state="queued",
                        opinion_id=None,
                        respondent_id=int(customer["id"]),
                        template="invitation",
                        message_id=new_message_id(sender.address),
                        to_address=address,
                        to_name=customer["name"],
                        subject=subject,
                        body=mail.full_body(body, sender),
                        close_on_send=False,
                        created_by=self.actor,
                    ),
                    now,
                )
                store.set_invitation(conn, participant, outbox_id)
                tick.included += 1
        return tick

    def next_check(self, interval: timedelta) -> datetime:
        """When the scheduler should look again: after `interval` inside a window, else at
        the next window opening (at most MAX_SLEEP away, to notice new campaigns)."""
        now = self.clock.now()
        local = now.astimezone(self.tz)
        openings: list[datetime] = []
        with self.db.read() as conn:
            running = store.running_on(conn, local.date())
            upcoming = store.next_start_after(conn, local.date())
        for campaign in running:
            window = rules.Window(campaign["window_from"], campaign["window_to"])
            if window.contains(local):
                return now + interval
            opening = window.next_opening(local)
            if opening.date() <= _day(campaign["ends_on"]):
                openings.append(opening)
        if upcoming is not None:
            openings.append(datetime.combine(upcoming, datetime.min.time(), self.tz))
        soonest = min(openings, default=local + MAX_SLEEP)
        return min(max(soonest.astimezone(now.tzinfo), now + interval), now + MAX_SLEEP)


def _figures(row: Row) -> Figures:
    answered = row["promoters"] + row["neutrals"] + row["detractors"]
    nps = None
    if answered:
        nps = round(100 * (row["promoters"] - row["detractors"]) / answered)
    return Figures(
        name=row["name"],
        starts_on=_day(row["starts_on"]),
        ends_on=_day(row["ends_on"]),
        window=f"{row['window_from']:02d}-{row['window_to']:02d}h",
        active=bool(row["active"]),
        auto_include=bool(row["auto_include"]),
        participants=row["participants"],
        invited=row["invited"],
        responded=row["responded"],
        nps=nps,
    )


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise DomainError(key="refusal.campaign.no_name")
    return cleaned


def _joined(names: Sequence[str]) -> str | None:
    cleaned = [n.strip() for n in names if n.strip()]
    return ";".join(cleaned) or None


def _split(text: str | None) -> list[str]:
    return [n for n in (text or "").split(";") if n]
