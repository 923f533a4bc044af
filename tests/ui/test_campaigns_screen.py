"""The campaigns screen: `C` lists every campaign with its figures; escape comes back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tests.ui.conftest import WIDE, seen, settle

from npsdesk.bootstrap import Services
from npsdesk.domain.campaigns import Window, month_period
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.cnpj import make_cnpj
from npsdesk.services.campaigns import CampaignService
from npsdesk.store import intake_writes
from npsdesk.store.intake_writes import RespondentData
from npsdesk.tui.app import DeskApp
from npsdesk.tui.screens.campaigns import CampaignsScreen
from npsdesk.tui.screens.desk import DeskScreen

SP = ZoneInfo("America/Sao_Paulo")


def customer(services: Services, n: int, served: date) -> None:
    with services.db.write() as conn:
        intake_writes.insert_respondent(
            conn,
            RespondentData(
                name=f"Cliente {n}",
                email=f"cliente{n}@exemplo.com.br",
                cnpj=make_cnpj(f"{30_000_000 + n:08d}"),
                company=f"Empresa {n} Ltda",
                product="Durasoft Food",
                vertical="Food",
                last_service_at=served,
            ),
            services.clock.now(),
        )


async def test_campaigns_screen_lists_figures_and_escape_returns(
    services: Services, clock: FixedClock
) -> None:
    services.settings = replace(services.settings, mail_from="pesquisa@durasoft.com.br")
    campaigns = CampaignService(services, "ana")
    campaigns.create(
        "NPS Novembro [b]2026[/b]",  # untrusted text: shown as typed
        month_period(2026, 11),
        "https://pesquisa.example.com.br/r/{token}",
        window=Window(8, 18),
    )
    customer(services, 1, date(2026, 11, 5))
    customer(services, 2, date(2026, 11, 6))
    clock.set(datetime(2026, 11, 23, 9, tzinfo=SP).astimezone(UTC))
    campaigns.run_once(deliver=False)
    with services.db.write() as conn:  # one of the two invitations went out
        conn.execute("UPDATE outbox SET state = 'sent' WHERE id = (SELECT min(id) FROM outbox)")
    app = DeskApp(services)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CampaignsScreen)
        shown = seen(pilot)
        assert "Campaigns" in shown
        line = next(row for row in shown.splitlines() if "NPS Novembro" in row)
        assert "NPS Novembro [b]2026[/b]" in line
        assert "01/11/2026 – 30/11/2026" in line or "2026-11-01 – 2026-11-30" in line
        assert "08-18h" in line
        assert "yes" in line
        assert line.split()[-5:] == ["2", "1", "0", "0.0%", "-"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeskScreen)


async def test_campaigns_screen_without_campaigns_says_how_to_make_one(
    services: Services,
) -> None:
    async with DeskApp(services).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert "No campaigns" in seen(pilot)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert "desk.campaigns" in seen(pilot)
