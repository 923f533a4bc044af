"""Importing is a sync: new rows come in, later exports update the platform's fields only,
local treatment work stays, bad rows are rejected with their line, one batch per file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.conftest import make_settings

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import SystemClock
from npsdesk.domain.cnpj import format_cnpj, make_cnpj
from npsdesk.domain.models import Channel, ContactOutcome, Priority, TicketType
from npsdesk.domain.periods import Period
from npsdesk.importers.readers import ImportFileError
from npsdesk.importers.results import ImportResult, Reject, RejectFile
from npsdesk.importers.sync import Importer, ImportOptions
from npsdesk.mail.message import Envelope, build_message, new_message_id
from npsdesk.services.lookup import LookupService
from npsdesk.store.db import Database

HEADER = (
    "ID da resposta;Data de envio;Data da resposta;Nota;Comentário;Nome;E-mail;Telefone;CNPJ;"
    "Razão Social;Produto;Vertical;Campanha;Pesquisa interna"
)
CNPJ_A = make_cnpj("11222333")
CNPJ_B = make_cnpj("44555666")
MARKUP = "[@click=app.quit]x[/] [link='https://e.example']y[/link]"
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"


def row(
    ident: str,
    score: str = "3",
    comment: str = "Sistema lento",
    *,
    answered: str = "20/11/2026 10:00",
    name: str = "João Araújo",
    email: str = "joao@padaria.com.br",
    phone: str = "(11) 98765-4321",
    cnpj: str = CNPJ_A,
    campaign: str = "NPS Novembro 2026",
) -> str:
    return (
        f"{ident};19/11/2026 09:00;{answered};{score};{comment};{name};{email};{phone};"
        f"{format_cnpj(cnpj) if cnpj else ''};Padaria Pão Quente Ltda;Durasoft Food;Food;"
        f"{campaign};Não"
    )


def write_export(path: Path, *rows: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding))
    return path


def run_import(services: Services, path: Path, **options: object) -> ImportResult:
    importer = Importer(
        services, ImportOptions(**options), rejects_dir=services.db.path.parent / "rejects"
    )
    return importer.run(path)


def count(services: Services, sql: str) -> int:
    with services.db.read() as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_a_cp1252_export_imports_and_a_second_run_changes_nothing(
    services: Services, tmp_path: Path
) -> None:
    export = write_export(
        tmp_path / "respostas.csv",
        row("T-1", "3", "Atendimento péssimo, não resolveram"),
        row("T-2", "9,0", "Ótimo suporte", email="maria@farma.com.br", cnpj=CNPJ_B),
        row("T-3", "10.0", ""),
    )
    first = run_import(services, export)
    assert (first.new, first.updated, first.unchanged, first.rejected) == (3, 0, 0, 0)
    assert first.kind == "responses"
    assert first.encoding == "cp1252"
    assert first.batch is not None
    found = services.lookup.find("péssimo")
    assert [o.external_id for o in found] == ["T-1"]
    assert found[0].comment == "Atendimento péssimo, não resolveram"
    assert found[0].status == "untreated"
    assert found[0].phone == "+5511987654321"
    assert found[0].cnpj == CNPJ_A
    assert found[0].deadline == date(2026, 11, 23)  # Friday + 1 business day (20/11 holiday)

    second = run_import(services, export)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
    assert count(services, "SELECT count(*) FROM opinion") == 3
    assert count(services, "SELECT count(*) FROM event WHERE kind = 'imported'") == 3
    batches = count(services, "SELECT count(*) FROM import_batch")
    assert batches == 2


def test_a_new_answer_is_an_untreated_case_with_its_class_priority_and_deadline(
    services: Services, tmp_path: Path
) -> None:
    export = write_export(
        tmp_path / "respostas.csv",
        row("T-1", "3"),
        row("T-2", "8", email="maria@farma.com.br", cnpj=CNPJ_B),
        row("T-3", "10", email="ana@farma.com.br", cnpj=CNPJ_B),
    )
    run_import(services, export, source="track")
    cases = {o.external_id: o for o in services.lookup.find("Padaria")}
    assert {k: (o.status, o.nps_class, o.priority) for k, o in cases.items()} == {
        "T-1": ("untreated", "detractor", 1),
        "T-2": ("untreated", "neutral", 2),
        "T-3": ("untreated", "promoter", 3),
    }
    assert cases["T-1"].deadline == date(2026, 11, 23)  # Friday + 1 business day
    history = services.lookup.case_file(cases["T-1"].id).history
    assert [(e.kind, e.actor, e.body) for e in history] == [("imported", "tester", "track T-1")]
    # two contacts of one customer (CNPJ) are told apart by e-mail
    assert cases["T-2"].respondent_id != cases["T-3"].respondent_id
    assert cases["T-2"].cnpj == cases["T-3"].cnpj == CNPJ_B


def test_history_may_date_each_arrival_at_its_answer(services: Services, tmp_path: Path) -> None:
    """A store rebuilt from past exports (the demo) reads in order: answered, then treated."""
    export = write_export(tmp_path / "respostas.csv", row("T-1", answered="02/11/2026 09:30"))
    Importer(services, ImportOptions(), actor="import", dated_by_answer=True).run(export)
    [found] = services.lookup.find("T-1")
    [arrival] = services.lookup.case_file(found.id).history
    assert (arrival.kind, arrival.actor, arrival.at) == (
        "imported",
        "import",
        datetime(2026, 11, 2, 12, 30, tzinfo=UTC),
    )


def test_every_imported_opinion_is_searchable_once(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imports index their rows in bulk per chunk; a respondent renamed later in the same
    file re-indexes its opinions without leaving a stale or doubled entry."""
    monkeypatch.setattr("npsdesk.importers.sync.CHUNK", 2)
    export = write_export(
        tmp_path / "respostas.csv",
        row("S-1", "3", "Cobrança duplicada"),
        row("S-2", "9", "Gostei", name="Maria", email="maria@farma.com.br", cnpj=CNPJ_B),
        row("S-3", "5", "Demora no suporte", name="João Renomeado", email=""),
    )
    assert run_import(services, export).new == 3
    opinions = count(services, "SELECT count(*) FROM opinion")
    assert count(services, "SELECT count(*) FROM opinion_search") == opinions == 3
    assert count(services, "SELECT count(*) FROM respondent") == 2  # S-3 is S-1's customer
    assert {o.external_id for o in services.lookup.find("renomeado")} == {"S-1", "S-3"}
    assert services.lookup.find("araujo") == []
    assert [o.external_id for o in services.lookup.find("cobranca")] == ["S-1"]
    if services.db.dialect == "sqlite":  # FTS5's own check of its index
        with services.db.read() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.execute("INSERT INTO opinion_search (opinion_search) VALUES ('integrity-check')")
    with services.db.read() as conn:  # one index row per opinion
        indexed = conn.execute("SELECT count(*), count(DISTINCT rowid) FROM opinion_search")
        assert tuple(indexed.fetchone()) == (services.lookup.report(Period()).counts.total,) * 2


