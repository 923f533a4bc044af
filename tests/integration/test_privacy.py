"""LGPD: a person's export and erasure on the demo store, checked down to the file's bytes."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path

import pytest

from npsdesk.bootstrap import Services
from npsdesk.domain.periods import Period
from npsdesk.importers.sync import Importer
from npsdesk.services.export import export_opinions
from npsdesk.services.mail import MailService
from npsdesk.services.privacy import PrivacyService, subject


def person_with_history(services: Services) -> tuple[str, str, str]:
    """(e-mail, name, CNPJ) of a demo customer with a commented opinion, a note and a name
    nobody else has."""
    with services.db.read() as conn:
        row = conn.execute(
            """SELECT r.email, r.name, r.cnpj FROM respondent r
               JOIN opinion o ON o.respondent_id = r.id
               JOIN event e ON e.opinion_id = o.id AND e.kind = 'note'
               WHERE o.comment IS NOT NULL AND NOT o.internal AND r.email IS NOT NULL
                 AND (SELECT count(*) FROM respondent x WHERE x.name = r.name) = 1
                 AND (SELECT count(*) FROM respondent x WHERE x.cnpj = r.cnpj) = 1
               ORDER BY o.id LIMIT 1"""
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def store_bytes(services: Services) -> bytes:
    """The SQLite file's bytes (WAL included); on PostgreSQL, every row of every table as
    text (the server's files are not ours to read)."""
    if services.db.dialect == "postgresql":
        conn = services.db.connection()
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
        text = "".join(
            str(row[0])
            for (table,) in tables
            for row in conn.execute(f'SELECT t::text FROM "{table}" t')
        )
        return text.encode()
    path = services.db.path
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


def test_erase_leaves_no_trace_and_keeps_the_figures(demo: Services, tmp_path: Path) -> None:
    email, name, cnpj = person_with_history(demo)
    mail = MailService(demo, actor="ana")
    with demo.db.read() as conn:
        opinion = conn.execute(
            "SELECT o.id FROM opinion o JOIN respondent r ON r.id = o.respondent_id "
            "WHERE r.email = ? ORDER BY o.id LIMIT 1",
            (email,),
        ).fetchone()[0]
    mail.queue(mail.compose(opinion))
    assert mail.deliver().sent == 1  # an .eml copy in the demo's mail folder
    original = tmp_path / "original.csv"
    export_opinions(demo, original)
    before = demo.lookup.report(Period(date(2020, 1, 1), date(2027, 1, 1)))
    assert email.encode() in store_bytes(demo)

    privacy = PrivacyService(demo, actor="dpo")
    dry = privacy.erase(subject(email=email), dry_run=True)
    assert dry.changed["respondents"] == 1
    assert email.encode() in store_bytes(demo)  # a dry run changes nothing

    result = privacy.erase(subject(email=email))
    assert result.respondents == 1
    assert result.compacted
    assert len(result.mail_files) == 1
    data = store_bytes(demo)
    for secret in (email, name, cnpj):
        assert secret.encode() not in data, secret
    assert email.encode() not in data.lower()
    assert not any(email.encode() in p.read_bytes() for p in result.mail_files if p.exists())
    after = demo.lookup.report(Period(date(2020, 1, 1), date(2027, 1, 1)))
    assert after == before  # NPS, classes and states for past periods do not move

    reimport = Importer(demo).run(original)
    suppressed = [r for r in reimport.rejects if r.reason == "suppressed"]
    assert suppressed, "the erased person's rows are flagged, not brought back"
    assert reimport.new == 0
    assert email.encode() not in store_bytes(demo).lower()
    assert mail.is_suppressed(email)

    entries = privacy.processing_log()
    assert [e["action"] for e in entries[:2]] == ["subject_erase", "bulk_export"]
    assert all(email not in json.dumps(e) for e in entries)
    assert cnpj not in json.dumps(entries)


def test_export_holds_every_table_for_the_person_and_nothing_else(
    demo: Services, tmp_path: Path
) -> None:
    email, name, _ = person_with_history(demo)
    out = tmp_path / "titular.json"
    records = PrivacyService(demo, actor="dpo").export(subject(email=email.upper()), out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text(encoding="utf-8"))
    tables = document["tables"]
    assert records == sum(len(rows) for rows in tables.values())
    (respondent,) = tables["respondents"]
    assert (respondent["email"], respondent["name"]) == (email, name)
    opinions = {o["id"] for o in tables["opinions"]}
    assert opinions
    assert all(o["respondent_id"] == respondent["id"] for o in tables["opinions"])
    assert tables["events"]
    assert all(
        e["opinion_id"] in opinions or e["respondent_id"] == respondent["id"]
        for e in tables["events"]
    )
    with demo.db.read() as conn:
        expected_events = conn.execute(
            f"SELECT count(*) FROM event WHERE opinion_id IN ({','.join(map(str, opinions))}) "
            "OR respondent_id = ?",
            (respondent["id"],),
        ).fetchone()[0]
    assert len(tables["events"]) == expected_events
    others = {r[0] for r in demo.db.connection().execute("SELECT email FROM respondent")} - {email}
    text = out.read_text(encoding="utf-8")
    assert not any(other and other in text for other in others)


def test_a_person_is_named_by_exactly_one_valid_identifier() -> None:
    from npsdesk.domain.models import DomainError

    with pytest.raises(DomainError, match="exactly one"):
        subject()
    with pytest.raises(DomainError, match="exactly one"):
        subject(email="a@b.com", cnpj="11222333000181")
    with pytest.raises(DomainError):
        subject(cnpj="11.222.333/0001-00")
    assert subject(phone="(11) 98765-4321").phone == "+5511987654321"


@pytest.mark.sqlite_only
def test_new_stores_and_their_files_are_private(services: Services, tmp_path: Path) -> None:
    assert stat.S_IMODE(services.db.path.stat().st_mode) == 0o600
    assert services.db.exposure() is None
    export = tmp_path / "respostas.csv"
    export.write_text("ID;Data da resposta;Nota;E-mail\nX-1;01/11/2026 10:00;11;a@b.com.br\n")
    result = Importer(services, rejects_dir=services.db.path.parent / "rejects").run(export)
    assert result.rejects_file is not None
    assert stat.S_IMODE(result.rejects_file.stat().st_mode) == 0o600
    services.db.path.chmod(0o644)
    warning = services.db.exposure()
    assert warning is not None
    assert "chmod 600" in warning
