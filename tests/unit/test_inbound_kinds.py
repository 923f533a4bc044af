"""Bounces, automatic replies and requests to stop, told apart from real replies."""

from __future__ import annotations

from pathlib import Path

import pytest

from npsdesk.mail.inbound import Bounce, parse_message

MAIL = Path(__file__).resolve().parent.parent / "data" / "mail"


def message(headers: str, body: str = "Obrigado pelo contato.") -> bytes:
    base = "From: Ana <ana@cliente.example>\nTo: nps@empresa.example\nMessage-ID: <k@c.example>\n"
    return (base + headers.strip("\n") + "\n\n" + body + "\n").replace("\n", "\r\n").encode()


def test_postfix_dsn() -> None:
    inbound = parse_message((MAIL / "bounce_postfix.eml").read_bytes())
    assert inbound.kind == "bounce"
    assert inbound.bounce == Bounce(
        recipient="cliente.antigo@provedor.example",
        status="5.1.1",
        action="failed",
        diagnostic="550 5.1.1 <cliente.antigo@provedor.example>: Recipient address rejected: "
        "User unknown in virtual mailbox table",
        original_message_id="<nps-902-20261202@empresa.example>",
        permanent=True,
    )


def test_exchange_dsn_reads_the_returned_message() -> None:
    inbound = parse_message((MAIL / "bounce_exchange.eml").read_bytes())
    assert inbound.kind == "bounce"
    bounce = inbound.bounce
    assert bounce is not None
    assert (bounce.recipient, bounce.status, bounce.action) == (
        "rh@corporativo.example",
        "5.1.10",
        "failed",
    )
    assert bounce.diagnostic is not None
    assert bounce.diagnostic.startswith("550 5.1.10 RESOLVER.ADR.RecipientNotFound")
    assert bounce.original_message_id == "<nps-903-20261202@empresa.example>"
    assert bounce.permanent
    assert inbound.text.startswith("Your message to rh@corporativo.example couldn't")


def test_delayed_dsn_is_a_bounce_but_not_permanent() -> None:
    raw = (MAIL / "bounce_postfix.eml").read_bytes()
    raw = raw.replace(b"Action: failed", b"Action: delayed").replace(
        b"Status: 5.1.1", b"Status: 4.4.1"
    )
    bounce = parse_message(raw).bounce
    assert bounce is not None
    assert (bounce.action, bounce.status, bounce.permanent) == ("delayed", "4.4.1", False)


def test_plain_bounce_without_a_report() -> None:
    body = (
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "<sumiu@provedor.example>: 550 5.1.1 No such user here\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        "From: NPS Empresa <nps@empresa.example>\n"
        "Message-ID: <nps-77-x@empresa.example>\n"
        "Subject: Sua opinião\n"
    )
    raw = (
        "From: Mail Delivery System <Mailer-Daemon@mx.provedor.example>\n"
        "To: nps@empresa.example\nSubject: Mail delivery failed: returning message to sender\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + body
    ).replace("\n", "\r\n")
    inbound = parse_message(raw.encode())
    assert inbound.kind == "bounce"
    assert inbound.bounce is not None
    assert inbound.bounce.recipient == "sumiu@provedor.example"
    assert inbound.bounce.status == "5.1.1"
    assert inbound.bounce.original_message_id == "<nps-77-x@empresa.example>"
    assert inbound.bounce.permanent
    assert inbound.bounce.diagnostic == "<sumiu@provedor.example>: 550 5.1.1 No such user here"


def test_a_customer_subject_about_failed_delivery_is_a_reply() -> None:
    raw = message("Subject: Mail delivery failed de novo?", "A entrega do pedido falhou.")
    assert parse_message(raw).kind == "reply"


def test_out_of_office() -> None:
    inbound = parse_message((MAIL / "out_of_office.eml").read_bytes())
    assert inbound.kind == "auto_reply"
    assert inbound.bounce is None


@pytest.mark.parametrize(
    "headers",
    [
        "Subject: Re: ok\nAuto-Submitted: auto-generated",
        "Subject: Re: ok\nX-Autoreply: yes",
        "Subject: Re: ok\nX-Autorespond: 1",
        "Subject: Re: ok\nPrecedence: bulk",
        "Subject: Re: ok\nPrecedence: auto_reply",
        "Subject: Resposta automática: Sua opinião",
        "Subject: RES: Fora do escritório",
        "Subject: Re: Ausência temporária",
        "Subject: Automatic reply: Your opinion",
        "Subject: Out of Office: back on Monday",
        "Subject: Autoreply: thanks",
    ],
)
def test_auto_replies(headers: str) -> None:
    assert parse_message(message(headers)).kind == "auto_reply"


@pytest.mark.parametrize(
    "headers",
    [
        "Subject: Re: ok\nAuto-Submitted: no",
        "Subject: Re: ok\nX-Auto-Response-Suppress: OOF",
        "Subject: Re: ok\nX-Auto-Response-Suppress: All",
        "Subject: Re: fiquei fora do escritório, desculpe a demora",
    ],
)
def test_not_auto_replies(headers: str) -> None:
    assert parse_message(message(headers)).kind == "reply"


def test_descadastrar_reply() -> None:
    assert parse_message((MAIL / "descadastrar.eml").read_bytes()).kind == "unsubscribe"


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Re: Sua opinião", "Por favor, descadastre meu endereço."),
        ("Re: Sua opinião", "Não quero mais receber essas mensagens!"),
        ("Re: Sua opinião", "nao quero mais receber"),
        ("Re: Sua opinião", "Remova meu e-mail, obrigado."),
        ("Re: Sua opinião", "Please unsubscribe me."),
        ("Re: Sua opinião", "PARE"),
        ("Re: Sua opinião", "Stop, please."),
        ("Descadastrar", ""),
        ("Re: STOP", ""),
    ],
)
def test_unsubscribe_requests(subject: str, body: str) -> None:
    assert parse_message(message(f"Subject: {subject}", body)).kind == "unsubscribe"


@pytest.mark.parametrize(
    "body",
    [
        "Pare de me ligar às 7 da manhã, o resto está ótimo.",
        "Não pare o bom trabalho!",
        "O app não deixa descadastrar o cartão antigo. "
        + "Tentei várias vezes, liguei para o suporte e ninguém resolveu. " * 6,
    ],
)
def test_replies_that_only_mention_stopping(body: str) -> None:
    assert parse_message(message("Subject: Re: Sua opinião", body)).kind == "reply"


def test_the_quote_does_not_make_an_unsubscribe() -> None:
    body = "Nota 10, obrigado!\n\nEm 1 de dez., NPS escreveu:\n> Para descadastrar, responda."
    inbound = parse_message(message("Subject: Re: Sua opinião", body))
    assert inbound.text == "Nota 10, obrigado!"
    assert inbound.kind == "reply"


def test_a_bounce_wins_over_its_auto_submitted_header() -> None:
    inbound = parse_message((MAIL / "bounce_postfix.eml").read_bytes())
    assert inbound.kind == "bounce"  # it also carries Auto-Submitted: auto-replied