def test_a_later_export_updates_platform_fields_and_keeps_local_work(
    services: Services, tmp_path: Path
) -> None:
    run_import(services, write_export(tmp_path / "v1.csv", row("T-1", "3"), row("T-2", "4")))
    with services.db.write() as conn:
        conn.execute(
            "INSERT INTO analyst (username, name, created_at) "
            "VALUES ('carla', 'Carla', '2026-11-20 12:00:00')"
        )
        conn.execute("INSERT INTO category (name) VALUES ('Suporte')")
    t1 = services.lookup.find("T-1")[0].id
    t2 = services.lookup.find("T-2")[0].id
    cases = services.cases("ana")
    cases.log_contact(t1, Channel.PHONE, ContactOutcome.REACHED, "Falei com o João")
    cases.add_note(t1, "Escalado ao suporte")
    cases.assign(t1, "carla")
    cases.follow(t1, "carla")
    cases.set_deadline(t1, date(2026, 12, 1))
    cases.close(t1, ticket_type=TicketType.COMPLAINT, category="Suporte")
    cases.archive(t1)
    cases.set_priority(t2, Priority.LOW)
    before = services.lookup.case_file(t1).opinion

    later = write_export(
        tmp_path / "v2.csv",
        row("T-1", "9", "Sistema lento, mas resolveram rápido"),  # score and comment corrected
        row("T-2", "8"),  # neutral now; priority was set by hand and stays
    )
    result = run_import(services, later)
    assert (result.new, result.updated, result.unchanged) == (0, 2, 0)

    case = services.lookup.case_file(t1)
    after = case.opinion
    assert (after.score, after.nps_class) == (9, "promoter")
    assert after.comment == "Sistema lento, mas resolveram rápido"
    for local in ("status", "archived", "deadline", "type", "category", "responsible", "followers"):
        assert getattr(after, local) == getattr(before, local), local
    assert after.priority == Priority.LOW  # the class default moved with the score
    changes = {
        (e.field, e.old_value, e.new_value) for e in case.history if e.kind == "updated_by_import"
    }
    assert ("score", "3", "9") in changes
    assert ("comment", "Sistema lento", "Sistema lento, mas resolveram rápido") in changes
    assert [e.kind for e in case.history].count("note") == 1
    assert services.lookup.case_file(t2).opinion.priority == Priority.LOW


