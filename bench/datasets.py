"""Synthetic but realistic inputs for the benchmarks, cached in bench/.cache."""

from __future__ import annotations

import csv
import random
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE.parent / "src"))

HEADERS = [
    "ID da resposta",
    "Data de envio",
    "Data da resposta",
    "Nota",
    "Comentário",
    "Nome",
    "E-mail",
    "Telefone",
    "CNPJ",
    "Razão Social",
    "Produto",
    "Vertical",
    "Campanha",
    "Pesquisa interna",
]
FIRST = ["João", "Conceição", "Antônio", "Lúcia", "José", "Márcia", "Sérgio", "Ana", "Luís"]
LAST = ["Gonçalves", "Araújo", "Conceição", "Silva", "Ribeiro", "Câmara", "Magalhães"]
COMPANY = ["Farmácia São Jorge", "Posto Estrela", "Supermercado Irmãos", "Padaria Pão Quente"]
COMMENTS = [
    "Sistema lento no PDV desde a atualização, o suporte demorou a responder.",
    "Atendimento ótimo, a equipe resolveu tudo na mesma ligação.",
    "Bom, mas a emissão de nota fiscal poderia ser mais rápida.",
    "Preço alto para o que entrega; implantação atrasou duas semanas.",
    "",
]
VERTICALS = ["Cross", "Farma", "Food", "Gestão Financeira", "Postos", "Retail"]
START = "2026-01-01 00:00:00"  # when the desk store's customers and analysts were added
DDD = [11, 21, 31, 41, 51, 61, 71, 81, 85, 48, 27, 62]


