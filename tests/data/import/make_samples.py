"""Write the import sample files in this folder, and their README; the same bytes on every run.

Usage: .venv/bin/python tests/data/import/make_samples.py
Do not edit the samples by hand: change this script and run it again. Every valid row is
checked here (CNPJ check digits, Brazilian phone, e-mail syntax) before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from npsdesk.domain.cnpj import format_cnpj, is_valid_cnpj, make_cnpj
from npsdesk.domain.phones import normalize_phone

OUT = Path(__file__).resolve().parent
ZIP_TIME = (2026, 11, 20, 0, 0, 0)
MARKUP = "[@click=app.quit]x[/] [link='https://e.example']y[/link]"
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"

TRACK_HEADERS = [
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
WEHELP_HEADERS = [
    "Código",
    "Cliente",
    "Email",
    "Celular",
    "CNPJ",
    "Empresa",
    "Sistema",
    "Segmento",
    "Nota NPS",
    "Motivo",
    "Respondido em",
    "Enviado em",
    "Pesquisa",
]
FEED_HEADERS = [
    "cnpj",
    "razao_social",
    "nome",
    "email",
    "telefone",
    "produto",
    "vertical",
    "uf",
    "data_atendimento_importacao",
]
JSON_KEYS = [
    "external_id",
    "source",
    "score",
    "comment",
    "answered_at",
    "sent_at",
    "name",
    "email",
    "phone",
    "cnpj",
    "company",
    "product",
    "vertical",
    "campaign",
    "internal",
]

# CNPJs with valid check digits; DURASOFT is the company's own (internal surveys).
DURASOFT = make_cnpj("33418265")
C = {
    "padaria": make_cnpj("45997418"),
    "farmacia": make_cnpj("07384021"),
    "mercado": make_cnpj("12650377"),
    "posto": make_cnpj("68112888"),
    "loja": make_cnpj("90217453", "0002"),
    "oficina": make_cnpj("21543908"),
    "restaurante": make_cnpj("38765120"),
    "contabil": make_cnpj("54320987"),
    "alfa": make_cnpj("12ABC345", "01DE"),  # the alphanumeric format (July 2026)
    "otica": make_cnpj("76001245"),
    "pet": make_cnpj("83456712"),
    "hotel": make_cnpj("19283746"),
    "grafica": make_cnpj("64738291"),
    "academia": make_cnpj("02938475"),
    "auto": make_cnpj("47561230"),
}
BAD_CNPJ = C["mercado"][:13] + str((int(C["mercado"][13]) + 1) % 10)


@dataclass
class Row:
    """A record to write: cells (written with the csv module) or a literal line; `reason` is
    the reject reason the sync engine must give, None for a good row."""

    cells: list[str] | None = None
    literal: str | None = None
    reason: str | None = None
    note: str = ""
    check: bool = True  # check the contact fields of a good row


@dataclass
class Bad:
    file: str
    line: int
    reason: str
    note: str


BAD_ROWS: list[Bad] = []
DUPLICATES: list[tuple[str, list[int], str]] = []


def check_contact(email: str, phone: str, cnpj: str) -> None:
    if email:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as exc:
            raise SystemExit(f"bad e-mail in a good row: {email}: {exc}") from None
    if phone and normalize_phone(phone) is None:
        raise SystemExit(f"bad phone in a good row: {phone}")
    if cnpj and not is_valid_cnpj(cnpj):
        raise SystemExit(f"bad CNPJ in a good row: {cnpj}")


def csv_text(
    name: str,
    headers: list[str],
    rows: list[Row],
    *,
    delimiter: str,
    newline: str,
    contact: tuple[int | None, int | None, int | None] | None,
) -> str:
    """The file's text; records the physical start line of every bad row in BAD_ROWS."""
    out: list[str] = []
    line = 1

    def record(cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerow(cells)
        return buffer.getvalue()

    out.append(record(headers))
    for row in rows:
        line += out[-1].count("\n")
        if row.cells is not None:
            assert len(row.cells) == len(headers) or row.reason, row.cells
            text = record(row.cells)
            if row.reason is None and row.check and contact is not None:
                check_contact(*("" if i is None else row.cells[i] for i in contact))
        else:
            assert row.literal is not None
            text = row.literal + newline
        if row.reason is not None:
            BAD_ROWS.append(Bad(name, line, row.reason, row.note))
        out.append(text)
    return "".join(out)


def write(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(data)


# ---------------------------------------------------------------- Track.co, cp1252
def track(
    rid: str,
    sent: str,
    answered: str,
    score: str,
    comment: str,
    name: str,
    email: str,
    phone: str,
    cnpj: str,
    company: str,
    product: str,
    vertical: str,
    campaign: str = "NPS Outubro 2026",
    internal: str = "Não",
) -> list[str]:
    return [
        rid,
        sent,
        answered,
        score,
        comment,
        name,
        email,
        phone,
        cnpj,
        company,
        product,
        vertical,
        campaign,
        internal,
    ]


def track_rows() -> list[Row]:
    f = format_cnpj
    return [
        Row(track("TRK-200101", "01/10/2026 09:12", "01/10/2026 10:47", "9",
                  "Sistema estável, suporte atencioso.", "Aline Queiroz Conceição",
                  "aline@padariaestrela.com.br", "(11) 98765-4321", f(C["padaria"]),
                  "Padaria Estrela do Sul Ltda", "Durasoft Food", "Food")),
        Row(track("TRK-200102", "01/10/2026 09:12", "02/10/2026 08:03", "9,0",
                  "Gostei da nova tela de caixa.", "José Nóbrega", "jose.nobrega@gmail.com",
                  "(21) 3456-7890", C["farmacia"], "Farmácia São Jorge Ltda",
                  "Durasoft Farma", "Farma")),
        Row(track("TRK-200103", "02/10/2026 14:30:00", "03/10/2026 16:05:42", "10.0",
                  "Implantação rápida e sem dor de cabeça. Obrigado, Ana!",
                  "Ana Cláudia Gonçalves", "ana.goncalves@terra.com.br", "+55 31 99876-5432",
                  f(C["mercado"]), "Mercado Bom Preço Ltda", "Durasoft Varejo", "Retail")),
        Row(track("TRK-200104", "03/10/2026 08:00", "04/10/2026 11:20", "7",
                  "No geral estou satisfeito.\nSó sugiro melhorar o relatório de comissões."
                  "\n\nE a impressão do cupom trava às vezes.",
                  "Paulo Simões", "paulo@postoavenida.com.br", "48 3222-1100",
                  f(C["posto"]), "Posto Avenida Combustíveis Ltda", "Durasoft Frota",
                  "Postos")),
        Row(track("TRK-200105", "03/10/2026 08:00", "05/10/2026 13:02", "6", MARKUP,
                  "Rafael Leão", "rafael.leao@lojaaraucaria.com.br", "(85) 98811-2233",
                  f(C["loja"]), "Loja Araucária Calçados Ltda", "Durasoft Varejo",
                  "Retail")),
        Row(track("TRK-200106", "04/10/2026 10:10", "06/10/2026 09:55", "8",
                  "Bom, mas ninguém do comercial me apresentou os módulos novos.",
                  '=HYPERLINK("http://x","clique")', "contato@oficinadoze.com.br",
                  "61 99654-3210", f(C["oficina"]), "Oficina Mecânica Doze Ltda",
                  "Durasoft Auto", "Serviços")),
        Row(track("TRK-200107", "04/10/2026 10:10", "06/10/2026 15:31", "10",
                  "“Excelente” – o ‘suporte’ resolveu tudo na mesma ligação…", "@SUM(A1)",
                  "financeiro@restaurantesabor.com.br", "(51) 3330-2211",
                  f(C["restaurante"]), "Restaurante Sabor Caseiro Ltda", "Durasoft Food",
                  "Food")),
        Row(track("TRK-200108", "05/10/2026 11:00", "07/10/2026 17:48", "3",
                  "Cobrança duplicada em setembro e ninguém retornou.", "+55 11 9999",
                  "adm@contabilfiel.com.br", "(71) 99123-4567", f(C["contabil"]),
                  "Contábil Fiel Assessoria Ltda", "Durasoft Contábil",
                  "Gestão Financeira")),
        Row(track("TRK-200109", "05/10/2026 11:00", "08/10/2026 09:14", "9",
                  "O treinamento interno foi ótimo.", "Mariana Tavares",
                  "mariana.tavares@durasoft.com.br", "", f(DURASOFT),
                  "Durasoft Sistemas Ltda", "", "", "Pesquisa Interna 2026", "Sim")),
        Row(track("TRK-200110", "06/10/2026 08:45", "08/10/2026 10:02", "5", "",
                  "Célia Araújo", "", "41 98402-7731", C["alfa"], "Ótica Visão Clara Ltda",
                  "Durasoft Varejo", "Retail")),
        Row(track("TRK-200111", "06/10/2026 08:45", "09/10/2026 18:30", "0",
                  "Sistema fora do ar duas vezes na semana; perdi vendas.",
                  "Sebastião Nogueira", "sebastiao.nogueira@hotmail.com", "(62) 3212-4455",
                  f(C["otica"]), "Ótica Central de Goiânia Ltda", "Durasoft Varejo",
                  "Retail")),
        Row(track("TRK-200112", "07/10/2026 09:30", "10/10/2026 08:07", "11",
                  "Nota máxima!", "Henrique Barros", "henrique@petamigo.com.br",
                  "(81) 99745-0012", f(C["pet"]), "Pet Amigo Comércio Ltda",
                  "Durasoft Varejo", "Retail"),
            reason="invalid_score", note="Nota `11`"),
        Row(track("TRK-200113", "07/10/2026 09:30", "10/10/2026 12:44", "9,5",
                  "Muito bom.", "Lúcia Fernandes", "lucia@hotelmirante.com.br",
                  "19 3251-8890", f(C["hotel"]), "Hotel Mirante Ltda", "Durasoft Hotel",
                  "Hotelaria"),
            reason="invalid_score", note="Nota `9,5`"),
        Row(track("TRK-200114", "08/10/2026 10:00", "11/10/2026 09:09", "",
                  "Não respondi a nota.", "Otávio Ramos", "otavio@graficaagil.com.br",
                  "(27) 99988-1122", f(C["grafica"]), "Gráfica Ágil Ltda", "Durasoft Web",
                  "Serviços"),
            reason="missing_score", note="Nota empty"),
        Row(track("TRK-200115", "08/10/2026 10:00", "31/02/2026 10:12", "8",
                  "Atendimento cordial.", "Beatriz Moura", "beatriz@academiaforca.com.br",
                  "(92) 98111-3344", f(C["academia"]), "Academia Força Total Ltda",
                  "Durasoft Web", "Serviços"),
            reason="invalid_date", note="Data da resposta `31/02/2026 10:12`"),
        Row(track("TRK-200116", "09/10/2026 13:20", "12/10/2026 14:00", "7",
                  "Razoável.", "João Batista", "joao@@x", "(31) 3274-6600", f(C["auto"]),
                  "Auto Peças Batista Ltda", "Durasoft Auto", "Serviços"),
            reason="invalid_email", note="E-mail `joao@@x`"),
        Row(track("TRK-200117", "09/10/2026 13:20", "12/10/2026 16:41", "9",
                  "Gostei.", "Renata Pires", "renata.pires@gmail.com", "(47) 99620-1357",
                  f(BAD_CNPJ), "Mercado Bom Preço Ltda", "Durasoft Varejo", "Retail"),
            reason="invalid_cnpj", note="CNPJ with bad check digits"),
        Row(track("TRK-200118", "10/10/2026 09:00", "13/10/2026 10:30", "6",
                  "Sem comentários adicionais.", "", "", "", "", "", "Durasoft Web",
                  "Serviços"),
            reason="no_contact", note="no name, e-mail, phone, CNPJ or company"),
        Row(literal="TRK-200119;10/10/2026 09:00;13/10/2026 11:02;8;Bom",
            reason="short_row", note="5 cells of 14"),
        Row(track("TRK-200120", "11/10/2026 08:15", "14/10/2026 09:45", "8",
                  "Atende bem.", "Fernanda Lopes", "fernanda.lopes@yahoo.com.br", "123",
                  f(C["academia"]), "Academia Força Total Ltda", "Durasoft Web",
                  "Serviços"),
            reason="invalid_phone", note="Telefone `123`"),
        Row(literal="TRK-200121;11/10/2026 08:15;14/10/2026 15:20;7;Bom; mas caro;"
            "Roberto Dias;roberto.dias@gmail.com;(11) 2345-6789;"
            f"{f(C['hotel'])};Hotel Mirante Ltda;Durasoft Hotel;Hotelaria;NPS Outubro 2026;Não",
            reason="long_row", note="unquoted `;` in the comment: 15 cells of 14"),
        Row(literal=";" * 13, note="only delimiters (Excel): skipped"),
        Row(track("TRK-200122", "12/10/2026 10:00", "15/10/2026 08:58", "10",
                  "Ótimo!\r\nLinha quebrada com CRLF dentro das aspas.", "Vânia Assunção",
                  "vania@padariaestrela.com.br", "(84) 98876-5544", C["padaria"],
                  "Padaria Estrela do Sul Ltda", "Durasoft Food", "Food")),
        Row(track("TRK-200123", "12/10/2026 10:00", "16/10/2026 19:21", "4",
                  "Demora no suporte por chat.", "Márcio Conceição",
                  "marcio.conceicao@uol.com.br", "(16) 99712-3456", f(C["farmacia"]),
                  "Farmácia São Jorge Ltda", "Durasoft Farma", "Farma")),
    ]  # fmt: skip


# ---------------------------------------------------------------- WeHelp, UTF-8 BOM
def wehelp_rows() -> list[list[str]]:
    f = format_cnpj
    rows = [
        ["84213", "Gisele Ribeiro", "gisele.ribeiro@gmail.com", "(11) 98765-4321",
         f(C["padaria"]), "Padaria Estrela do Sul Ltda", "Durasoft Food", "Food", "10",
         "Tudo certo, equipe nota 10.", "2026-10-31T14:03:00-03:00",
         "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84214", "Diego Araújo", "diego@farmaciasaojorge.com.br", "(21) 3456-7890",
         C["farmacia"], "Farmácia São Jorge Ltda", "Durasoft Farma", "Farma", "8",
         "Bom, mas o app trava, às vezes.", "2026-10-31T15:22:10-03:00",
         "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84215", "Helena Vasconcelos", "helena@mercadobompreco.com.br", "+55 31 99876-5432",
         f(C["mercado"]), "Mercado Bom Preço Ltda", "Durasoft Varejo", "Retail", "6",
         "Ótimo sistema" + ESCAPES, "2026-11-01T08:15:00-03:00",
         "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84216", "Fábio Nogueira", "fabio@postoavenida.com.br", "48 3222-1100",
         f(C["posto"]), "Posto Avenida Combustíveis Ltda", "Durasoft Frota", "Postos", "9",
         "Relatórios claros.\nSuporte rápido.", "2026-11-01T10:40:00-03:00",
         "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84217", "Elaine Magalhães", "", "(85) 98811-2233", f(C["loja"]),
         "Loja Araucária Calçados Ltda", "Durasoft Varejo", "Retail", "7", "",
         "2026-11-02T19:05:00-03:00", "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84218", "Bruno Henrique Lima", "bruno@oficinadoze.com.br", "61 99654-3210",
         f(C["oficina"]), "Oficina Mecânica Doze Ltda", "Durasoft Auto", "Serviços", "2",
         'Atualização apagou meus "favoritos".', "2026-11-02T21:47:00-03:00",
         "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84219", "Carla Gonçalves", "carla@restaurantesabor.com.br", "(51) 3330-2211",
         f(C["restaurante"]), "Restaurante Sabor Caseiro Ltda", "Durasoft Food", "Food",
         "10", "Perfeito.", "2026-11-03T12:00:00-02:00", "2026-10-30T09:00:00-03:00",
         "NPS Outubro 2026"],
        ["84220", "Regina Castro", "regina@contabilfiel.com.br", "(71) 99123-4567",
         f(C["contabil"]), "Contábil Fiel Assessoria Ltda", "Durasoft Contábil",
         "Gestão Financeira", "5", "Preço alto para o que entrega.",
         "2026-11-03T16:30:00-03:00", "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84221", "Mônica Sá", "monica.sa@hotmail.com", "41 98402-7731", C["alfa"],
         "Ótica Visão Clara Ltda", "Durasoft Varejo", "Retail", "9", "Gostei do novo PDV.",
         "2026-11-04T09:12:00-03:00", "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84222", "Antônio Loureiro", "antonio.loureiro@gmail.com", "(62) 3212-4455",
         f(C["otica"]), "Ótica Central de Goiânia Ltda", "Durasoft Varejo", "Retail", "3",
         "Suporte demora, e a fila, no telefone, é longa.", "2026-11-04T11:58:00-03:00",
         "2026-10-30T09:00:00-03:00", "NPS Outubro 2026"],
        ["84223", "Paula Teixeira", "paula@petamigo.com.br", "(81) 99745-0012",
         f(C["pet"]), "Pet Amigo Comércio Ltda", "Durasoft Varejo", "Retail", "8",
         "Bom custo-benefício.", "2026-11-05T08:01:00-03:00", "2026-10-30T09:00:00-03:00",
         "NPS Outubro 2026"],
    ]  # fmt: skip
    return [*rows[:7], rows[5], *rows[7:]]  # 84218 exported twice


# ---------------------------------------------------------------- extractor feed
def feed_rows() -> list[Row]:
    f = format_cnpj
    data = [
        (f(C["padaria"]), "Padaria Estrela do Sul Ltda", "Aline Queiroz Conceição",
         "aline@padariaestrela.com.br", "(11) 98765-4321", "Durasoft Food", "Food", "SP",
         "14/11/2026"),
        (C["farmacia"], "Farmácia São Jorge Ltda", "José Nóbrega", "jose.nobrega@gmail.com",
         "21 3456-7890", "Durasoft Farma", "Farma", "RJ", "05/11/2026"),
        (f(C["mercado"]), "Mercado Bom Preço Ltda", "Ana Cláudia Gonçalves",
         "ana.goncalves@terra.com.br", "31998765432", "Durasoft Varejo", "Retail", "MG",
         "02/11/2026"),
        (f(C["posto"]), "Posto Avenida Combustíveis Ltda", "Paulo Simões", "", "48 3222-1100",
         "Durasoft Frota", "Postos", "SC", "07/11/2026"),
        (f(C["loja"]), "Loja Araucária Calçados Ltda", "Rafael Leão",
         "rafael.leao@lojaaraucaria.com.br", "", "Durasoft Varejo", "Retail", "CE",
         "28/10/2026"),
        (C["oficina"], "Oficina Mecânica Doze Ltda", "Bruno Henrique Lima",
         "contato@oficinadoze.com.br", "(61) 99654-3210", "Durasoft Auto", "Serviços", "DF",
         "30/10/2026"),
        (f(C["restaurante"]), "Restaurante Sabor Caseiro Ltda", "Carla Gonçalves",
         "financeiro@restaurantesabor.com.br", "(51) 3330-2211", "Durasoft Food", "Food",
         "RS", "10/11/2026"),
        (f(C["contabil"]), "Contábil Fiel Assessoria Ltda", "Regina Castro",
         "adm@contabilfiel.com.br", "(71) 99123-4567", "Durasoft Contábil",
         "Gestão Financeira", "BA", "12/11/2026"),
        (f(C["alfa"]), "Ótica Visão Clara Ltda", "Célia Araújo", "", "41 98402-7731",
         "Durasoft Varejo", "Retail", "PR", "03/11/2026"),
        (f(BAD_CNPJ), "Mercado Bom Preço Filial Ltda", "Renata Pires",
         "renata.pires@gmail.com", "(47) 99620-1357", "Durasoft Varejo", "Retail", "SC",
         "06/11/2026"),
        (f(C["otica"]), "Ótica Central de Goiânia Ltda", "Sebastião Nogueira",
         "sebastiao.nogueira@hotmail.com", "(62) 3212-4455", "Durasoft Varejo", "Retail",
         "GO", "01/11/2026"),
        (C["pet"], "Pet Amigo Comércio Ltda", "Henrique Barros", "henrique@petamigo.com.br",
         "(81) 99745-0012", "Durasoft Varejo", "Retail", "PE", "09/11/2026"),
        (f(C["hotel"]), "Hotel Mirante Ltda", "Lúcia Fernandes", "lucia@hotelmirante.com.br",
         "19 3251-8890", "Durasoft Hotel", "Hotelaria", "SP", "11/11/2026"),
        (f(C["grafica"]), "Gráfica Ágil Ltda", "Otávio Ramos", "otavio@graficaagil.com.br",
         "(27) 99988-1122", "Durasoft Web", "Serviços", "ES", "13/11/2026"),
        (f(C["academia"]), "Academia Força Total Ltda", "Beatriz Moura", "",
         "(92) 98111-3344", "Durasoft Web", "Serviços", "AM", "04/11/2026"),
    ]  # fmt: skip
    rows = []
    for cells in data:
        bad = cells[0] == f(BAD_CNPJ)
        rows.append(
            Row(
                list(cells),
                reason="invalid_cnpj" if bad else None,
                note="cnpj with bad check digits" if bad else "",
            )
        )
    return rows


# ---------------------------------------------------------------- JSON, our export keys
def json_records() -> list[dict[str, object]]:
    rows = [
        ("TRK-300101", 10, "Atendimento excelente!", "2026-10-31T14:03:00-03:00",
         "2026-10-30T09:00:00-03:00", "Aline Queiroz Conceição", "aline@padariaestrela.com.br",
         "+5511987654321", C["padaria"], "Padaria Estrela do Sul Ltda", "Durasoft Food",
         "Food", False),
        ("TRK-300102", 9.0, "Bom.\nSó falta integração com o banco.",
         "2026-10-31T16:20:00-03:00", "2026-10-30T09:00:00-03:00", "José Nóbrega",
         "jose.nobrega@gmail.com", "+552134567890", C["farmacia"], "Farmácia São Jorge Ltda",
         "Durasoft Farma", "Farma", False),
        ("TRK-300103", 6, MARKUP, "2026-11-01T09:05:00-03:00", "2026-10-30T09:00:00-03:00",
         "Ana Cláudia Gonçalves", "ana.goncalves@terra.com.br", "+5531998765432",
         C["mercado"], "Mercado Bom Preço Ltda", "Durasoft Varejo", "Retail", False),
        ("TRK-300104", 3, "Cobrança “duplicada”.", "2026-11-01T11:30:00-02:00",
         "2026-10-30T09:00:00-03:00", "Paulo Simões", None, "+554832221100", C["posto"],
         "Posto Avenida Combustíveis Ltda", "Durasoft Frota", "Postos", False),
        ("TRK-300105", 8, "", "2026-11-02T08:00:00-03:00", "2026-10-30T09:00:00-03:00",
         "Rafael Leão", "rafael.leao@lojaaraucaria.com.br", None, C["loja"],
         "Loja Araucária Calçados Ltda", "Durasoft Varejo", "Retail", False),
        ("TRK-300106", 9, "Treinamento ótimo.", "2026-11-02T10:15:00-03:00",
         "2026-10-30T09:00:00-03:00", "Mariana Tavares", "mariana.tavares@durasoft.com.br",
         None, DURASOFT, "Durasoft Sistemas Ltda", None, None, True),
        ("TRK-300107", 0, "Sistema fora do ar.", "2026-11-03T18:45:00-03:00",
         "2026-10-30T09:00:00-03:00", "Sebastião Nogueira", "sebastiao.nogueira@hotmail.com",
         "+556232124455", C["otica"], "Ótica Central de Goiânia Ltda", "Durasoft Varejo",
         "Retail", False),
        ("TRK-300108", 10, "Perfeito.", "2026-11-04T07:59:00-03:00",
         "2026-10-30T09:00:00-03:00", "Célia Araújo", None, "+5541984027731", C["alfa"],
         "Ótica Visão Clara Ltda", "Durasoft Varejo", "Retail", False),
        ("TRK-300109", 7, "Razoável.", "2026-11-05T13:10:00-03:00",
         "2026-10-30T09:00:00-03:00", "Lúcia Fernandes", "lucia@hotelmirante.com.br",
         "+551932518890", C["hotel"], "Hotel Mirante Ltda", "Durasoft Hotel", "Hotelaria",
         False),
        ("TRK-300110", 5, "Preço alto.", "2026-11-05T17:25:00-03:00",
         "2026-10-30T09:00:00-03:00", "Otávio Ramos", "otavio@graficaagil.com.br",
         "+5527999881122", C["grafica"], "Gráfica Ágil Ltda", "Durasoft Web", "Serviços",
         False),
    ]  # fmt: skip
    records = []
    for rid, score, comment, answered, sent, name, email, phone, cnpj, *rest in rows:
        company, product, vertical, internal = rest
        check_contact(str(email or ""), str(phone or ""), str(cnpj))
        campaign = "Pesquisa Interna 2026" if internal else "NPS Outubro 2026"
        values = [rid, "track", score, comment, answered, sent, name, email, phone, cnpj]
        values += [company, product, vertical, campaign, internal]
        records.append(dict(zip(JSON_KEYS, values, strict=True)))
    return records


# ---------------------------------------------------------------- XLSX
def xlsx_bytes() -> tuple[bytes, list[Bad]]:
    from openpyxl import Workbook

    f = format_cnpj
    d = datetime
    rows: list[tuple[list[object], str | None, str]] = [
        ([101, d(2026, 10, 1, 9, 12), d(2026, 10, 1, 10, 47), 9, "Sistema estável.",
          "Aline Queiroz Conceição", "aline@padariaestrela.com.br", "(11) 98765-4321",
          f(C["padaria"]), "Padaria Estrela do Sul Ltda", "Durasoft Food", "Food",
          "NPS Outubro 2026", "Não"], None, ""),
        ([102, d(2026, 10, 1, 9, 12), d(2026, 10, 2, 8, 3), 9.0, "Gostei da tela de caixa.",
          "José Nóbrega", "jose.nobrega@gmail.com", "(21) 3456-7890", C["farmacia"],
          "Farmácia São Jorge Ltda", "Durasoft Farma", "Farma", "NPS Outubro 2026", "Não"],
         None, ""),
        ([103, d(2026, 10, 2, 14, 30), d(2026, 10, 3, 16, 5, 42), 10,
          "Implantação rápida.\nObrigado, Ana!", "Ana Cláudia Gonçalves",
          "ana.goncalves@terra.com.br", "+55 31 99876-5432", f(C["mercado"]),
          "Mercado Bom Preço Ltda", "Durasoft Varejo", "Retail", "NPS Outubro 2026", "Não"],
         None, ""),
        ([104, d(2026, 10, 3, 8, 0), d(2026, 10, 4, 11, 20), 7, MARKUP,
          '=HYPERLINK("http://x","clique")', "paulo@postoavenida.com.br", "48 3222-1100",
          f(C["posto"]), "Posto Avenida Combustíveis Ltda", "Durasoft Frota", "Postos",
          "NPS Outubro 2026", "Não"], None, ""),
        ([105, d(2026, 10, 3, 8, 0), d(2026, 10, 5, 13, 2), 6, "Demora no chat.",
          "Rafael Leão", "rafael.leao@lojaaraucaria.com.br", None, f(C["loja"]),
          "Loja Araucária Calçados Ltda", "Durasoft Varejo", "Retail", "NPS Outubro 2026",
          "Não"], None, ""),
        ([106, d(2026, 10, 4, 10, 10), d(2026, 10, 6, 9, 55), 11, "Nota máxima!",
          "Henrique Barros", "henrique@petamigo.com.br", "(81) 99745-0012", f(C["pet"]),
          "Pet Amigo Comércio Ltda", "Durasoft Varejo", "Retail", "NPS Outubro 2026", "Não"],
         "invalid_score", "Nota `11` (a number cell)"),
        ([], None, "an empty row: skipped"),
        ([107, d(2026, 10, 4, 10, 10), "31/02/2026 10:12", 8, "Atendimento cordial.",
          "Beatriz Moura", "beatriz@academiaforca.com.br", "(92) 98111-3344",
          f(C["academia"]), "Academia Força Total Ltda", "Durasoft Web", "Serviços",
          "NPS Outubro 2026", "Não"], "invalid_date", "Data da resposta `31/02/2026 10:12` (text)"),
        ([108, d(2026, 10, 5, 11, 0), d(2026, 10, 7, 17, 48), 0, "Perdi vendas.",
          "Sebastião Nogueira", "sebastiao.nogueira@hotmail.com", "(62) 3212-4455",
          f(C["otica"]), "Ótica Central de Goiânia Ltda", "Durasoft Varejo", "Retail",
          "NPS Outubro 2026", "Não"], None, ""),
        ([109, d(2026, 10, 5, 11, 0), d(2026, 10, 8, 9, 14), 10, "O treinamento foi ótimo.",
          "Mariana Tavares", "mariana.tavares@durasoft.com.br", None, f(DURASOFT),
          "Durasoft Sistemas Ltda", None, None, "Pesquisa Interna 2026", "Sim"], None, ""),
        ([110, d(2026, 10, 6, 8, 45), d(2026, 10, 8, 10, 2), 5, None, "Célia Araújo", None,
          "41 98402-7731", C["alfa"], "Ótica Visão Clara Ltda", "Durasoft Varejo"],
         None, "trailing empty cells not stored"),
    ]  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Respostas"
    sheet.append(TRACK_HEADERS)
    bad: list[Bad] = []
    for number, (cells, reason, note) in enumerate(rows, 2):
        if not cells:
            continue  # leave the row empty
        if reason is None:
            check_contact(*(str(cells[i] or "") for i in (6, 7, 8)))
        else:
            bad.append(Bad("responses.xlsx", number, reason, note))
        for column, value in enumerate(cells, 1):
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, not a formula
            elif isinstance(value, float):
                cell.number_format = "0.0"  # Excel shows 9,0; the file stores 9
    summary = workbook.create_sheet("Resumo")
    summary.append(["Indicador", "Valor"])
    summary.append(["Respostas", 10])
    summary.append(["NPS", 20])
    summary.append(["Gerado em", datetime(2026, 10, 9, 8, 0)])
    fixed = datetime(2026, 11, 20)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.properties.creator = "npsdesk samples"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalize_zip(buffer.getvalue()), bad


def normalize_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so every run writes the same bytes (openpyxl
    stamps the save time into docProps/core.xml whatever the properties say)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2026-11-20T00:00:00Z\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
    return out.getvalue()


# ---------------------------------------------------------------- the rest
def trap_rows() -> list[list[str]]:
    f = format_cnpj
    return [
        [f(C["padaria"]), "Padaria Estrela do Sul Ltda", "João Conceição", "(11) 98765-4321"],
        [f(C["farmacia"]), "Farmácia São Jorge Ltda", "Conceição Gonçalves", "(21) 3456-7890"],
        [f(C["mercado"]), "Mercado Bom Preço Ltda", "Sebastião Simões", "48 3222-1100"],
        [f(C["posto"]), "Posto Avenida Combustíveis Ltda", "Assunção Araújo", "(85) 98811-2233"],
        [f(C["loja"]), "Loja Araucária Calçados Ltda", "Glória Magalhães", "61 99654-3210"],
        [f(C["oficina"]), "Oficina Mecânica Doze Ltda", "Estêvão Brandão", "(51) 3330-2211"],
        [f(C["contabil"]), "Contábil Fiel Assessoria Ltda", "Luíza Gonçalves", "(71) 99123-4567"],
        [f(C["hotel"]), "Hotel Mirante Ltda", "Antônio Cardoso Leão", "19 3251-8890"],
    ]  # fmt: skip


def tsv_rows() -> list[list[str]]:
    f = format_cnpj
    return [
        ["TSV-1", "01/11/2026 09:00", "02/11/2026 10:00", "9", "Muito bom, recomendo.",
         "Gisele Ribeiro", "gisele.ribeiro@gmail.com", "(11) 98765-4321", f(C["padaria"]),
         "Padaria Estrela do Sul Ltda", "Durasoft Food", "Food", "NPS Novembro 2026", "Não"],
        ["TSV-2", "01/11/2026 09:00", "02/11/2026 11:30", "6", "Lento; às vezes trava.",
         "Diego Araújo", "diego@farmaciasaojorge.com.br", "(21) 3456-7890", C["farmacia"],
         "Farmácia São Jorge Ltda", "Durasoft Farma", "Farma", "NPS Novembro 2026", "Não"],
        ["TSV-3", "01/11/2026 09:00", "03/11/2026 08:15", "10", "Ótimo, parabéns à equipe.",
         "Helena Vasconcelos", "helena@mercadobompreco.com.br", "+55 31 99876-5432",
         f(C["mercado"]), "Mercado Bom Preço Ltda", "Durasoft Varejo", "Retail",
         "NPS Novembro 2026", "Não"],
        ["TSV-4", "02/11/2026 09:00", "04/11/2026 17:40", "8", "Bom.", "Fábio Nogueira",
         "fabio@postoavenida.com.br", "48 3222-1100", f(C["posto"]),
         "Posto Avenida Combustíveis Ltda", "Durasoft Frota", "Postos", "NPS Novembro 2026",
         "Não"],
        ["TSV-5", "02/11/2026 09:00", "05/11/2026 09:05", "4", "Suporte demorado.",
         "Carla Gonçalves", "carla@restaurantesabor.com.br", "(51) 3330-2211",
         f(C["restaurante"]), "Restaurante Sabor Caseiro Ltda", "Durasoft Food", "Food",
         "NPS Novembro 2026", "Não"],
    ]  # fmt: skip


FILES = [
    ("track_cp1252.csv", "**cp1252**, `;`, CRLF",
     "Track.co export as Excel saves it (the demo's columns): scores `9`, `9,0`, `10.0`; dates "
     "`dd/mm/yyyy HH:MM` and `dd/mm/yyyy HH:MM:SS`; a quoted comment with bare-LF line breaks "
     "and an empty line inside (TRK-200104, lines 5-8); a quoted comment with a CRLF inside "
     "(TRK-200122, lines 27-28); the markup string "
     "`[@click=app.quit]x[/] [link='https://e.example']y[/link]` (TRK-200105); formula-looking "
     'names `=HYPERLINK("http://x","clique")`, `@SUM(A1)`, `+55 11 9999`; curly quotes, en '
     "dash and ellipsis (cp1252-only bytes 0x93 0x94 0x91 0x92 0x96 0x85, TRK-200107); an "
     "internal survey (`Sim`, TRK-200109); an alphanumeric CNPJ (TRK-200110); a line of only "
     "`;` (line 26, skipped by the reader); one row per reject reason (below)"),
    ("wehelp_utf8_bom.csv", "UTF-8 with BOM, `,`, LF",
     "WeHelp-like export: ISO 8601 dates with offsets (one `-02:00`); the escape string "
     "`\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J` (real ESC and BEL bytes) in a comment (Código 84215); "
     "a quoted comment with a line break (84216); one duplicate record (below)"),
    ("responses.xlsx", "XLSX",
     "sheet `Respostas`: Track columns, real date cells (datetime, format `dd/mm/yyyy hh:mm`), "
     "scores as number cells (`9.0` in row 3 has the format `0.0`, so Excel shows `9,0`, but "
     "XLSX stores the number as `9`: it reads back as the int 9), CNPJ and phones as text, a "
     "formula-looking name as text, an empty row 8, a last row (12) whose trailing cells are "
     "not stored; sheet `Resumo`: a summary (`Indicador`, `Valor`), ignored unless selected"),
    ("responses.json", "UTF-8 JSON array, 2-space indent",
     "10 objects with our export's keys (`external_id`, `source`, `score`, `comment`, "
     "`answered_at`, `sent_at`, `name`, `email`, `phone`, `cnpj`, `company`, `product`, "
     "`vertical`, `campaign`, `internal`); offsets `-03:00` and `-02:00`; `score` `9.0` once; "
     "`null` e-mail, phone, product; `internal` true once; each object starts 17 lines after "
     "the one before (lines 2, 19, 36...)"),
    ("responses.jsonl", "UTF-8 JSON Lines",
     "the same 10 objects, one per line, with a line `not json` (line 5) and a blank line "
     "(line 9) among them"),
    ("customers_feed.csv", "UTF-8, `;`, LF",
     "the extractor feed: `cnpj;razao_social;nome;email;telefone;produto;vertical;uf;"
     "data_atendimento_importacao`, 15 rows, punctuated and bare CNPJs, one alphanumeric; "
     "empty e-mails and phones; one invalid CNPJ"),
    ("tab_separated.tsv", "UTF-8, tab, LF", "5 responses with the Track columns"),
    ("cp1250_trap.csv", "cp1252, `;`, CRLF",
     "a feed whose bytes a statistical detector calls cp1250: \"João\", \"Conceição\", "
     "\"Gonçalves\" must survive (cp1250 reads \"Joăo\")"),
    ("undecodable.csv", "neither UTF-8 nor cp1252",
     "bytes 0x81 and 0x8D (undefined in cp1252) on line 2: the reader refuses it and asks "
     "for `--encoding`"),
    ("empty.csv", "0 bytes", "\"empty file\""),
    ("only_header.csv", "UTF-8, `;`",
     "the Track header line and no records: a table with zero records"),
    ("old_excel.xls", "OLE2 bytes", "old Excel: \"save it as .xlsx or CSV\""),
    ("not_a_table.json", "JSON",
     "`{\"a\": 1}`: the top level is an object, not an array of objects"),
]  # fmt: skip

README_HEAD = """\
# Import samples

Real files in the formats analysts have, for the readers (`npsdesk.importers.readers`) and the
sync engine. **Generated** by `make_samples.py` in this folder (the same bytes on every run):
do not edit them by hand; change the script and run
`.venv/bin/python tests/data/import/make_samples.py`. The script checks every good row (CNPJ
check digits, phone valid in Brazil, e-mail syntax) before writing. This README is written by
the script too.

| file | format | what it holds |
|---|---|---|
"""

BAD_HEAD = """
## Bad rows

`line` is the physical line where the record starts (for XLSX, the sheet row). A record the
reader cannot read at all (the JSON Lines line `not json`) comes with `values=()` and is
rejected as `short_row`.

| file | line | reason | the row |
|---|---|---|---|
"""


def main() -> None:
    BAD_ROWS.clear()
    DUPLICATES.clear()
    track_idx = (6, 7, 8)
    text = csv_text(
        "track_cp1252.csv",
        TRACK_HEADERS,
        track_rows(),
        delimiter=";",
        newline="\r\n",
        contact=track_idx,
    )
    write("track_cp1252.csv", text.encode("cp1252"))

    rows = wehelp_rows()
    text = csv_text(
        "wehelp_utf8_bom.csv",
        WEHELP_HEADERS,
        [Row(r) for r in rows],
        delimiter=",",
        newline="\n",
        contact=(2, 3, 4),
    )
    write("wehelp_utf8_bom.csv", text.encode("utf-8-sig"))
    lines = [i + 1 for i, line in enumerate(text.split("\n")) if line.startswith("84218,")]
    DUPLICATES.append(("wehelp_utf8_bom.csv", lines, "Código 84218 twice, the same row"))

    xlsx, xlsx_bad = xlsx_bytes()
    write("responses.xlsx", xlsx)
    BAD_ROWS.extend(xlsx_bad)

    records = json_records()
    write(
        "responses.json",
        (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    )
    lines_out = [json.dumps(r, ensure_ascii=False) for r in records]
    lines_out.insert(4, "not json")
    lines_out.insert(8, "")
    BAD_ROWS.append(Bad("responses.jsonl", 5, "short_row", "`not json`: not a JSON object"))
    write("responses.jsonl", ("\n".join(lines_out) + "\n").encode("utf-8"))

    text = csv_text(
        "customers_feed.csv",
        FEED_HEADERS,
        feed_rows(),
        delimiter=";",
        newline="\n",
        contact=(3, 4, 0),
    )
    write("customers_feed.csv", text.encode("utf-8"))

    text = csv_text(
        "tab_separated.tsv",
        TRACK_HEADERS,
        [Row(r) for r in tsv_rows()],
        delimiter="\t",
        newline="\n",
        contact=track_idx,
    )
    write("tab_separated.tsv", text.encode("utf-8"))

    text = csv_text(
        "cp1250_trap.csv",
        ["cnpj", "razao_social", "nome", "telefone"],
        [Row(r) for r in trap_rows()],
        delimiter=";",
        newline="\r\n",
        contact=(None, 3, 0),
    )
    write("cp1250_trap.csv", text.encode("cp1252"))

    write(
        "undecodable.csv",
        b"cnpj;nome;telefone\r\n"
        + format_cnpj(C["padaria"]).encode()
        + b";Jo\xe3o \x81\x8d Concei\xe7\xe3o;(11) 98765-4321\r\n",
    )
    write("empty.csv", b"")
    write("only_header.csv", (";".join(TRACK_HEADERS) + "\n").encode("utf-8"))
    write("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    write("not_a_table.json", b'{"a": 1}\n')

    readme = [README_HEAD]
    readme += [f"| `{name}` | {fmt} | {what} |\n" for name, fmt, what in FILES]
    readme.append(BAD_HEAD)
    for bad in BAD_ROWS:
        readme.append(f"| `{bad.file}` | {bad.line} | {bad.reason} | {bad.note} |\n")
    readme.append("\n## Duplicates (not rejects: counted once)\n\n")
    readme.append("| file | lines | what |\n|---|---|---|\n")
    for name, lines, note in DUPLICATES:
        readme.append(f"| `{name}` | {', '.join(map(str, lines))} | {note} |\n")
    (OUT / "README.md").write_text("".join(readme), encoding="utf-8")


if __name__ == "__main__":
    main()