def test_a_corrected_score_moves_an_untouched_deadline(services: Services, tmp_path: Path) -> None:
    run_import(services, write_export(tmp_path / "v1.csv", row("T-1", "3")))
    run_import(services, write_export(tmp_path / "v2.csv", row("T-1", "10")))
    case = services.lookup.find("T-1")[0]
    assert case.priority == Priority.LOW
    assert case.deadline == date(2026, 11, 27)  # promoter: 5 business days after 20/11


def test_bad_rows_are_rejected_with_their_line_and_the_rest_imports(
    services: Services, tmp_path: Path
) -> None:
    export = write_export(
        tmp_path / "mixed.csv",
        row("T-1", "9", '"Linha um\nlinha dois\nlinha três"'),  # lines 2-4
        row("T-2", "11"),  # line 5
        row("T-3", "9,5"),  # line 6
        row("T-4", ""),  # line 7
        row("T-5", answered="31/02/2026 10:00"),  # line 8
        row("T-6", email="joao@@x"),  # line 9
        row("T-7", cnpj=CNPJ_A[:-1] + str((int(CNPJ_A[-1]) + 1) % 10)),  # line 10
        row("T-8", email="", phone="", cnpj=""),  # line 11
        "T-9;19/11/2026 09:00;20/11/2026 10:00;7",  # line 12
        row("T-10", phone="123"),  # line 13
        row("T-11", "8"),  # line 14
    )
    result = run_import(services, export)
    assert (result.new, result.rejected) == (2, 9)
    assert [(r.line, r.reason) for r in result.rejects] == [
        (5, "invalid_score"),
        (6, "invalid_score"),
        (7, "missing_score"),
        (8, "invalid_date"),
        (9, "invalid_email"),
        (10, "invalid_cnpj"),
        (11, "no_contact"),
        (12, "short_row"),
        (13, "invalid_phone"),
    ]
    assert result.rejects[0].record.startswith("T-2;")
    assert all(r.detail for r in result.rejects)
    assert result.rejects_file is not None
    saved = result.rejects_file.read_text(encoding="utf-8-sig").splitlines()
    assert saved[0] == "file;line;reason;detail;record"
    assert len(saved) == 10
    multi = services.lookup.find("T-1")[0]
    assert multi.comment == "Linha um\nlinha dois\nlinha três"


def test_a_huge_field_is_too_long_and_the_rest_imports(services: Services, tmp_path: Path) -> None:
    export = write_export(
        tmp_path / "huge.csv",
        row("T-1", "9"),
        row("T-2", "8", "x" * 5_000_000),  # line 3
        row("T-3", "7", "x" * 20_000),  # line 4: over the 10,000 characters of a comment
        row("T-4", "10"),
    )
    result = run_import(services, export)
    assert (result.new, result.rejected) == (2, 2)
    assert [(r.line, r.reason) for r in result.rejects] == [(3, "too_long"), (4, "too_long")]
    assert result.rejects[0].detail == "record of more than 1,048,576 characters"
    assert result.rejects[1].detail.startswith("comment: text of 20000 characters")
    assert result.rejects[0].record.startswith("T-2;")
    assert len(result.rejects[0].record) < 5000
    assert {o.external_id for o in services.lookup.find("Padaria")} == {"T-1", "T-4"}


