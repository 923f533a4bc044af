"""Campaigns on a real store, driven by a fake clock; invitations through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.integration.conftest import Server

from npsdesk.bootstrap import Services
from npsdesk.domain.campaigns import CampaignDates, Window, month_period
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.cnpj import make_cnpj
from npsdesk.importers.sync import Importer
from npsdesk.services.campaigns import CampaignService
from npsdesk.services.mail import MailService
from npsdesk.services.scheduler import run_every
from npsdesk.store import intake_writes
from npsdesk.store.intake_writes import RespondentData

SP = ZoneInfo("America/Sao_Paulo")
LINK = "https://pesquisa.example.com.br/r/{token}"
SENDER = "pesquisa@durasoft.com.br"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SP).astimezone(UTC)


@pytest.fixture
def wired(services: Services, smtp: Server) -> Services:
    services.settings = replace(
        services.settings,
        mail_host="127.0.0.1",
        mail_port=smtp.port,
        mail_security="none",
        mail_from=SENDER,
    )
    return services


def customer(
    services: Services,
    n: int,
    served: date | None,
    *,
    email_: str | None = "",
    vertical: str = "Food",
) -> int:
    with services.db.write() as conn:
        return intake_writes.insert_respondent(
            conn,
            RespondentData(
                name=f"Cliente {n}",
                email=f"cliente{n}@exemplo.com.br" if email_ == "" else email_,
                cnpj=make_cnpj(f"{30_000_000 + n:08d}"),
                company=f"Empresa {n} Ltda",
                product="Durasoft Food",
                vertical=vertical,
                last_service_at=served,
            ),
            services.clock.now(),
        )


def participants(services: Services) -> list[tuple[str, str]]:
    with services.db.read() as conn:
        return [
            (row[0], row[1])
            for row in conn.execute(
                "SELECT c.name, p.email FROM participant p JOIN campaign c ON c.id = p.campaign_id "
                "ORDER BY p.id"
            )
        ]


def test_inclusion_only_inside_the_window_and_the_period_and_once(
    wired: Services,
    clock: FixedClock,
    smtp: Server,
) -> None:
    service = CampaignService(wired, "ana")
    service.create("NPS Novembro 2026", month_period(2026, 11), LINK, window=Window(8, 18))
    customer(wired, 1, date(2026, 11, 5))
    customer(wired, 2, date(2026, 10, 20))  # served before the period
    customer(wired, 3, date(2026, 11, 10), email_=None)  # no address: reported
    customer(wired, 4, date(2026, 11, 12), vertical="Farma")
    MailService(wired).suppress("cliente4@exemplo.com.br")

    clock.set(at(23, 7, 30))  # before the window
    assert service.run_once().campaigns == []
    assert participants(wired) == []

    clock.set(at(23, 9))
    tick = service.run_once()
    assert [(t.included, t.suppressed, t.no_email) for t in tick.campaigns] == [
        (1, 1, ["Empresa 3 Ltda"])
    ]
    assert tick.delivery is not None
    assert tick.delivery.sent == 1
    assert participants(wired) == [("NPS Novembro 2026", "cliente1@exemplo.com.br")]
    message = email.message_from_bytes(smtp.received[0], policy=email.policy.default)
    with wired.db.read() as conn:
        token = conn.execute("SELECT token FROM participant").fetchone()[0]
    assert f"https://pesquisa.example.com.br/r/{token}" in message.get_content()
    assert message["To"] == "Cliente 1 <cliente1@exemplo.com.br>"

    clock.set(at(23, 9, 5))  # five minutes later: nobody twice
    assert [t.included for t in service.run_once().campaigns] == [0]
    assert len(smtp.received) == 1

    customer(wired, 5, date(2026, 11, 28))
    clock.set(at(2, 9, month=12))  # the period is over
    assert service.run_once().campaigns == []
    assert len(participants(wired)) == 1


def test_vertical_filter_and_frequency_rule_across_campaigns(
    wired: Services, clock: FixedClock
) -> None:
    service = CampaignService(wired, "ana")
    service.create("NPS Novembro 2026", month_period(2026, 11), LINK, verticals=["food"])
    service.create("NPS Dezembro 2026", month_period(2026, 12), LINK)
    first = customer(wired, 1, date(2026, 11, 5))
    customer(wired, 2, date(2026, 11, 6), vertical="Farma")  # not this campaign's vertical
    clock.set(at(23, 10))
    service.run_once(deliver=False)
    assert participants(wired) == [("NPS Novembro 2026", "cliente1@exemplo.com.br")]

    with wired.db.write() as conn:  # served again in December
        conn.execute("UPDATE respondent SET last_service_at = '2026-12-03' WHERE id = ?", (first,))
    customer(wired, 3, date(2026, 12, 3))
    clock.set(at(4, 10, month=12))
    service.run_once(deliver=False)
    assert participants(wired)[1:] == [("NPS Dezembro 2026", "cliente3@exemplo.com.br")]

    wired.settings = replace(wired.settings, campaign_min_days=7)  # a looser rule lets it in
    service.run_once(deliver=False)
    assert participants(wired)[2:] == [("NPS Dezembro 2026", "cliente1@exemplo.com.br")]


def test_staff_are_never_invited(wired: Services, clock: FixedClock, tmp_path: Path) -> None:
    service = CampaignService(wired, "ana")
    service.create("NPS Novembro 2026", month_period(2026, 11), LINK)
    customer(wired, 1, date(2026, 11, 5), email_="maria@durasoft.com.br")
    export = tmp_path / "interna.csv"
    export.write_text(
        "ID;Data da resposta;Nota;E-mail;CNPJ;Pesquisa interna\n"
        f"I-1;01/11/2026 10:00;9;maria@durasoft.com.br;{make_cnpj('30000001')};Sim\n",
        encoding="utf-8",
    )
    Importer(wired).run(export)
    clock.set(at(23, 10))
    assert [t.included for t in service.run_once(deliver=False).campaigns] == [0]


def test_a_run_that_dies_leaves_nothing_half_done_and_the_rerun_completes(
    wired: Services,
    clock: FixedClock,
    smtp: Server,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = CampaignService(wired, "ana")
    service.create("NPS Novembro 2026", month_period(2026, 11), LINK)
    for n in range(1, 6):
        customer(wired, n, date(2026, 11, n))
    clock.set(at(23, 10))
    import npsdesk.services.campaigns as module

    calls = {"n": 0}
    real = module.templates.render

    def dies_on_the_third(*args: object, **kwargs: object) -> tuple[str, str]:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process is stopped mid-run
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module.templates, "render", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        service.run_once()
    assert participants(wired) == []  # the transaction rolled back: nobody half-included
    monkeypatch.setattr(module.templates, "render", real)

    service.run_once(deliver=False)  # included and queued; stopped before delivering
    assert len(participants(wired)) == 5
    assert smtp.received == []
    tick = service.run_once()  # the next check delivers what is queued, invites nobody twice
    assert [t.included for t in tick.campaigns] == [0]
    assert tick.delivery is not None
    assert tick.delivery.sent == 5
    assert len(smtp.received) == 5


def test_two_runs_at_once_invite_each_customer_once(services: Services, tmp_path: Path) -> None:
    service = CampaignService(services, "ana")
    today = datetime.now(SP).date()
    service.create(
        "Hoje", CampaignDates(today - timedelta(days=3), today), LINK, window=Window(0, 24)
    )
    for n in range(1, 41):
        customer(services, n, today - timedelta(days=n % 3))
    env = {
        **os.environ,
        "NPSDESK_STORE": services.settings.store,
        "NPSDESK_MAIL_TRANSPORT": "file",
        "NPSDESK_MAIL_FOLDER": str(tmp_path / "sent"),
        "NPSDESK_MAIL_FROM_ADDRESS": SENDER,
    }
    command = [sys.executable, "-m", "npsdesk", "campaign", "run", "--once"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    assert len(participants(services)) == 40
    assert len(list((tmp_path / "sent").glob("*.eml"))) == 40
    assert sum(int(out.split(": ")[1].split()[0]) for out in outputs) == 40


def test_run_once_exits_3_when_invitations_failed_and_keeps_them(
    services: Services, smtp: Server
) -> None:
    service = CampaignService(services, "ana")
    today = datetime.now(SP).date()
    service.create(
        "Hoje", CampaignDates(today - timedelta(days=3), today), LINK, window=Window(0, 24)
    )
    customer(services, 1, today)
    smtp.refuse.add("cliente1@exemplo.com.br")
    env = {
        **os.environ,
        "NPSDESK_STORE": services.settings.store,
        "NPSDESK_MAIL_HOST": "127.0.0.1",
        "NPSDESK_MAIL_PORT": str(smtp.port),
        "NPSDESK_MAIL_SECURITY": "none",
        "NPSDESK_MAIL_FROM_ADDRESS": SENDER,
    }
    command = [sys.executable, "-m", "npsdesk", "campaign", "run", "--once"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3, done.stderr
    assert "it stays in the outbox" in done.stderr
    with services.db.read() as conn:
        states = [row[0] for row in conn.execute("SELECT state FROM outbox")]
    assert states == ["failed"]


def test_clone_a_year_makes_twelve_monthly_campaigns(services: Services) -> None:
    service = CampaignService(services, "ana")
    service.create("NPS Dezembro", month_period(2026, 12), LINK, window=Window(9, 17))
    cloned = service.clone_year("NPS Dezembro", 2027)
    names = cloned.made
    assert cloned.skipped == []
    assert names[0] == "NPS Janeiro 2027"
    assert names[2] == "NPS Março 2027"
    figures = {f.name: f for f in service.figures()}
    for month, name in enumerate(names, start=1):
        assert (figures[name].starts_on, figures[name].ends_on) == (
            month_period(2027, month).starts_on,
            month_period(2027, month).ends_on,
        )
        assert figures[name].window == "09-17h"
    with pytest.raises(Exception, match="exists already"):
        service.clone_year("NPS Dezembro", 2027)
    assert len(service.figures()) == 13  # all or nothing


def test_clone_a_year_skips_the_month_the_source_covers(services: Services) -> None:
    service = CampaignService(services, "ana")
    service.create("NPS Janeiro", month_period(2027, 1), LINK)
    cloned = service.clone_year("NPS Janeiro", 2027)
    assert cloned.skipped == [(2027, 1)]
    assert cloned.made[0] == "NPS Fevereiro 2027"
    assert len(cloned.made) == 11
    figures = service.figures()
    assert len(figures) == 12
    januaries = [f for f in figures if f.starts_on.month == 1]
    assert [f.name for f in januaries] == ["NPS Janeiro"]


def test_responses_are_linked_to_participants_by_token_or_address(
    wired: Services, clock: FixedClock, tmp_path: Path
) -> None:
    service = CampaignService(wired, "ana")
    service.create("NPS Novembro 2026", month_period(2026, 11), LINK)
    for n in (1, 2, 3):
        customer(wired, n, date(2026, 11, n))
    clock.set(at(23, 10))
    service.run_once()
    with wired.db.read() as conn:
        token = conn.execute(
            "SELECT token FROM participant WHERE email = 'cliente1@exemplo.com.br'"
        ).fetchone()[0]
    export = tmp_path / "respostas.csv"
    export.write_text(
        "ID;Data da resposta;Nota;E-mail;Campanha;Token\n"
        f"R-1;23/11/2026 15:00;10;cliente1@exemplo.com.br;;{token}\n"
        "R-2;23/11/2026 16:00;3;cliente2@exemplo.com.br;NPS Novembro 2026;\n",
        encoding="utf-8",
    )
    result = Importer(wired).run(export)
    assert result.participants == 2
    figures = service.figures()[0]
    assert (figures.participants, figures.invited, figures.responded) == (3, 3, 2)
    assert figures.response_rate == 66.7
    assert figures.nps == 0  # one promoter, one detractor


def test_the_scheduler_sleeps_outside_windows_and_checks_inside(
    wired: Services, clock: FixedClock
) -> None:
    service = CampaignService(wired, "ana")
    service.create("NPS Novembro 2026", month_period(2026, 11), LINK, window=Window(8, 18))
    customer(wired, 1, date(2026, 11, 5))
    clock.set(at(23, 6))
    log: list[str] = []
    waits: list[float] = []

    def fake_wait(seconds: float) -> bool:
        waits.append(seconds)
        clock.set(clock.now() + timedelta(seconds=seconds))
        if len(waits) == 3:
            customer(wired, 2, date(2026, 11, 20))  # the feed brings a new customer
        return False

    checks = run_every(service, timedelta(minutes=5), fake_wait, log.append, max_checks=5)
    assert checks == 5
    assert waits == [3600, 3600, 300, 300, 300]  # 06:00 and 07:00 outside, then every 5 min
    assert log[:2] == [
        "no campaign is inside its period and daily window",
        "next check at 2026-11-23 07:00 (America/Sao_Paulo)",
    ]
    assert log.count("NPS Novembro 2026: 1 included and invited") == 2  # at 08:00 and 08:05
    assert len(participants(wired)) == 2
