"""LGPD with customer replies: a person's export holds the messages they sent us (with their
attachments), and their erasure leaves none of it in the store file, quarantine included."""

from __future__ import annotations

import base64
import email.policy
import json
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from tests.conftest import NOW
from tests.integration.test_privacy import person_with_history, store_bytes
from tests.integration.test_replies import dsn

from npsdesk.bootstrap import Services
from npsdesk.services.mail import MailService
from npsdesk.services.privacy import PrivacyService, subject

TEXT_MARK = "Pedido-7781-chegou-amassado"
FILE_MARK = b"NOTA-FISCAL-SIGILOSA-99314"
QUARANTINE_MARK = b"QUARENTENA-44120"


def reply_with_attachment(sender: str, name: str, in_reply_to: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>"
    message["To"] = "sucesso@durasoft.com.br"
    message["Subject"] = "Re: Sua opinião"
    message["Date"] = format_datetime(NOW)
    message["Message-ID"] = "<com-anexo@cliente.example>"
    message["In-Reply-To"] = in_reply_to
    message.set_content(f"Olá, segue a nota. {TEXT_MARK}\n\n{name}\n")
    message.add_attachment(
        FILE_MARK + b" emitida para " + sender.encode(),
        maintype="application",
        subtype="octet-stream",
        filename="nota.bin",
    )
    return message.as_bytes(policy=email.policy.SMTP)


def with_replies(services: Services) -> tuple[str, str, int]:
    """A customer we e-mailed who answered with an attachment, whose next message bounced,
    and whose address is in a quarantined message: (e-mail, name, opinion id)."""
    address, name, _ = person_with_history(services)
    with services.db.read() as conn:
        opinion_id = int(
            conn.execute(
                "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
                "WHERE r.email = ? ORDER BY o.id LIMIT 1",
                (address,),
            ).fetchone()[0]
        )
    mail = MailService(services, actor="ana")
    draft = mail.compose(opinion_id)
    mail.queue(draft)
    assert mail.deliver().sent == 1
    replies = services.replies()
    taken = replies.take(reply_with_attachment(address, name, draft.message_id), "pipe")
    assert (taken.opinion_id, taken.matched_by) == (opinion_id, "thread")
    answer = mail.compose(opinion_id, answering=taken.inbound_id, quote=True)
    mail.queue(answer)
    assert mail.deliver().sent == 1
    assert replies.take(dsn(answer.message_id, address), "pipe").opinion_id == opinion_id
    assert mail.bounce_flag(address) is not None
    garbage = b"\x00\xff\xfe " + QUARANTINE_MARK + b" " + address.encode()
    assert replies.take(garbage, "pipe").outcome == "quarantined"
    return address, name, opinion_id


def count(services: Services, sql: str, params: tuple[Any, ...] = ()) -> int:
    with services.db.read() as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def test_export_holds_the_messages_they_sent_with_their_attachments(
    demo: Services, tmp_path: Path
) -> None:
    address, _name, opinion_id = with_replies(demo)
    out = tmp_path / "titular.json"
    records = PrivacyService(demo, actor="dpo").export(subject(email=address), out)
    tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
    assert records == sum(len(rows) for rows in tables.values())
    received = tables["received_messages"]
    kinds = sorted(m["kind"] for m in received)
    assert kinds == ["bounce", "reply", "reply"]  # the reply, the bounce, the quarantined copy
    [sent] = [m for m in received if m["state"] == "matched" and m["kind"] == "reply"]
    assert TEXT_MARK in sent["body"]
    assert (sent["subject"], sent["opinion_id"], sent["from_address"]) == (
        "Re: Sua opinião",
        opinion_id,
        address,
    )
    assert sent["sent_at"]
    [attachment] = sent["attachments"]
    assert attachment["name"] == "nota.bin"
    data = base64.b64decode(attachment["data_base64"])
    assert data == FILE_MARK + b" emitida para " + address.encode()
    [quarantined] = [m for m in received if m["state"] == "quarantined"]
    assert QUARANTINE_MARK in base64.b64decode(quarantined["raw_base64"])
    # the outbox rows of the answer carry the thread
    answers = [row for row in tables["outbox"] if row["in_reply_to"]]
    assert [row["in_reply_to"] for row in answers] == ["<com-anexo@cliente.example>"]


def test_erase_removes_their_messages_attachments_quarantine_and_flag_to_the_bytes(
    demo: Services,
) -> None:
    address, name, opinion_id = with_replies(demo)
    data = store_bytes(demo)
    assert TEXT_MARK.encode() in data
    if demo.db.dialect == "sqlite":  # PostgreSQL shows bytea rows as hex
        assert FILE_MARK in data
        assert QUARANTINE_MARK in data
    privacy = PrivacyService(demo, actor="dpo")
    # the demo's own customers' files and bouncing address stay
    files = count(demo, "SELECT count(*) FROM inbound_attachment")
    flags = count(demo, "SELECT count(*) FROM address_flag")
    dry = privacy.erase(subject(email=address), dry_run=True)
    assert dry.changed["received_messages"] == 3
    assert count(demo, "SELECT count(*) FROM inbound_message") >= 3

    result = privacy.erase(subject(email=address))
    assert result.changed["received_messages"] == 3
    assert result.compacted
    assert count(demo, "SELECT count(*) FROM inbound_attachment") == files - 1
    assert count(demo, "SELECT count(*) FROM address_flag") == flags - 1
    assert (
        count(demo, "SELECT count(*) FROM inbound_message WHERE opinion_id = ?", (opinion_id,)) == 0
    )
    received = count(
        demo,
        "SELECT count(*) FROM event WHERE opinion_id = ? AND kind IN "
        "('email_received', 'email_bounced') AND old_value IS NULL AND body IS NULL "
        "AND subject IS NULL",
        (opinion_id,),
    )
    assert received == 2  # the history keeps that they wrote and it bounced, not what
    data = store_bytes(demo)
    for secret in (address.encode(), name.encode(), TEXT_MARK.encode(), FILE_MARK, QUARANTINE_MARK):
        assert secret not in data, secret
    assert address.encode() not in data.lower()
    assert MailService(demo, actor="ana").bounce_flag(address) is None
    assert MailService(demo, actor="ana").is_suppressed(address)