def test_single_line_fields_lose_their_line_breaks_and_comments_keep_theirs(
    services: Services, tmp_path: Path
) -> None:
    export = tmp_path / "quebras.csv"
    export.write_bytes(
        (
            "ID da resposta;Data da resposta;Nota;Comentário;Nome;E-mail;Razão Social;Produto;"
            "Vertical;UF;Campanha\r\n"
            '" Q-1\r\n";20/11/2026 10:00;3;"Linha um\r\n\tlinha dois";"João\r\n  Araújo";'
            'q@padaria.com.br;"Padaria\tPão\rQuente";"Durasoft\nFood";" Food ";"S\nP";'
            '"NPS\r\nNovembro"\r\n'
        ).encode("cp1252")
    )
    assert run_import(services, export).new == 1
    opinion = services.lookup.find("Q-1")[0]
    assert opinion.external_id == "Q-1"
    assert opinion.comment == "Linha um\n\tlinha dois"
    assert (opinion.name, opinion.company, opinion.product) == (
        "João Araújo",
        "Padaria Pão Quente",
        "Durasoft Food",
    )
    assert opinion.campaign == "NPS Novembro"
    with services.db.read() as conn:
        stored = conn.execute("SELECT vertical, state FROM respondent").fetchone()
    assert tuple(stored) == ("Food", "S P")
    assert opinion.name is not None
    build_message(
        Envelope(
            from_address="cs@durasoft.com.br",
            sender_name="CS",
            to_address="q@padaria.com.br",
            to_name=opinion.name,
            subject="Sua opinião",
            body="Obrigado",
            message_id=new_message_id("cs@durasoft.com.br"),
            date=datetime(2026, 11, 21, 10, 0, tzinfo=UTC),
        )
    )


