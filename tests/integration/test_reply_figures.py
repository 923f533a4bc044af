"""Reply figures (time to the customer's first reply, reply rate per class) on the
hand-counted store of tests/dashboard_data.py, with e-mails and replies added at known times.

Our e-mails and the replies (times local, São Paulo):

    A promoter   sent Mon 02/11 12:00  reply 14:30 (2.5 h), a second reply later (ignored)
    B detractor  sent Mon 09/11 13:00  auto-reply 13:01 (not a reply), a second e-mail
                 10/11 08:00 (the first one counts), reply Tue 10/11 13:00 (24 h)
    C neutral    sent Mon 16/11 06:00  only an auto-reply: e-mailed, not replied
    D detractor  a reply Tue 17/11 09:00 before any e-mail (not counted), sent 10:00,
                 reply 20:00 (10 h)
    F neutral    never e-mailed
    G promoter   sent Fri 20/11 11:00  reply Sun 22/11 11:00 (48 h: nights and weekends count)
    H detractor  answered before the period: sent Thu 19/11 09:00, reply 09:30 (0.5 h)

Over PERIOD: 5 e-mailed, 4 replied (80 %); detractors 2 of 2, neutrals 0 of 1, promoters
2 of 2; times 2.5, 10, 24, 48 h: median (10 + 24) / 2 = 17 h, 90th percentile at rank
0.9 * 3 = 2.7: 24 + 0.7 * (48 - 24) = 40.8 h.
"""

from __future__ import annotations

import email.policy
import json
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from tests.cli.test_cli import run
from tests.dashboard_data import PERIOD, build, local

from npsdesk.bootstrap import Services
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.periods import Period
from npsdesk.services.dashboard import DashboardService, Replies, quantile

CLI_PERIOD = ("--from", "26/10/2026", "--to", "2026-11-23")


def message(
    sender: str,
    moment: datetime,
    number: int,
    *,
    in_reply_to: str | None = None,
    auto: bool = False,
) -> bytes:
    reply = EmailMessage()
    reply["From"] = f"Cliente <{sender}>"
    reply["To"] = "sucesso@empresa.com.br"
    reply["Subject"] = "Resposta automática: Fora do escritório" if auto else "Re: Sua avaliação"
    reply["Date"] = format_datetime(moment)
    reply["Message-ID"] = f"<r{number}@cliente.example>"
    if in_reply_to:
        reply["In-Reply-To"] = in_reply_to
        reply["References"] = in_reply_to
    if auto:
        reply["Auto-Submitted"] = "auto-replied"
    reply.set_content("Estou fora do escritório." if auto else "Obrigado pelo retorno, resolvido.")
    return reply.as_bytes(policy=email.policy.SMTP)


def add_mail(services: Services, ids: dict[str, int]) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    now = clock.now()
    taken = 0

    def sent(name: str, moment: datetime, number: int) -> str:
        message_id = f"<s{number}@empresa.com.br>"
        cases = services.cases("ana", FixedClock(moment.astimezone(UTC)))
        cases.record_email_sent(ids[name], "Sobre a sua avaliação", "Olá!", message_id)
        return message_id

    def received(name: str, moment: datetime, thread: str | None, *, auto: bool = False) -> None:
        nonlocal taken
        taken += 1
        clock.set(moment.astimezone(UTC))
        raw = message(f"{name.lower()}@x.com.br", moment, taken, in_reply_to=thread, auto=auto)
        result = services.replies("ana").take(raw, "pipe")
        assert (result.outcome, result.opinion_id) == ("new", ids[name])

    a = sent("A", local(2, 11, 12), 1)
    received("A", local(2, 11, 14, 30), a)
    received("A", local(3, 11, 9), a)
    b = sent("B", local(9, 11, 13), 2)
    received("B", local(9, 11, 13, 1), b, auto=True)
    sent("B", local(10, 11, 8), 3)
    received("B", local(10, 11, 13), b)
    c = sent("C", local(16, 11, 6), 4)
    received("C", local(16, 11, 6, 5), c, auto=True)
    received("D", local(17, 11, 9), None)  # by sender: D's only open case
    d = sent("D", local(17, 11, 10), 5)
    received("D", local(17, 11, 20), d)
    g = sent("G", local(20, 11, 11), 6)
    received("G", local(22, 11, 11), g)
    h = sent("H", local(19, 11, 9), 7)
    received("H", local(19, 11, 9, 30), h)
    clock.set(now)


