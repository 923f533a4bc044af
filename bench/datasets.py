"""Synthetic but realistic inputs for the benchmarks, cached in bench/.cache."""

from __future__ import annotations

import csv
import random
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