def survey_csv(rows: int, customers: int | None = None) -> Path:
    """A Track-like export as Excel in Brazil writes it: cp1252, `;`, CRLF."""
    from npsdesk.domain.cnpj import format_cnpj, make_cnpj

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"respostas-{rows}.csv"
    if path.exists():
        return path
    rng = random.Random(rows)
    customers = customers or max(1, rows // 4)
    people = []
    for i in range(customers):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        ddd = rng.choice(DDD)
        people.append(
            (
                f"{first} {last}",
                f"cliente{i}@empresa{i % 997}.com.br",
                f"({ddd}) 9{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                format_cnpj(make_cnpj(f"{20_000_000 + i:08d}")),
                f"{rng.choice(COMPANY)} {i} Ltda",
                rng.choice(VERTICALS),
            )
        )
    start = datetime(2026, 1, 2, 8, 0)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        for i in range(rows):
            name, email, phone, cnpj, company, vertical = people[rng.randrange(customers)]
            sent = start + timedelta(minutes=rng.randint(0, 450_000))
            answered = sent + timedelta(minutes=rng.randint(5, 2_000))
            writer.writerow(
                [
                    f"TRK-{100_000 + i}",
                    sent.strftime("%d/%m/%Y %H:%M"),
                    answered.strftime("%d/%m/%Y %H:%M"),
                    str(rng.choice([10, 10, 9, 9, 9, 8, 7, 6, 3, 0])),
                    rng.choice(COMMENTS),
                    name,
                    email,
                    phone,
                    cnpj,
                    company,
                    "Durasoft Web",
                    vertical,
                    f"NPS {answered.month:02d}/{answered.year}",
                    "Não",
                ]
            )
    tmp.rename(path)
    return path


def desk_store(opinions: int) -> Path:
    """A store at the program's schema with `opinions` opinions in every state, for the desk
    benchmark: built with a few INSERT ... SELECT statements and kept in the cache.

    Values come from a fixed scramble of the row number (r), so neighbours differ and every
    build is the same store. One customer per three opinions, named "Cliente <n>" (a reader
    of the terminal can tell when the list's rows are on screen); a third of the opinions
    untreated, a sixth in treatment, half closed (half of those archived); five analysts
    own the treated ones. The search index is filled in one statement, as an import does."""
    from npsdesk.store.db import Database
    from npsdesk.store.schema import HEAD, ensure_schema

    CACHE.mkdir(exist_ok=True)
    # one per schema: a store left by an older npsdesk would be upgraded (and copied) by
    # the first desk opened on it, inside a measurement
    path = CACHE / f"desk-{opinions}-schema{HEAD}.sqlite"
    if path.exists():
        return path
    for pattern in (f"desk-{opinions}-*.sqlite*", f"desk-{opinions}.sqlite*"):
        for old in CACHE.glob(pattern):
            old.unlink()
    tmp = path.with_suffix(".tmp")
    for old in CACHE.glob(tmp.name + "*"):
        old.unlink()
    db = Database(tmp)
    ensure_schema(db)
    db.close()
    customers = max(1, opinions // 3)
    # one transaction without a journal (a failed build leaves only the .tmp file), the
    # store put back in WAL mode at the end
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO analyst (id, username, name, active, created_at) VALUES "
        "(1, 'ana', 'Ana Souza', 1, :t), (2, 'bruno', 'Bruno Lima', 1, :t), "
        "(3, 'carla', 'Carla Dias', 1, :t), (4, 'davi', 'Davi Rocha', 1, :t), "
        "(5, 'bench', 'Bench', 1, :t)",
        {"t": START},
    )
    conn.execute(
        "INSERT INTO import_batch (id, kind, source, file_name, sha256, analyst, "
        "started_at, finished_at, new_count, updated_count, unchanged_count, rejected_count, "
        "duplicate_count) VALUES (1, 'responses', 'bench', 'bench.csv', '', 'bench', :t, :t, "
        ":n, 0, 0, 0, 0)",
        {"t": START, "n": opinions},
    )
    conn.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n)
        INSERT INTO respondent (id, name, email, phone, cnpj, company, vertical,
                                created_at, updated_at)
        SELECT i, 'Cliente ' || i, 'c' || i || '@exemplo.com.br',
               '+55119' || substr('0000000' || i, -8),
               substr('00000000' || (10000000 + i), -8) || '000100',
               'Empresa ' || i || ' Ltda',
               CASE ((i * 2654435761) % 1000003) % 6 WHEN 0 THEN 'Farma' WHEN 1 THEN 'Food'
                    WHEN 2 THEN 'Retail' WHEN 3 THEN 'Postos' WHEN 4 THEN 'Cross'
                    ELSE 'Gestão Financeira' END,
               :t, :t
        FROM n""",
        {"n": customers, "t": START},
    )
    conn.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n),
        base AS (
            SELECT i, (i * 2654435761) % 1000003 AS r,
                   datetime('2026-11-20 12:00:00',
                            '-' || ((i * 7 * 2654435761) % 1000003 % 525600) || ' minutes')
                   AS at
            FROM n),
        scored AS (
            SELECT i, r, at,
                   CASE (r / 13) % 10 WHEN 0 THEN 10 WHEN 1 THEN 10 WHEN 2 THEN 9
                        WHEN 3 THEN 9 WHEN 4 THEN 9 WHEN 5 THEN 8 WHEN 6 THEN 7
                        WHEN 7 THEN 6 WHEN 8 THEN 3 ELSE 0 END AS score,
                   CASE r % 12 WHEN 0 THEN 'in_treatment' WHEN 1 THEN 'in_treatment'
                        WHEN 2 THEN 'untreated' WHEN 3 THEN 'untreated'
                        WHEN 4 THEN 'untreated' WHEN 5 THEN 'untreated'
                        ELSE 'closed' END AS status
            FROM base)
        INSERT INTO opinion (source, external_id, respondent_id, score, nps_class, comment,
                             answered_at, campaign, internal, status, archived, deadline,
                             priority, responsible_id, import_batch_id, first_action_at,
                             closed_at, created_at, updated_at)
        SELECT 'bench', 'B-' || i, 1 + (r % :customers), score,
               CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'neutral'
                    ELSE 'detractor' END,
               CASE r % 4 WHEN 0 THEN 'Sistema lento no PDV, o suporte demorou.'
                    WHEN 1 THEN 'Atendimento ótimo, resolveram na mesma ligação.'
                    WHEN 2 THEN 'Nota fiscal poderia sair mais rápido.' ELSE NULL END,
               at, 'NPS ' || substr(at, 6, 2) || '/' || substr(at, 1, 4), 0, status,
               CASE WHEN status = 'closed' AND (r / 12) % 2 = 0 THEN 1 ELSE 0 END,
               date(at, '+' || CASE WHEN score >= 9 THEN 10 WHEN score >= 7 THEN 5
                                    ELSE 2 END || ' days'),
               CASE WHEN score >= 9 THEN 3 WHEN score >= 7 THEN 2 ELSE 1 END,
               CASE WHEN status = 'untreated' THEN NULL ELSE 1 + (r / 7) % 5 END,
               1,
               CASE WHEN status = 'untreated' THEN NULL ELSE at END,
               CASE WHEN status = 'closed' THEN at ELSE NULL END,
               at, at
        FROM scored""",
        {"n": opinions, "customers": customers},
    )
    conn.execute(
        "INSERT INTO opinion_search (rowid, name, company, email, comment) "
        "SELECT o.id, r.name, r.company, r.email, o.comment "
        "FROM opinion o JOIN respondent r ON r.id = o.respondent_id"
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    tmp.rename(path)
    return path
