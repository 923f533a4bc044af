"""Messages keep their accents and refuse header values that could add headers."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from npsdesk.mail.message import (
    BadHeader,
    Envelope,
    build_message,
    message_bytes,
    new_message_id,
)

SENT_AT = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=-3)))
BODY = "Olá, João!\n\nObrigado pela avaliação — nota 10.\n.linha que começa com ponto\n"


def envelope(**changes: object) -> Envelope:
    base = Envelope(
        from_address="sucesso@empresa.com.br",
        sender_name="Equipe Sucesso São Paulo",
        to_address="joao@cliente.com.br",
        to_name="João Conceição, Filho",
        subject="Sua opinião é importante — obrigado!",
        body=BODY,
        message_id="<abc.123@empresa.com.br>",
        date=SENT_AT,
        reply_to="atendimento@empresa.com.br",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def parsed(env: Envelope) -> email.message.EmailMessage:
    raw = message_bytes(build_message(env))
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_accents_survive_a_round_trip() -> None:
    message = parsed(envelope())
    assert message["Subject"] == "Sua opinião é importante — obrigado!"
    assert message["From"].addresses[0].display_name == "Equipe Sucesso São Paulo"
    assert message["From"].addresses[0].addr_spec == "sucesso@empresa.com.br"
    to = message["To"].addresses
    assert len(to) == 1
    assert (to[0].display_name, to[0].addr_spec) == ("João Conceição, Filho", "joao@cliente.com.br")
    assert message["Reply-To"].addresses[0].addr_spec == "atendimento@empresa.com.br"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().replace("\r\n", "\n") == BODY


def test_headers_and_date() -> None:
    message = parsed(envelope(to_name=None, reply_to=None))
    assert message["To"] == "joao@cliente.com.br"
    assert "Reply-To" not in message
    assert message["Message-ID"] == "<abc.123@empresa.com.br>"
    assert message["Date"].datetime == SENT_AT


def test_wire_bytes_use_crlf_and_stay_seven_bit() -> None:
    raw = message_bytes(build_message(envelope()))
    assert raw.count(b"\n") == raw.count(b"\r\n") > 5
    assert raw.isascii()
    assert raw.endswith(b"\r\n")


def test_awkward_but_harmless_names_are_quoted() -> None:
    message = parsed(envelope(to_name='Ana "Aninha" <Silva>; Cia', sender_name=""))
    assert message["To"].addresses[0].display_name == 'Ana "Aninha" <Silva>; Cia'
    assert message["From"] == "sucesso@empresa.com.br"


@pytest.mark.parametrize("field", ["subject", "sender_name", "to_name", "reply_to"])
@pytest.mark.parametrize("brk", ["\r\n", "\n", "\r"])
def test_line_breaks_are_refused(field: str, brk: str) -> None:
    value = f"x@y.com{brk}Bcc: victim@example.com"
    with pytest.raises(BadHeader, match=f"^{field} contains a line break$"):
        build_message(envelope(**{field: value}))


@pytest.mark.parametrize("field", ["subject", "sender_name", "to_name"])
@pytest.mark.parametrize("char", ["\x00", "\t", "\x1b", "\x7f"])
def test_control_characters_are_refused(field: str, char: str) -> None:
    with pytest.raises(BadHeader, match=f"^{field} contains a control character$"):
        build_message(envelope(**{field: f"a{char}b"}))


@pytest.mark.parametrize(
    "address",
    [
        "a@b.com, c@d.com",
        "a@b.com,c@d.com",
        "João <a@b.com>",
        "<a@b.com>",
        "a@b@c.com",
        "ab.com",
        "@b.com",
        "a@",
        "a b@c.com",
        "joão@b.com",
        "a@b.com\r\nBcc: c@d.com",
    ],
)
@pytest.mark.parametrize("field", ["from_address", "to_address", "reply_to"])
def test_addresses_must_be_one_plain_address(field: str, address: str) -> None:
    with pytest.raises(BadHeader, match=f"^{field} "):
        build_message(envelope(**{field: address}))


def test_international_domain_goes_out_as_idna() -> None:
    message = parsed(envelope(to_address="maria@açaí.com.br"))
    assert message["To"].addresses[0].domain == "xn--aa-4iaz.com.br"


def test_naive_date_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_message(envelope(date=datetime(2026, 11, 23, 9, 30)))


def test_malformed_message_id_is_refused() -> None:
    with pytest.raises(BadHeader, match="message_id"):
        build_message(envelope(message_id="no-brackets@x"))
    with pytest.raises(BadHeader, match="message_id contains a line break"):
        build_message(envelope(message_id="<a@b>\r\nX: y"))


def test_message_id_uses_the_sender_domain() -> None:
    first = new_message_id("sucesso@empresa.com.br")
    second = new_message_id("sucesso@empresa.com.br")
    assert first.startswith("<")
    assert first.endswith("@empresa.com.br>")
    assert first != second
    build_message(envelope(message_id=first, date=datetime.now(UTC)))
    with pytest.raises(BadHeader):
        new_message_id("not an address")
