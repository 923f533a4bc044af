"""The outgoing side of replies, on a real SMTP server: answers threaded to the customer's
message, the case's own reply address, the subject tag, List-Unsubscribe, and no mail to an
address that bounced until an analyst clears it."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import NOW
from tests.integration.conftest import SENDER, Server
from tests.integration.test_replies import dsn, open_case, reply

from npsdesk.bootstrap import Services
from npsdesk.mail.message import BadHeader, Envelope, build_message
from npsdesk.services.mail import MailRefused, MailService
from npsdesk.services.mail_core import answer_subject, thread_of

UNSUBSCRIBE = "https://nps.durasoft.com.br/sair?t={token}"


def mail_of(services: Services) -> MailService:
    return MailService(services, actor="ana")


def on_the_wire(smtp: Server, index: int = -1) -> EmailMessage:
    parsed = email.message_from_bytes(smtp.received[index], policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def body_of(message: EmailMessage) -> str:
    return str(message.get_content()).replace("\r\n", "\n")


def send(services: Services, opinion_id: int, **compose: Any) -> str:
    """Our e-mail on the case, delivered; its Message-ID."""
    mail = mail_of(services)
    draft = mail.compose(opinion_id, **compose)
    mail.queue(draft)
    assert mail.deliver().sent == 1
    return draft.message_id


def one(services: Services, sql: str, params: tuple[Any, ...] = ()) -> Any:
    with services.db.read() as conn:
        return conn.execute(sql, params).fetchone()


# -- threaded answers ----------------------------------------------------------------------


def test_an_answer_is_threaded_to_the_customers_message_on_the_wire(
    wired: Services, smtp: Server
) -> None:
    opinion_id, address = open_case(wired)
    ours = send(wired, opinion_id)
    older = "<primeira@cliente.example>"
    raw = reply(
        address,
        subject="RES: Re: Sua opinião",
        text="Olá, o pedido chegou quebrado de novo.\nAguardo retorno.\n",
        headers={"In-Reply-To": ours, "References": f"{older} {ours}"},
    )
    taken = wired.replies().take(raw, "pipe")
    assert taken.opinion_id == opinion_id
    assert taken.inbound_id is not None
    mail = mail_of(wired)
    draft = mail.compose(opinion_id, answering=taken.inbound_id, quote=True)
    assert draft.subject == "Re: Sua opinião"
    assert draft.in_reply_to == "<resposta-1@cliente.example>"
    assert draft.references == (older, ours, "<resposta-1@cliente.example>")
    outbox_id = mail.queue(draft)
    stored = one(wired, "SELECT in_reply_to, refs FROM outbox WHERE id = ?", (outbox_id,))
    assert tuple(stored) == (draft.in_reply_to, " ".join(draft.references))
    assert mail.deliver().sent == 1
    sent = on_the_wire(smtp)
    assert sent["Subject"] == "Re: Sua opinião"
    assert sent["In-Reply-To"] == "<resposta-1@cliente.example>"
    assert str(sent["References"]).split() == [older, ours, "<resposta-1@cliente.example>"]
    assert sent["Message-ID"] == draft.message_id
    body = body_of(sent)
    assert ", Cliente wrote:\n> Olá, o pedido chegou quebrado de novo.\n> Aguardo retorno." in body
    assert body.index("wrote:") < body.index("\n-- \n")  # the quote, then the signature
    # the customer's next reply, to our answer, lands on the case by the thread
    again = reply(address, in_reply_to=draft.message_id, message_id="<resposta-2@cliente.example>")
    assert wired.replies().take(again, "pipe").matched_by == "thread"


def test_the_quote_header_is_in_the_analysts_language(wired: Services) -> None:
    opinion_id, address = open_case(wired)
    taken = wired.replies().take(reply(address), "pipe")
    assert taken.inbound_id is not None
    wired.settings = replace(wired.settings, language="pt")
    draft = mail_of(wired).compose(opinion_id, answering=taken.inbound_id, quote=True)
    assert "Em 23/11/2026" in draft.body
    assert ", Cliente escreveu:\n> Olá, o pedido chegou quebrado de novo." in draft.body
    plain = mail_of(wired).compose(opinion_id, answering=taken.inbound_id)
    assert "escreveu" not in plain.body
    assert plain.subject == "Re: Sua opinião"


def test_an_answer_to_another_cases_message_is_refused(wired: Services) -> None:
    opinion_id, address = open_case(wired)
    taken = wired.replies().take(reply(address), "pipe")
    assert taken.inbound_id is not None
    other = one(
        wired,
        "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
        "WHERE o.id <> ? AND r.email IS NOT NULL AND NOT o.internal ORDER BY o.id LIMIT 1",
        (opinion_id,),
    )[0]
    with pytest.raises(MailRefused, match="is not on case"):
        mail_of(wired).compose(other, answering=taken.inbound_id)


def test_answer_subjects_and_threads_are_tidied() -> None:
    assert answer_subject("Re: RE: Res: RES:  Sua opinião", "x") == "Re: Sua opinião"
    assert answer_subject("Re[2]: AW: pedido", "x") == "Re: pedido"
    assert answer_subject("", "Sua opinião") == "Re: Sua opinião"
    assert answer_subject("Resposta rápida", "x") == "Re: Resposta rápida"
    # stored newest first; References go oldest first, the message itself last
    assert thread_of("<c@x>", "<b@x> <a@x>") == ("<a@x>", "<b@x>", "<c@x>")
    assert thread_of(None, "<b@x> not-an-id <a@x>") == ("<a@x>", "<b@x>")
    many = " ".join(f"<m{i}@x>" for i in range(40, 0, -1))
    kept = thread_of("<last@x>", many)
    assert len(kept) == 20
    assert (kept[0], kept[-2], kept[-1]) == ("<m1@x>", "<m40@x>", "<last@x>")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("in_reply_to", "<a@b.example>\r\nBcc: x@evil.example"),
        ("in_reply_to", "a@b.example"),
        ("references", ("<a@b.example>", "<c@d.example>\nBcc: x@evil.example")),
        ("references", ("<ação@b.example>",)),
        ("unsubscribe", ("https://x.example/a b",)),
        ("unsubscribe", ("javascript:alert(1)",)),
    ],
)
def test_thread_and_unsubscribe_headers_are_checked_like_the_message_id(
    field: str, value: object
) -> None:
    envelope = Envelope(
        from_address=SENDER,
        sender_name="Sucesso",
        to_address="cliente@example.com",
        to_name=None,
        subject="Re: Sua opinião",
        body="Olá\n",
        message_id="<ours@durasoft.com.br>",
        date=NOW,
    )
    with pytest.raises(BadHeader):
        build_message(replace(envelope, **{field: value}))


# -- the case's reply address, the subject tag, List-Unsubscribe ----------------------------


def test_case_mail_answers_to_the_cases_own_address_and_a_reply_to_it_finds_the_case(
    wired: Services, smtp: Server
) -> None:
    opinion_id, _address = open_case(wired)
    send(wired, opinion_id)
    sent = on_the_wire(smtp)
    expected = wired.replies().reply_address(opinion_id, SENDER)
    assert sent["Reply-To"] == expected
    assert expected.startswith("sucesso+")
    assert sent["List-Unsubscribe"] == f"<mailto:{expected}?subject=descadastrar>"
    assert "List-Unsubscribe-Post" not in sent
    # from another address, without the thread: the plus-address alone finds the case
    raw = reply("colega@cliente.example", to=str(sent["Reply-To"]), message_id="<c@x.example>")
    taken = wired.replies().take(raw, "pipe")
    assert (taken.opinion_id, taken.matched_by) == (opinion_id, "token")


def test_the_plus_address_can_be_turned_off_and_the_subject_tag_on(
    wired: Services, smtp: Server
) -> None:
    opinion_id, address = open_case(wired)
    mail = mail_of(wired)
    chosen = mail.set_reply_settings(plus_address=False, subject_tag=True)
    assert (chosen.plus_address, chosen.subject_tag) == (False, True)
    send(wired, opinion_id)
    sent = on_the_wire(smtp)
    assert sent["Reply-To"] == SENDER
    assert str(sent["Subject"]).endswith(f" [#{opinion_id}]")
    assert sent["List-Unsubscribe"] == f"<mailto:{SENDER}?subject=descadastrar>"
    # the customer answers the tagged subject: our answer keeps one tag
    raw = reply(address, subject=f"Re: {sent['Subject']}", message_id="<tag@cliente.example>")
    taken = wired.replies().take(raw, "pipe")
    assert taken.inbound_id is not None
    answer = mail.compose(opinion_id, answering=taken.inbound_id)
    assert answer.subject.count(f"[#{opinion_id}]") == 1
    assert answer.subject.startswith("Re: ")
    assert not answer.subject.startswith("Re: Re:")
    log = [c.setting for c in wired.team().log(setting="replies")]
    assert sorted(log) == ["replies.plus_address", "replies.subject_tag"]


def test_one_click_unsubscribe_with_the_teams_url_on_case_mail_and_thank_yous(
    wired: Services, smtp: Server
) -> None:
    mail = mail_of(wired)
    with pytest.raises(MailRefused, match="https"):
        mail.set_reply_settings(unsubscribe_url="http://nps.durasoft.com.br/sair")
    with pytest.raises(MailRefused, match="token"):
        mail.set_reply_settings(unsubscribe_url="https://nps.durasoft.com.br/sair")
    mail.set_reply_settings(unsubscribe_url=UNSUBSCRIBE)
    opinion_id, _ = open_case(wired)
    send(wired, opinion_id)
    sent = on_the_wire(smtp)
    plus = wired.replies().reply_address(opinion_id, SENDER)
    token = plus.split("+", 1)[1].split("@", 1)[0]
    assert sent["List-Unsubscribe"] == (
        f"<https://nps.durasoft.com.br/sair?t={token}>, <mailto:{plus}?subject=descadastrar>"
    )
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # a promoter's thank-you carries them too
    promoter = one(
        wired,
        "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
        "WHERE o.nps_class = 'promoter' AND o.status = 'untreated' AND NOT o.internal "
        "AND r.email IS NOT NULL ORDER BY o.id LIMIT 1",
    )[0]
    assert mail.thank([promoter]).queued == 1
    assert mail.deliver().sent == 1
    thanked = on_the_wire(smtp)
    assert thanked["Reply-To"] == wired.replies().reply_address(promoter, SENDER)
    assert str(thanked["List-Unsubscribe"]).startswith("<https://nps.durasoft.com.br/sair?t=")
    assert thanked["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail.set_reply_settings(unsubscribe_url="")
    assert mail.reply_settings().unsubscribe_url is None


def test_an_unsubscribe_by_the_mailto_link_suppresses_the_customer(
    wired: Services, smtp: Server
) -> None:
    opinion_id, address = open_case(wired)
    send(wired, opinion_id)
    link = str(on_the_wire(smtp)["List-Unsubscribe"]).strip("<>")
    to, _, query = link.removeprefix("mailto:").partition("?")
    assert query == "subject=descadastrar"
    # what a mail program's unsubscribe button sends: the subject, an empty body
    raw = reply(address, subject="descadastrar", text="\n", to=to, message_id="<sair@x.example>")
    taken = wired.replies().take(raw, "pipe")
    assert (taken.kind, taken.opinion_id) == ("unsubscribe", opinion_id)
    mail = mail_of(wired)
    assert mail.is_suppressed(address)
    with pytest.raises(MailRefused, match="suppression list"):
        mail.compose(opinion_id)


# -- bouncing addresses --------------------------------------------------------------------


def test_no_mail_goes_to_a_bouncing_address_until_it_is_cleared(
    wired: Services, smtp: Server
) -> None:
    opinion_id, address = open_case(wired)
    ours = send(wired, opinion_id)
    mail = mail_of(wired)
    waiting = mail.queue(mail.compose(opinion_id))  # queued before the bounce comes back
    assert wired.replies().take(dsn(ours, address), "pipe").kind == "bounce"
    flag = mail.bounce_flag(address.upper())
    assert flag is not None
    assert "5.1.1" in str(flag[0])
    assert flag[1] == NOW
    with pytest.raises(MailRefused) as refused:
        mail.compose(opinion_id)
    assert refused.value.key == "refusal.mail.bounced"
    assert f"clear it with npsdesk mail unbounce {address}" in str(refused.value)
    assert "550 5.1.1 user unknown" in str(refused.value)
    from npsdesk.i18n import explain

    assert "libere-o com npsdesk mail unbounce" in explain(refused.value, "pt")
    delivered = len(smtp.received)
    report = mail.deliver()
    assert report.outcomes[waiting][0] == "failed"
    assert len(smtp.received) == delivered  # nothing reached the server
    state, reason = one(wired, "SELECT state, reason FROM outbox WHERE id = ?", (waiting,))
    assert state == "failed"
    assert "this address bounced" in reason
    # the listing names the address by the bounced message, and the outbox shows it bounced
    [listed] = [b for b in mail.bounced() if b.address == address]  # (the demo has one)
    assert (listed.address, listed.opinion_id) == (address, opinion_id)
    assert len(listed.hash_prefix) == 12
    assert "5.1.1" in str(listed.reason)
    bounced = mail.messages(("bounced",))
    assert [row["message_id"] for row in bounced] == [ours]
    assert "5.1.1" in bounced[0]["reason"]
    # the details pane's case file says so
    case = wired.desk_reads().case_file(opinion_id)
    assert case.opinion.bouncing is not None
    assert "user unknown" in case.opinion.bouncing
    # cleared by an analyst: it goes again, and the log says who (not the address)
    assert mail.clear_bounce(address)
    assert not mail.clear_bounce(address)
    assert mail.bounce_flag(address) is None
    assert wired.desk_reads().case_file(opinion_id).opinion.bouncing is None
    mail.retry(waiting)
    assert mail.deliver().outcomes[waiting][0] == "sent"
    assert len(smtp.received) == delivered + 1
    [change] = wired.team().log(setting="mail.bouncing")
    assert change.actor == "ana"
    assert address not in f"{change.item} {change.old} {change.new}"


def test_a_bounce_whose_message_is_unknown_is_named_by_the_customers_address(
    wired: Services,
) -> None:
    promoter, address = one(
        wired,
        "SELECT o.id, r.email FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
        "WHERE o.nps_class = 'promoter' AND o.status = 'untreated' AND NOT o.internal "
        "AND r.email IS NOT NULL ORDER BY o.id LIMIT 1",
    )
    wired.replies().take(dsn("<not-ours@elsewhere.example>", address), "pipe")
    [listed] = [b for b in mail_of(wired).bounced() if b.address == address]
    assert (listed.address, listed.opinion_id) == (address, None)
    # no thank-you draft for it either
    wired.settings = replace(wired.settings, thank_you="review")
    thanks = mail_of(wired).prepare_for([promoter])
    assert thanks.prepared == 0
    assert [(i, str(why)) for i, why in thanks.refused] == [
        (promoter, "the address bounced (npsdesk mail bounced)")
    ]


def test_the_details_pane_shows_a_red_bouncing_line(wired: Services) -> None:
    from rich.console import Console

    from npsdesk.tui.context import DeskContext
    from npsdesk.tui.widgets.details_pane import bouncing_part

    opinion_id, address = open_case(wired)
    wired.replies().take(dsn("<x@elsewhere.example>", address), "pipe")
    case = wired.desk_reads().case_file(opinion_id)
    [line] = bouncing_part(case, DeskContext.of(wired))
    assert line.plain.startswith("e-mail bounced: ")
    assert "550 5.1.1 user unknown" in line.plain
    assert "red" in str(line.style)
    console = Console(width=100, record=True)
    console.print(line)
    assert "e-mail bounced" in console.export_text()


# -- the commands ----------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_the_bounce_and_header_commands(wired: Services, demo_store: Path) -> None:
    import json

    from tests.cli.test_cli import fails_with, run

    opinion_id, address = open_case(wired)
    ours = send(wired, opinion_id)
    wired.replies().take(dsn(ours, address), "pipe")
    store = ("--store", str(demo_store))
    bounced = json.loads(run(*store, "mail", "bounced", "--json").stdout)
    [listed] = [b for b in bounced if b["address"] == address]  # (the demo has one)
    assert (listed["address"], listed["opinion_id"]) == (address, opinion_id)
    assert "5.1.1" in listed["reason"]
    table = run(*store, "mail", "bounced", env={"COLUMNS": "200"}).stdout
    assert address in table
    assert listed["hash"] in table
    outbox = json.loads(run(*store, "outbox", "--state", "bounced", "--json").stdout)
    assert [(m["state"], m["message_id"]) for m in outbox] == [("bounced", ours)]
    assert "bounced" in run(*store, "outbox").stdout
    refused = run(*store, "email", str(opinion_id), "--yes", check=False)
    fails_with(refused, f"clear it with npsdesk mail unbounce {address}")
    assert "cleared" in run(*store, "mail", "unbounce", address).stdout
    assert "was not flagged" in run(*store, "mail", "unbounce", address).stdout
    assert address not in run(*store, "mail", "bounced", env={"COLUMNS": "200"}).stdout

    shown = json.loads(run(*store, "mail", "headers", "--json").stdout)
    assert shown == {
        "plus_address": True,
        "subject_tag": False,
        "unsubscribe_url": None,
        "reply_to": SENDER,
    }
    run(*store, "mail", "headers", "--subject-tag", "on", "--unsubscribe-url", UNSUBSCRIBE)
    shown = json.loads(run(*store, "mail", "headers", "--json").stdout)
    assert (shown["subject_tag"], shown["unsubscribe_url"]) == (True, UNSUBSCRIBE)
    bad = run(*store, "mail", "headers", "--unsubscribe-url", "https://x.example/", check=False)
    fails_with(bad, "{token}")
