"""The mail service end to end: templates, outbox, a real SMTP server on loopback, history."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import NOW
from tests.integration.conftest import SENDER, Server

from npsdesk.bootstrap import Services
from npsdesk.domain.models import DomainError
from npsdesk.mail.message import BadHeader, message_bytes
from npsdesk.mail.templates import TemplateError
from npsdesk.services.mail import MailRefused, MailService
from npsdesk.store import mailbox


def mail_for(services: Services, **flags: Any) -> MailService:
    if flags:
        services.settings = replace(services.settings, **flags)
    return MailService(services, actor="ana")


def opinion_where(services: Services, sql: str) -> int:
    with services.db.read() as conn:
        row = conn.execute(
            "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
            f"WHERE {sql} ORDER BY o.id LIMIT 1"
        ).fetchone()
    assert row is not None, sql
    return int(row[0])


def detractor(services: Services) -> int:
    return opinion_where(
        services,
        "o.nps_class = 'detractor' AND NOT o.internal AND o.status = 'untreated' "
        "AND r.email IS NOT NULL",
    )


def history(services: Services, opinion_id: int) -> list[Any]:
    with services.db.read() as conn:
        return conn.execute(
            "SELECT kind, subject, body, message_id, new_value FROM event WHERE opinion_id = ? "
            "ORDER BY id",
            (opinion_id,),
        ).fetchall()


def status(services: Services, opinion_id: int) -> str:
    with services.db.read() as conn:
        return str(
            conn.execute("SELECT status FROM opinion WHERE id = ?", (opinion_id,)).fetchone()[0]
        )


def test_a_sent_email_arrives_byte_for_byte_and_enters_the_history(
    wired: Services, smtp: Server
) -> None:
    mail = mail_for(wired)
    opinion = detractor(wired)
    draft = mail.compose(opinion)
    expected = message_bytes(mail.build(draft))
    outbox_id = mail.queue(draft)
    report = mail.deliver()
    assert (report.sent, report.failed, report.unknown) == (1, 0, 0)
    assert smtp.received == [expected]
    parsed = email.message_from_bytes(smtp.received[0], policy=email.policy.default)
    assert parsed["From"] == f"Sucesso do Cliente Durasoft <{SENDER}>"
    # the team's reply-to, with the case's token (replies find their case by it)
    assert parsed["Reply-To"] == wired.replies().reply_address(opinion, "sucesso@durasoft.com.br")
    assert parsed["Message-ID"] == draft.message_id
    assert parsed["Subject"].endswith("queremos entender o que aconteceu")
    body = parsed.get_content().replace("\r\n", "\n")
    assert "Olá," in body
    assert body.rstrip().endswith("(11) 4002-8922")  # the team's signature
    assert "\n-- \n" in body
    event = next(e for e in history(wired, opinion) if e["kind"] == "email_sent")
    assert event["message_id"] == draft.message_id
    assert event["subject"] == draft.subject
    assert status(wired, opinion) == "in_treatment"  # keep open
    with wired.db.read() as conn:
        row = mailbox.get_message(conn, outbox_id)
    assert row is not None
    assert (row["state"], row["sent_at"]) == ("sent", "2026-11-23 12:00:00")


def test_a_refused_address_fails_with_the_server_reason_and_the_history_says_so(
    wired: Services, smtp: Server
) -> None:
    mail = mail_for(wired)
    opinion = detractor(wired)
    draft = mail.compose(opinion)
    smtp.refuse.add(draft.to_address)
    outbox_id = mail.queue(draft)
    before = len(history(wired, opinion))
    report = mail.deliver()
    assert report.failed == 1
    assert report.outcomes[outbox_id][0] == "failed"
    with wired.db.read() as conn:
        row = mailbox.get_message(conn, outbox_id)
    assert row["state"] == "failed"
    assert "550 5.1.1 mailbox unavailable" in row["reason"]
    added = [e for e in history(wired, opinion)[before:] if e["kind"].startswith("email")]
    assert [(e["kind"], e["subject"], e["new_value"]) for e in added] == [
        ("email_attempt", draft.subject, str(outbox_id))
    ]
    assert "550 5.1.1 mailbox unavailable" in added[0]["body"]
    assert added[0]["message_id"] == draft.message_id
    mail.retry(outbox_id)  # the analyst fixed it with the customer: retry delivers
    smtp.refuse.clear()
    assert mail.deliver().sent == 1
    kinds = [e["kind"] for e in history(wired, opinion)[before:]]
    assert [k for k in kinds if k.startswith("email")] == ["email_attempt", "email_sent"]
    assert "status_changed" in kinds  # a try is an action: the case is in treatment


def test_a_connection_dropped_after_data_is_unknown_and_never_resent(
    wired: Services, smtp: Server
) -> None:
    mail = mail_for(wired)
    outbox_id = mail.queue(mail.compose(detractor(wired)))
    smtp.drop_after_data = True
    assert mail.deliver().unknown == 1
    with wired.db.read() as conn:
        outcome = conn.execute(
            "SELECT outcome FROM event WHERE kind = 'email_attempt' AND new_value = ?",
            (str(outbox_id),),
        ).fetchone()
    assert outcome is not None
    assert outcome[0] == "unknown"
    smtp.drop_after_data = False
    assert mail.deliver().sent == 0  # `outbox send` again: nothing goes out
    assert len(smtp.received) == 1
    with wired.db.read() as conn:
        assert mailbox.get_message(conn, outbox_id)["state"] == "unknown"
    mail.cancel(outbox_id)  # the analyst decides it arrived
    with pytest.raises(MailRefused, match="cancelled and cannot be retried"):
        mail.retry(outbox_id)


def test_a_server_that_is_down_leaves_messages_retryable(wired: Services, smtp: Server) -> None:
    mail = mail_for(wired)
    smtp.stop()
    first = mail.queue(mail.compose(detractor(wired)))
    second = mail.queue(
        mail.compose(
            opinion_where(
                wired, "o.nps_class = 'neutral' AND NOT o.internal AND r.email IS NOT NULL"
            )
        )
    )
    report = mail.deliver()
    assert (report.sent, report.failed) == (0, 2)
    with wired.db.read() as conn:
        rows = [mailbox.get_message(conn, i) for i in (first, second)]
    assert [r["state"] for r in rows] == ["failed", "failed"]
    assert all(r["retryable"] for r in rows)
    smtp.start()
    mail.retry(first)
    mail.retry(second)
    assert mail.deliver().sent == 2
    assert len(smtp.received) == 2


def test_a_stopped_sender_leaves_unknown_not_resent(wired: Services, smtp: Server) -> None:
    """A process killed while sending: its claimed message becomes unknown later."""
    mail = mail_for(wired)
    opinion = detractor(wired)
    outbox_id = mail.queue(mail.compose(opinion))
    with wired.db.write() as conn:
        mailbox.claim(conn, "dead-process", NOW.replace(hour=11), 1)
    report = mail.deliver()
    assert (report.abandoned, report.sent) == (1, 0)
    with wired.db.read() as conn:
        assert mailbox.get_message(conn, outbox_id)["state"] == "unknown"
    assert smtp.received == []
    last = [e for e in history(wired, opinion) if e["kind"] == "email_attempt"][-1]
    assert last["new_value"] == str(outbox_id)
    assert "sending process stopped" in last["body"]


def test_send_and_close_closes_when_sent_and_only_if_the_rules_pass(
    wired: Services, smtp: Server
) -> None:
    mail = mail_for(wired)
    opinion = detractor(wired)
    with pytest.raises(DomainError, match="category"):
        mail.queue(mail.compose(opinion), close=True)
    cases = wired.cases("ana")
    cases.set_category(opinion, "Atendimento")
    cases.set_type(opinion, "complaint")  # type: ignore[arg-type]
    cases.assign(opinion, "ana")
    mail.queue(mail.compose(opinion), close=True)
    assert status(wired, opinion) == "in_treatment"  # not before it is sent
    assert mail.deliver().sent == 1
    assert status(wired, opinion) == "closed"


def test_refusals_internal_suppressed_and_without_email(wired: Services) -> None:
    mail = mail_for(wired)
    internal = opinion_where(wired, "o.internal")
    with pytest.raises(DomainError, match="internal"):
        mail.compose(internal)
    opinion = detractor(wired)
    address = mail.compose(opinion).to_address
    mail.suppress(address.upper(), "pediu para não ser contatado")
    with pytest.raises(MailRefused, match="suppression list"):
        mail.compose(opinion)
    with wired.db.read() as conn:
        stored = conn.execute("SELECT email_hash FROM suppression").fetchone()[0]
    assert address not in stored
    assert len(stored) == 64
    with wired.db.write() as conn:
        conn.execute(
            "UPDATE respondent SET email = NULL "
            "WHERE id = (SELECT respondent_id FROM opinion WHERE id = ?)",
            (opinion,),
        )
    mail.unsuppress(address)
    with pytest.raises(MailRefused, match="no e-mail address"):
        mail.compose(opinion)


def test_header_injection_is_refused(wired: Services) -> None:
    mail = mail_for(wired)
    draft = mail.compose(detractor(wired))
    with pytest.raises(BadHeader, match="line break"):
        mail.queue(replace(draft, subject="Oi\r\nBcc: todos@example.com"))
    with wired.db.read() as conn:
        assert mailbox.count_by_state(conn).get("queued", 0) == 0
    with pytest.raises(MailRefused, match="one line"):
        mail.set_sender(name="Equipe\nBcc: x@example.com")


def test_templates_are_checked_when_saved_and_render_values_as_data(wired: Services) -> None:
    mail = mail_for(wired)
    with pytest.raises(TemplateError, match=r"unknown placeholder \{\{ nom \}\}"):
        mail.save_template("detractor", "Oi {{ nom }}", "corpo")
    with pytest.raises(TemplateError, match="not allowed"):
        mail.save_template("detractor", "Oi", "{% for x in range(10) %}x{% endfor %}")
    with pytest.raises(TemplateError, match="not allowed"):
        mail.save_template("detractor", "Oi", "{{ nome.__class__ }}")
    mail.save_template("detractor", "Oi {{ primeiro_nome }}", "Nota {{ nota }}.\n")
    opinion = detractor(wired)
    with wired.db.write() as conn:
        conn.execute(
            "UPDATE respondent SET name = '{{ 7*7 }} [b]x[/b]' WHERE id = "
            "(SELECT respondent_id FROM opinion WHERE id = ?)",
            (opinion,),
        )
    draft = mail.compose(opinion)
    assert draft.subject == "Oi {{"
    assert draft.body.startswith("Nota ")
    assert "49" not in draft.subject


def test_coupon_pool_of_three_for_five_promoters(
    wired: Services, smtp: Server, tmp_path: Path
) -> None:
    mail = mail_for(wired, thank_you_category="Atendimento")
    mail.stop_coupons()
    codes = tmp_path / "cupons.csv"
    codes.write_text("codigo\nBONUS-A\nBONUS-B\nBONUS-C\n", encoding="utf-8")
    assert mail.import_coupons(codes, "Natal") == (3, 0)
    with wired.db.read() as conn:
        promoters = [
            int(r[0])
            for r in conn.execute(
                "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
                "WHERE o.nps_class = 'promoter' AND NOT o.internal AND o.status = 'untreated' "
                "AND r.email IS NOT NULL ORDER BY o.id LIMIT 5"
            )
        ]
    thanks = mail.thank(promoters)
    assert thanks.queued == 3
    assert [why for _, why in thanks.refused] == [
        "the coupon pool 'Natal' is empty: import more codes (npsdesk coupons import) "
        "before thanking more customers"
    ] * 2
    report = mail.deliver()
    assert report.sent == 3
    bodies = [
        email.message_from_bytes(raw, policy=email.policy.default).get_content()
        for raw in smtp.received
    ]
    assert [next(c for c in ("BONUS-A", "BONUS-B", "BONUS-C") if c in b) for b in bodies] == [
        "BONUS-A",
        "BONUS-B",
        "BONUS-C",
    ]
    closed = [p for p in promoters if status(wired, p) == "closed"]
    assert closed == promoters[:3]
    assert [e["new_value"] for e in history(wired, promoters[0]) if e["kind"] == "coupon_sent"] == [
        "BONUS-A"
    ]
    with wired.db.read() as conn:
        drafts = conn.execute(
            "SELECT opinion_id, reason FROM outbox WHERE state = 'draft' AND opinion_id IN "
            f"({','.join(map(str, promoters[3:]))})"
        ).fetchall()
    assert {d["opinion_id"] for d in drafts} == set(promoters[3:])
    assert all("pool 'Natal' is empty" in d["reason"] for d in drafts)


def test_two_senders_at_once_send_each_message_once(
    wired: Services, smtp: Server, tmp_path: Path
) -> None:
    mail = mail_for(wired)
    with wired.db.read() as conn:
        ids = [
            int(r[0])
            for r in conn.execute(
                "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
                "WHERE NOT o.internal AND r.email IS NOT NULL AND o.nps_class <> 'promoter' "
                "ORDER BY o.id LIMIT 12"
            )
        ]
    for opinion in ids:
        mail.queue(mail.compose(opinion))
    env = {
        **os.environ,
        "NPSDESK_STORE": wired.settings.store,
        "NPSDESK_MAIL_HOST": "127.0.0.1",
        "NPSDESK_MAIL_PORT": str(smtp.port),
        "NPSDESK_MAIL_SECURITY": "none",
        "NPSDESK_MAIL_FROM_ADDRESS": SENDER,
    }
    command = [sys.executable, "-m", "npsdesk", "outbox", "send"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    ids_received = [
        email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"]
        for raw in smtp.received
    ]
    assert len(ids_received) == len(set(ids_received)) == 12
    with wired.db.read() as conn:
        states = conn.execute(
            "SELECT state, count(*) FROM outbox WHERE kind = 'case' GROUP BY state"
        ).fetchall()
    assert [tuple(row) for row in states] == [("sent", 12)]
    assert sum(int(out.split()[1].rstrip(",")) for out in outputs) == 12  # "sent N, ..."


def test_review_mode_prepares_drafts_on_import_and_thank_sends_them(
    services: Services, smtp: Server, tmp_path: Path
) -> None:
    from npsdesk.importers.sync import Importer

    services.settings = replace(
        services.settings,
        **{
            "mail_host": "127.0.0.1",
            "mail_port": smtp.port,
            "mail_security": "none",
            "mail_from": SENDER,
            "thank_you_category": "Elogio",
        },
    )
    export = tmp_path / "respostas.csv"
    export.write_text(
        "ID;Data da resposta;Nota;Nome;E-mail\n"
        "P-1;20/11/2026 10:00;10;Maria;maria@farma.com.br\n"
        "P-2;20/11/2026 11:00;9;José;jose@farma.com.br\n"
        "D-1;20/11/2026 12:00;2;Rita;rita@farma.com.br\n",
        encoding="utf-8",
    )
    from npsdesk.store.case_writes import upsert_category

    with services.db.write() as conn:
        upsert_category(conn, "Elogio")
    result = Importer(services).run(export)
    mail = MailService(services)
    thanks = mail.prepare_thank_yous(result.batch)
    assert (thanks.prepared, thanks.queued) == (2, 0)
    assert mail.prepare_thank_yous(result.batch).prepared == 0  # once per opinion
    assert smtp.received == []
    drafts = mail.drafts()
    assert len(drafts) == 2
    assert mail.thank(drafts).queued == 2
    assert mail.deliver().sent == 2
    assert all(status(services, o) == "closed" for o in drafts)
    subjects = sorted(
        email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
        for raw in smtp.received
    )
    assert subjects == ["Obrigado, José!", "Obrigado, Maria!"]


def test_the_demo_store_only_writes_files(demo: Services, tmp_path: Path) -> None:
    demo.settings = replace(demo.settings, mail_host="smtp.example.com", mail_transport="smtp")
    mail = MailService(demo, actor="ana")
    assert mail.is_demo()
    outbox_id = mail.queue(mail.compose(detractor(demo)))
    assert mail.deliver().sent == 1
    folder = mail.default_folder()
    files = list(folder.glob("*.eml"))
    assert len(files) == 1
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    with demo.db.read() as conn:
        assert mailbox.get_message(conn, outbox_id)["state"] == "sent"