@pytest.fixture
def figures(services: Services) -> DashboardService:
    add_mail(services, build(services))
    return DashboardService(services.lookup)


def rates(replies: Replies) -> list[tuple[str | None, int, int, float | None]]:
    rows = [*replies.classes, replies.total]
    return [(r.nps_class, r.emailed, r.replied, r.rate) for r in rows]


def test_time_to_first_reply_and_rate_per_class_over_the_period(
    figures: DashboardService,
) -> None:
    replies = figures.replies(PERIOD)
    assert rates(replies) == [
        ("detractor", 2, 2, 100.0),
        ("neutral", 1, 0, 0.0),
        ("promoter", 2, 2, 100.0),
        (None, 5, 4, 80.0),
    ]
    assert replies.median_hours == 17.0
    assert replies.p90_hours == 40.8


def test_every_answer_brings_in_the_case_answered_before(figures: DashboardService) -> None:
    replies = figures.replies(Period())
    assert rates(replies)[0] == ("detractor", 3, 3, 100.0)
    assert rates(replies)[-1] == (None, 6, 5, 83.3)
    assert replies.median_hours == 10.0  # 0.5, 2.5, 10, 24, 48
    assert replies.p90_hours == 38.4  # rank 3.6: 24 + 0.6 * 24


def test_a_vertical_and_the_whole_dashboard_agree(figures: DashboardService) -> None:
    farma = figures.replies(PERIOD, "farma")  # A, B, G: 2.5, 24, 48 h
    assert rates(farma)[-1] == (None, 3, 3, 100.0)
    assert (farma.median_hours, farma.p90_hours) == (24.0, 43.2)
    assert figures.figures(PERIOD).replies == figures.replies(PERIOD)


def test_a_period_without_e_mails_has_no_figures(figures: DashboardService) -> None:
    replies = figures.replies(Period(PERIOD.start, PERIOD.start))
    assert rates(replies)[-1] == (None, 0, 0, None)
    assert (replies.median_hours, replies.p90_hours) == (None, None)
    assert replies.to_json()["by_class"]["neutral"] == {
        "emailed": 0,
        "replied": 0,
        "reply_rate": None,
    }


def test_quantiles_interpolate_between_the_nearest_ranks() -> None:
    assert quantile([], 0.5) is None
    assert quantile([7.0], 0.9) == 7.0
    assert quantile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert quantile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9) == pytest.approx(9.1)


@pytest.fixture
def store(figures: DashboardService, store_path: Path) -> Path:
    return store_path


def test_report_json_has_the_replies(store: Path) -> None:
    data = json.loads(run("--store", str(store), "report", *CLI_PERIOD, "--json").stdout)
    assert data["replies"] == {
        "emailed": 5,
        "replied": 4,
        "reply_rate": 80.0,
        "median_hours": 17.0,
        "p90_hours": 40.8,
        "by_class": {
            "detractor": {"emailed": 2, "replied": 2, "reply_rate": 100.0},
            "neutral": {"emailed": 1, "replied": 0, "reply_rate": 0.0},
            "promoter": {"emailed": 2, "replied": 2, "reply_rate": 100.0},
        },
    }


def test_text_report_shows_the_replies_in_both_languages(store: Path) -> None:
    english = run("--store", str(store), "report", *CLI_PERIOD, "--replies").stdout
    assert "Customer replies" in english
    assert "First reply: median 17.0 h · 90th percentile 40.8 h" in english
    assert "80.0%" in english
    portuguese = run(
        "--store", str(store), "--lang", "pt", "report", *CLI_PERIOD, "--replies"
    ).stdout
    assert "Respostas dos clientes" in portuguese
    assert "Primeira resposta: mediana 17,0 h · 90% em até 40,8 h" in portuguese
    assert "Detratores" in portuguese
