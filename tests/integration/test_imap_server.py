"""The suite's IMAP server is real: a message built as the product builds one goes in,
comes back byte for byte by UID, and UIDs and UIDVALIDITY behave as RFC 3501 says."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from tests.imap_server import ImapServer

pytestmark = pytest.mark.sqlite_only  # no store involved: run once, not per back end


def reply(subject: str, in_reply_to: str) -> bytes:
    message = EmailMessage()
    message["From"] = "João Araújo <joao@padaria.com.br>"
    message["To"] = "nps@empresa.example"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="padaria.com.br")
    message["In-Reply-To"] = in_reply_to
    message.set_content("Olá, o sistema voltou a travar ontem à noite.\n")
    return message.as_bytes(policy=policy.SMTP)


def test_a_delivered_reply_comes_back_whole_by_its_uid(imap_server: ImapServer) -> None:
    raw = reply("Re: queremos entender o que aconteceu", "<loop-34@empresa.example>")
    uid = imap_server.deliver(raw)
    with imap_server.connect() as client:
        client.select("INBOX", readonly=True)
        status, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    assert status == "OK"
    fetched = data[0][1]  # type: ignore[index]
    assert fetched == raw
    parsed = message_from_bytes(fetched, policy=policy.default)
    assert parsed["In-Reply-To"] == "<loop-34@empresa.example>"
    assert "travar" in parsed.get_content()


def test_uids_grow_and_uidvalidity_stays_across_sessions(imap_server: ImapServer) -> None:
    first = imap_server.deliver(reply("Re: 1", "<a@x>"))
    with imap_server.connect() as client:
        client.select("INBOX", readonly=True)
        validity = client.response("UIDVALIDITY")[1][0]
    second = imap_server.deliver(reply("Re: 2", "<b@x>"))
    with imap_server.connect() as client:
        client.select("INBOX", readonly=True)
        assert client.response("UIDVALIDITY")[1][0] == validity
        status, found = client.uid("SEARCH", None, f"UID {first + 1}:*")
    assert status == "OK"
    assert second > first
    assert found[0].split() == [str(second).encode()]  # type: ignore[union-attr]