def test_each_batch_gets_its_own_reject_file(services: Services, tmp_path: Path) -> None:
    """Two files of the same name in the same second (the clock is fixed) keep their rejects."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    first = write_export(tmp_path / "a" / "export.csv", row("A-1", "11"), row("A-2"))
    second = write_export(tmp_path / "b" / "export.csv", row("B-1", "12"), row("B-2"))
    results = [run_import(services, path) for path in (first, second)]
    files = [result.rejects_file for result in results]
    assert files[0] is not None
    assert files[1] is not None
    stamp = services.clock.now().astimezone(services.settings.tz).strftime("%Y%m%d-%H%M%S")
    assert [f.name for f in files] == [
        f"export-rejects-batch-{result.batch}-{stamp}.csv" for result in results
    ]
    for saved, ident in zip(files, ("A-1", "B-1"), strict=True):
        lines = saved.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 2
        assert f';"{ident};' in lines[1]
    assert sorted(p.name for p in files[0].parent.iterdir()) == sorted(f.name for f in files)


def test_a_reject_file_never_replaces_another(tmp_path: Path) -> None:
    name = "export-rejects-batch-7-20261120-120000.csv"
    (tmp_path / name).write_text("kept", encoding="utf-8")
    rejects = RejectFile(tmp_path, name, "export.csv")
    rejects.write(Reject(2, "A-1;11", "invalid_score", "score '11' is outside 0-10"))
    placed = rejects.finish()
    assert placed.name == "export-rejects-batch-7-20261120-120000-2.csv"
    assert (tmp_path / name).read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, placed.name])


def test_a_reject_folder_that_cannot_be_made_loses_no_good_row(
    services: Services, tmp_path: Path
) -> None:
    blocked = tmp_path / "rejects"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    export = write_export(tmp_path / "r.csv", row("T-1"), row("T-2", "11"), row("T-3"))
    result = Importer(services, ImportOptions(), rejects_dir=blocked).run(export)
    assert (result.new, result.rejected, result.rejects_file) == (2, 1, None)
    assert result.rejects_error is not None
    assert "File exists" in result.rejects_error
    assert [r.line for r in result.rejects] == [3]
    assert count(services, "SELECT count(*) FROM opinion") == 2
    assert blocked.read_text(encoding="utf-8") == "a file where the folder should be"
    assert [p.name for p in tmp_path.glob("*rejects*")] == ["rejects"]


def test_a_duplicate_inside_a_file_counts_once(services: Services, tmp_path: Path) -> None:
    export = write_export(tmp_path / "dup.csv", row("T-1"), row("T-2"), row("T-1", "5"))
    result = run_import(services, export)
    assert (result.new, result.duplicates) == (2, 1)
    assert services.lookup.find("T-1")[0].score == 3


def test_rows_without_an_id_get_a_stable_key(services: Services, tmp_path: Path) -> None:
    export = write_export(tmp_path / "noid.csv", row(""), row("", answered="21/11/2026 10:00"))
    assert run_import(services, export).new == 2
    again = run_import(services, export)
    assert (again.new, again.unchanged) == (0, 2)


def test_a_dry_run_reports_exactly_and_writes_nothing(services: Services, tmp_path: Path) -> None:
    export = write_export(tmp_path / "r.csv", row("T-1"), row("T-2", "11"), row("T-1"))
    dry = run_import(services, export, dry_run=True)
    assert (dry.new, dry.rejected, dry.duplicates, dry.batch, dry.dry_run) == (1, 1, 1, None, True)
    assert dry.rejects_file is None
    for table in ("opinion", "respondent", "event", "import_batch"):
        assert count(services, f"SELECT count(*) FROM {table}") == 0
    real = run_import(services, export)
    assert (real.new, real.rejected, real.duplicates) == (1, 1, 1)


def test_an_unreadable_file_writes_nothing(services: Services, tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("nome;telefone\nAna;11999999999\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="score"):
        run_import(services, bad)
    assert count(services, "SELECT count(*) FROM import_batch") == 0


def test_untrusted_text_is_stored_as_data(services: Services, tmp_path: Path) -> None:
    export = write_export(
        tmp_path / "evil.csv",
        row("T-1", comment=MARKUP, name='=HYPERLINK("http://x","clique")'),
        row("T-2", comment=f'"antes{ESCAPES}depois"', email="b@b.com.br", cnpj=CNPJ_B),
        encoding="utf-8",
    )
    assert run_import(services, export).new == 2
    stored = {o.external_id: o for o in services.lookup.find("Padaria")}
    assert stored["T-1"].comment == MARKUP
    assert stored["T-1"].name == '=HYPERLINK("http://x","clique")'
    assert stored["T-2"].comment == "antesdepois"


def test_internal_surveys_from_a_column_or_the_option(services: Services, tmp_path: Path) -> None:
    export = write_export(tmp_path / "i.csv", row("T-1").replace(";Não", ";Sim"), row("T-2"))
    run_import(services, export)
    flags = {o.external_id: o.internal for o in services.lookup.find("Padaria")}
    assert flags == {"T-1": True, "T-2": False}
    other = write_export(tmp_path / "j.csv", row("T-3"))
    run_import(services, other, internal=True)
    assert services.lookup.find("T-3")[0].internal


def test_a_customer_feed_upserts_respondents(services: Services, tmp_path: Path) -> None:
    feed = tmp_path / "clientes.csv"
    feed.write_text(
        "cnpj;razao_social;email;telefone;produto;data_atendimento_importacao\n"
        f"{format_cnpj(CNPJ_A)};Padaria Pão Quente Ltda;joao@padaria.com.br;11 3456-7890;"
        "Durasoft Food;10/11/2026\n"
        f"{CNPJ_B};Farmácia Vida Ltda;contato@vida.com.br;;Durasoft Farma;05/11/2026\n",
        encoding="utf-8",
    )
    first = run_import(services, feed)
    assert (first.kind, first.new, first.updated) == ("customers", 2, 0)
    with services.db.read() as conn:
        served = dict(conn.execute("SELECT cnpj, last_service_at FROM respondent").fetchall())
    assert served[CNPJ_A] == "2026-11-10"
    assert run_import(services, feed).unchanged == 2
    feed.write_text(feed.read_text().replace("10/11/2026", "20/11/2026"), encoding="utf-8")
    assert run_import(services, feed).updated == 1


def test_map_option_reads_other_exports(services: Services, tmp_path: Path) -> None:
    export = tmp_path / "other.csv"
    export.write_text(
        "protocolo,avaliacao,quando,contato\nP-1,9,2026-11-20T10:00:00-03:00,a@b.com.br\n",
        encoding="utf-8",
    )
    result = run_import(
        services,
        export,
        columns={
            "external_id": "protocolo",
            "score": "avaliacao",
            "answered_at": "quando",
            "email": "contato",
        },
        source="outra",
    )
    assert result.new == 1
    opinion = services.lookup.find("P-1")[0]
    assert (opinion.source, opinion.score, opinion.email) == ("outra", 9, "a@b.com.br")


BIG_ROWS = 60_000
READERS_ROWS = 15_000  # seconds of importing: time for many look-ups beside it


def big_export(path: Path, rows: int = BIG_ROWS) -> Path:
    lines = [HEADER]
    for i in range(rows):
        cnpj = make_cnpj(f"{30_000_000 + i % 5000:08d}")
        lines.append(
            row(
                f"B-{i}",
                str(i % 11),
                "Comentário número " + str(i),
                cnpj=cnpj,
                email=f"c{i % 5000}@x.com.br",
            )
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.mark.sqlite_only  # reads the WAL file's growth; PostgreSQL's is the server's
def test_an_import_killed_midway_shows_all_or_nothing_and_the_next_one_clears_it(
    services: Services, tmp_path: Path
) -> None:
    export = big_export(tmp_path / "big.csv")
    store = services.db.path
    services.close()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("npsdesk")),
            "--store",
            str(store),
            "import",
            str(export),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = Path(str(store) + "-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 2_000_000):
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    reader = LookupService(Database(store), SystemClock(), ZoneInfo("UTC"))
    shown = reader.report(Period()).counts.total
    assert shown in (0, BIG_ROWS)  # never a part of the file
    assert len(reader.find("Comentário", limit=10)) == (10 if shown else 0)
    wired = bootstrap(make_settings(store))  # the next open removes what it left
    try:
        assert len(wired.cleared) == (0 if shown else 1)
        assert all(what.startswith("the import of big.csv started ") for what in wired.cleared)
        run_import(wired, write_export(tmp_path / "next.csv", row("N-1")))
        kept = count(wired, "SELECT count(*) FROM opinion")
        batches = count(wired, "SELECT count(*) FROM import_batch")
        events = count(wired, "SELECT count(*) FROM event")
        respondents = count(wired, "SELECT count(*) FROM respondent")
        left = count(wired, "SELECT count(*) FROM import_batch WHERE finished_at IS NULL")
    finally:
        wired.close()
    assert left == 0
    if shown:
        assert (kept, batches, events) == (BIG_ROWS + 1, 2, BIG_ROWS + 1)
    else:  # what the killed import wrote is gone, its customers too
        assert (kept, batches, events, respondents) == (1, 1, 1, 1)


@pytest.mark.sqlite_only  # PostgreSQL runs the import as one transaction beside others
def test_others_write_between_the_steps_of_an_import_and_see_none_of_it_before_it_lands(
    services: Services, tmp_path: Path
) -> None:
    run_import(services, write_export(tmp_path / "seed.csv", row("S-1", comment="semente")))
    seeded = services.lookup.find("semente")[0].id
    rows = [row(f"L-{i}", comment=f"lote {i}", email=f"c{i}@x.com.br") for i in range(5000)]
    export = write_export(tmp_path / "lote.csv", *rows)
    seen: list[tuple[int, int, list[str]]] = []
    other = bootstrap(make_settings(services.db.path))

    def meanwhile(read: int, done: int, total: int) -> None:
        # another program, between two steps: its write gets in at once, its reads see
        # nothing of the batch yet, and opening the store leaves the running import alone
        opened = bootstrap(make_settings(services.db.path))
        assert opened.cleared == []
        opened.close()
        other.db.wait = 0  # type: ignore[attr-defined]
        other.cases().add_note(seeded, f"nota {read}")
        shown = other.lookup.report(Period()).counts.total
        found = [o.external_id for o in other.lookup.find("lote", limit=5)]
        seen.append((read, shown, found))

    importer = Importer(services, ImportOptions(), progress=meanwhile)
    try:
        result = importer.run(export)
        after = other.lookup.report(Period()).counts.total
        history = other.lookup.case_file(seeded).history
    finally:
        other.close()
    assert result.new == 5000
    assert [read for read, _, _ in seen] == [2000, 4000, 5000]
    assert all(shown == 1 and found == [] for _, shown, found in seen)
    assert after == 5001
    assert [e.body for e in history if e.kind == "note"] == ["nota 2000", "nota 4000", "nota 5000"]


@pytest.mark.sqlite_only
def test_a_re_import_changes_shown_rows_only_when_it_lands(
    services: Services, tmp_path: Path
) -> None:
    first = [row(f"R-{i}", score="3", comment=f"antes {i}") for i in range(3000)]
    run_import(services, write_export(tmp_path / "a.csv", *first))
    again = [row(f"R-{i}", score="9", comment=f"depois {i}") for i in range(3000)]
    seen: list[tuple[int, int]] = []
    other = bootstrap(make_settings(services.db.path))

    def meanwhile(read: int, done: int, total: int) -> None:
        counts = other.lookup.report(Period()).counts
        seen.append((counts.detractors, counts.promoters))

    importer = Importer(services, ImportOptions(), progress=meanwhile)
    try:
        result = importer.run(write_export(tmp_path / "b.csv", *again))
        counts = other.lookup.report(Period()).counts
        case = other.lookup.case_file(services.lookup.find("R-7")[0].id)
    finally:
        other.close()
    assert result.updated == 3000
    assert seen == [(3000, 0), (3000, 0)]
    assert (counts.detractors, counts.promoters) == (0, 3000)
    assert case.opinion.comment == "depois 7"
    assert {(e.field, e.new_value) for e in case.history if e.kind == "updated_by_import"} >= {
        ("score", "9"),
        ("comment", "depois 7"),
    }


def test_readers_keep_working_while_an_import_runs(services: Services, tmp_path: Path) -> None:
    run_import(services, write_export(tmp_path / "seed.csv", row("S-1", comment="semente")))
    export = big_export(tmp_path / "big.csv", READERS_ROWS)
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("npsdesk")),
            "--store",
            services.settings.store,
            "import",
            str(export),
            "--json",
        ],
        stdout=subprocess.DEVNULL,
    )
    looked = 0
    while process.poll() is None:
        assert [o.external_id for o in services.lookup.find("semente")] == ["S-1"]
        looked += 1
        time.sleep(0.01)
    assert process.returncode == 0
    assert looked > 0
    assert count(services, "SELECT count(*) FROM opinion") == READERS_ROWS + 1


SAMPLES = Path(__file__).resolve().parent.parent / "data" / "import"


def test_the_track_sample_rejects_each_bad_row_at_its_line(services: Services) -> None:
    result = run_import(services, SAMPLES / "track_cp1252.csv")
    assert [(r.line, r.reason) for r in result.rejects] == [
        (16, "invalid_score"),
        (17, "invalid_score"),
        (18, "missing_score"),
        (19, "invalid_date"),
        (20, "invalid_email"),
        (21, "invalid_cnpj"),
        (22, "no_contact"),
        (23, "short_row"),
        (24, "invalid_phone"),
        (25, "long_row"),
    ]
    assert result.new > 0
    assert run_import(services, SAMPLES / "track_cp1252.csv").new == 0


@pytest.mark.parametrize(
    "name", ["wehelp_utf8_bom.csv", "responses.xlsx", "responses.json", "responses.jsonl"]
)
def test_every_sample_format_imports_idempotently(services: Services, name: str) -> None:
    first = run_import(services, SAMPLES / name)
    assert first.new > 0
    again = run_import(services, SAMPLES / name)
    assert (again.new, again.updated) == (0, 0)
    assert again.unchanged == first.new


def test_ids_are_kept_as_they_came_so_a_later_import_still_matches_them(
    services: Services, tmp_path: Path
) -> None:
    export = write_export(tmp_path / "ids.csv", row("TRK  7", name='"Ana\r\n  Souza"'))
    first = run_import(services, export)
    again = run_import(services, export)
    assert (first.new, again.new, again.unchanged) == (1, 0, 1)
    found = services.lookup.find("TRK  7")
    assert [(o.external_id, o.name) for o in found] == [("TRK  7", "Ana Souza")]
