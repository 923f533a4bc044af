"""Customer replies at the desk: in the case's history (folded quote, attachments, hostile
text shown as typed), the list's marker and the awaiting tab, the unmatched inbox, and `e`
answering a reply."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from tests.conftest import NOW, make_settings
from tests.integration.conftest import Server
from tests.ui.conftest import WIDE, desk, mail_through, notes, search, seen, settle
from textual.widgets import DataTable, Input

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.mail import EmailComposer
from npsdesk.tui.screens.inbox import ConfirmLine, InboxScreen

QUOTED = (
    "Em 1 de maio, Durasoft escreveu:\n"
    "> Sua opinião é importante.\n"
    "> Linha dois do que enviamos\n"
    "> Linha três\n"
    "\n-- \nMaria Souza\nDiretora de compras\n"
)


def open_case(services: Services) -> tuple[int, str]:
    """An untreated detractor's case whose customer has only it open, and their address:
    a reply from that address lands on it by its sender."""
    with services.db.read() as conn:
        row = conn.execute(
            """SELECT o.id, r.email FROM opinion o JOIN respondent r ON r.id = o.respondent_id
               WHERE o.nps_class = 'detractor' AND o.status = 'untreated' AND NOT o.archived
                 AND r.email IS NOT NULL
                 AND (SELECT count(*) FROM opinion o2 JOIN respondent r2
                        ON r2.id = o2.respondent_id
                      WHERE r2.email = r.email AND o2.status <> 'closed') = 1
               ORDER BY o.id LIMIT 1"""
        ).fetchone()
    return int(row[0]), str(row[1])


def raw_reply(
    sender: str,
    *,
    text: str = "Olá, o pedido chegou quebrado de novo.\n",
    subject: str = "Re: Sua opinião",
    message_id: str = "<resposta-1@cliente.example>",
    attachment: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Cliente Bravo <{sender}>"
    message["To"] = "sucesso@durasoft.com.br"
    message["Subject"] = subject
    message["Date"] = format_datetime(NOW)
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if attachment is not None:
        message.add_attachment(attachment, maintype="image", subtype="png", filename="foto.png")
    return message.as_bytes(policy=email.policy.SMTP)


def take(services: Services, raw: bytes) -> int:
    taken = services.replies("tester").take(raw, "pipe")
    assert taken.outcome == "new"
    assert taken.inbound_id is not None
    return taken.inbound_id


@pytest.fixture
def other(demo_store: Path, clock: FixedClock) -> Iterator[Services]:
    """Another program on the same store (the mail fetch), with its own connection."""
    wired = bootstrap(make_settings(demo_store), clock=clock)
    yield wired
    wired.close()


async def open_on(pilot: object, opinion_id: int) -> None:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("7")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    await search(pilot, str(opinion_id))  # type: ignore[arg-type]
    assert desk(pilot).case is not None  # type: ignore[arg-type]
    assert desk(pilot).case.opinion.id == opinion_id  # type: ignore[arg-type, union-attr]


async def test_a_reply_shows_in_the_history_with_its_quote_folded_until_z(
    demo: Services,
) -> None:
    opinion_id, address = open_case(demo)
    take(
        demo,
        raw_reply(address, text="O pedido chegou quebrado.\n\n" + QUOTED, attachment=b"x" * 3000),
    )
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await open_on(pilot, opinion_id)
        shown = seen(pilot)
        assert "E-MAIL FROM THE CUSTOMER" in shown
        assert "From: Cliente Bravo" in shown
        assert f"<{address}>" in shown
        assert "Subject: Re: Sua opinião" in shown
        assert "O pedido chegou quebrado." in shown
        assert "… quoted text (8 lines) — [z] shows it" in shown
        assert "Linha dois do que enviamos" not in shown
        assert "foto.png (image/png, 2.9 KB)" in shown
        await pilot.press("z")
        await pilot.pause()
        shown = seen(pilot)
        assert "Linha dois do que enviamos" in shown
        assert "— quoted text — [z] hides it" in shown
        await pilot.press("z")
        await pilot.pause()
        assert "Linha dois do que enviamos" not in seen(pilot)


async def test_hostile_text_in_a_reply_shows_as_typed(demo: Services) -> None:
    opinion_id, address = open_case(demo)
    take(
        demo,
        raw_reply(
            address,
            subject="[@click=app.quit] Re: [b]grito[/b]",
            text="[link=x]clique[/link] \x1b[31mvermelho\x1b[0m [@click=app.quit]sair\n",
        ),
    )
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await open_on(pilot, opinion_id)
        shown = seen(pilot)
        assert "Subject: [@click=app.quit] Re: [b]grito[/b]" in shown
        assert "[link=x]clique[/link]" in shown
        assert "[@click=app.quit]sair" in shown
        assert "\x1b" not in shown
        await pilot.click("#history-body")
        await pilot.pause()
        assert pilot.app.is_running


async def test_auto_replies_and_bounces_are_labelled(demo: Services) -> None:
    opinion_id, address = open_case(demo)
    take(
        demo,
        raw_reply(
            address,
            subject="Resposta automática: fora do escritório",
            text="Estou de férias até segunda.\n",
            headers={"Auto-Submitted": "auto-replied"},
        ),
    )
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await search(pilot, str(opinion_id))  # an auto-reply leaves the case as it was
        shown = seen(pilot)
        assert "AUTO-REPLY" in shown
        assert "Estou de férias até segunda." in shown


async def test_a_reply_marks_the_row_and_counts_in_the_awaiting_tab_while_the_desk_is_open(
    demo: Services, other: Services
) -> None:
    opinion_id, address = open_case(demo)
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        before = screen.counts["awaiting"]
        take(other, raw_reply(address))  # the mail fetch, in another program
        screen._poll()  # (the desk polls every two seconds)
        await settle(pilot)
        assert screen.counts["awaiting"] == before + 1
        assert f"7 Awaiting us {before + 1}" in seen(pilot)
        await pilot.press("7")
        await settle(pilot)
        await search(pilot, str(opinion_id))
        row = screen.opinions.current()
        assert row is not None
        assert row.id == opinion_id
        assert row.awaiting_us
        line = next(line for line in seen(pilot).splitlines() if "↩" in line)
        assert row.name is not None
        assert row.name[:10] in line
        await pilot.press("question_mark")
        await pilot.pause()
        assert "↩ in the list: the customer replied and awaits us" in seen(pilot)


async def test_the_inbox_attaches_a_message_to_the_desks_case_with_one_key_and_discards_another(
    demo: Services,
) -> None:
    for stranger in demo.replies().inbox():  # the demo's own, set aside: only these two wait
        demo.replies().discard(stranger.id)
    waiting = demo.replies().unmatched_count()
    first = take(demo, raw_reply("ninguem@outro.example", message_id="<u1@outro.example>"))
    second = take(
        demo,
        raw_reply("alguem@outro.example", subject="Oi", message_id="<u2@outro.example>"),
    )
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await settle(pilot)  # the unmatched count comes after the tabs'
        assert f"✉ {waiting + 2} unmatched [I]" in seen(pilot)
        case_id = desk(pilot).target()
        assert case_id is not None
        await pilot.press("I")
        await settle(pilot)
        inbox = pilot.app.screen
        assert isinstance(inbox, InboxScreen)
        shown = seen(pilot)
        assert f"Unmatched messages ({waiting + 2})" in shown
        assert "ninguem@outro.example" in shown
        assert "alguem@outro.example" in shown
        assert inbox.query_one(DataTable).cursor_row == 0  # newest first: the second
        await pilot.press("down")
        await pilot.pause()
        assert "From: Cliente Bravo <ninguem@outro.example>" in seen(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmLine)
        assert f"to case #{case_id}" in seen(pilot)
        await pilot.press("enter")
        await settle(pilot)
        replies = demo.replies()
        assert replies.message(first).state == "matched"
        assert replies.message(first).opinion_id == case_id
        assert f"Unmatched messages ({waiting + 1})" in seen(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert "Discard the message from Cliente Bravo <alguem@outro.example>?" in seen(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert replies.message(second).state == "discarded"
        assert "No unmatched messages." in seen(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await settle(pilot)
        assert "unmatched [I]" not in seen(pilot)
        await pilot.press("3")  # the reply put the case in treatment
        await settle(pilot)
        await search(pilot, str(case_id))
        assert "E-MAIL FROM THE CUSTOMER" in seen(pilot)


async def test_the_inbox_attaches_to_a_typed_case_and_escape_cancels_a_discard(
    demo: Services,
) -> None:
    found = take(demo, raw_reply("ninguem@outro.example", message_id="<u3@outro.example>"))
    target, _ = open_case(demo)
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert demo.replies().message(found).state == "unmatched"
        await pilot.press("A")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "abc"
        await pilot.press("enter")
        await pilot.pause()
        assert "«abc» is not a case number" in seen(pilot)
        pilot.app.screen.query_one(Input).value = f"#{target}"
        await pilot.press("enter")
        await settle(pilot)
        assert demo.replies().message(found).opinion_id == target


async def test_the_desk_speaks_portuguese_about_replies(pt_services: Services) -> None:
    opinion_id, address = open_case(pt_services)
    take(pt_services, raw_reply(address, text="Chegou quebrado.\n\n" + QUOTED))
    waiting = pt_services.replies().unmatched_count()
    take(pt_services, raw_reply("ninguem@outro.example", message_id="<u4@outro.example>"))
    async with DeskApp(pt_services).run_test(size=WIDE) as pilot:
        await open_on(pilot, opinion_id)
        await settle(pilot)
        shown = seen(pilot)
        assert "E-MAIL DO CLIENTE" in shown
        assert "… texto citado (8 linhas) — [z] mostra" in shown
        assert f"✉ {waiting + 1} sem caso [I]" in shown


async def test_e_on_a_case_with_a_reply_answers_it_threaded_over_smtp(
    demo: Services, smtp: Server
) -> None:
    mail_through(demo, smtp)
    opinion_id, address = open_case(demo)
    take(demo, raw_reply(address, subject="Pedido 123 quebrado", text="Chegou quebrado.\n"))
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await open_on(pilot, opinion_id)
        await pilot.press("e")
        await settle(pilot)
        composer = pilot.app.screen
        assert isinstance(composer, EmailComposer)
        assert composer.query_one("#mail-subject", Input).value == "Re: Pedido 123 quebrado"
        shown = seen(pilot)
        assert f"Answering the e-mail from {address}" in shown
        assert "Quote the customer's message" in shown
        assert composer.message.in_reply_to == "<resposta-1@cliente.example>"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "> Chegou quebrado." in composer.edited().body
        await pilot.press("ctrl+s")
        for _ in range(50):
            await pilot.pause(0.1)
            if smtp.received:
                break
    [sent] = smtp.received
    message = email.message_from_bytes(sent, policy=email.policy.default)
    assert message["Subject"] == "Re: Pedido 123 quebrado"
    assert message["In-Reply-To"] == "<resposta-1@cliente.example>"
    assert "<resposta-1@cliente.example>" in message["References"]
    assert message["To"].addresses[0].addr_spec == address
    assert "> Chegou quebrado." in message.get_content()
    with demo.db.read() as conn:
        lane = conn.execute("SELECT lane FROM opinion WHERE id = ?", (opinion_id,)).fetchone()[0]
    assert lane == 1  # answered: it no longer awaits us


async def test_the_desk_fetches_replies_from_the_maildir_by_itself(
    demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from npsdesk.tui import inbox_fetch

    monkeypatch.setattr(inbox_fetch, "FIRST_FETCH_SECONDS", 0.1)
    maildir = tmp_path / "Maildir"
    for part in ("new", "cur", "tmp"):
        (maildir / part).mkdir(parents=True)
    opinion_id, address = open_case(demo)
    (maildir / "new" / "1.reply").write_bytes(raw_reply(address, text="Ainda sem solução.\n"))
    (maildir / "new" / "2.unknown").write_bytes(
        raw_reply("quem@nowhere.example", message_id="<outra@x.example>")
    )
    demo.settings = replace(demo.settings, mail_inbox_maildir=str(maildir))
    with demo.db.read() as conn:
        awaiting = conn.execute("SELECT count(*) FROM opinion WHERE lane = 0").fetchone()[0]
        unmatched = conn.execute(
            "SELECT count(*) FROM inbound_message WHERE state = 'unmatched'"
        ).fetchone()[0]
    async with DeskApp(demo).run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = desk(pilot)
        for _ in range(50):
            await pilot.pause(0.1)
            if screen.fetcher.rounds:
                break
        await settle(pilot, 0.3)
        assert any("2 new customer messages (1 on cases, 1 unmatched)" in n for n in notes(pilot))
        assert screen.counts["awaiting"] == awaiting + 1
        assert screen.unmatched == unmatched + 1
    assert not list((maildir / "new").iterdir())  # marked seen, as a mail client does
    with demo.db.read() as conn:
        lane = conn.execute("SELECT lane FROM opinion WHERE id = ?", (opinion_id,)).fetchone()[0]
    assert lane == 0
