"""Exporting opinions: what Excel users in Brazil open, what tools read, and nothing unsafe."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.conftest import NOW

from npsdesk.bootstrap import Services
from npsdesk.domain.models import DomainError
from npsdesk.domain.periods import Period
from npsdesk.services.export import HEADERS, SHEET_NAME, ExportFilter, export_opinions
from npsdesk.services.intake import IncomingOpinion
from npsdesk.store import exports
from npsdesk.store.intake_writes import RespondentData
from npsdesk.untrusted.csv_cells import DANGEROUS, unneutralize

MARKUP = "[@click=app.quit]x[/] [link='https://e.example']y[/link]"
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"
BOM = b"\xef\xbb\xbf"
CSV_TIME = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}")


# -- helpers -----------------------------------------------------------------------------


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Where exports go: apart from the store, so a test sees every file an export leaves."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def add(
    services: Services,
    external_id: str,
    *,
    score: int = 3,
    name: str = "Cliente Teste",
    comment: str | None = "O PDV trava",
    phone: str | None = None,
    answered_at: datetime = datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
) -> int:
    with services.db.write() as conn:
        opinion_id, created = services.intake().register(
            conn,
            IncomingOpinion(
                source="track",
                external_id=external_id,
                score=score,
                answered_at=answered_at,
                sent_at=answered_at,
                comment=comment,
                respondent=RespondentData(
                    name=name, email=f"{external_id.lower()}@example.com", phone=phone
                ),
            ),
            NOW,
        )
    assert created
    return opinion_id


def sql_count(services: Services, where: str = "TRUE", params: Any = ()) -> int:
    with services.db.read() as conn:
        count: int = conn.execute(f"SELECT count(*) FROM opinion WHERE {where}", params).fetchone()[
            0
        ]
    return count


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(BOM)
    return list(
        csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline=""), delimiter=";")
    )


def csv_records(path: Path) -> list[dict[str, str]]:
    header, *rows = read_csv(path)
    assert tuple(header) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in rows]


def xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SHEET_NAME]
    return list(book[SHEET_NAME].iter_rows(values_only=True))


def xlsx_records(path: Path) -> list[dict[str, Any]]:
    header, *rows = xlsx_rows(path)
    assert tuple(header) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in rows]


def by_id(records: list[dict[str, Any]], opinion_id: int) -> dict[str, Any]:
    [found] = [r for r in records if int(r["ID"]) == opinion_id]
    return found


# -- format and header -------------------------------------------------------------------


def test_csv_is_utf8_with_bom_semicolons_and_crlf(demo: Services, out_dir: Path) -> None:
    out = out_dir / "opinioes.csv"
    written = export_opinions(demo, out)
    assert written == sql_count(demo)
    data = out.read_bytes()
    assert data.startswith(BOM + ";".join(HEADERS).encode() + b"\r\n")
    assert data.endswith(b"\r\n")
    records = csv_records(out)
    assert len(records) == written
    # Every record ends in CRLF; a comment's own line breaks stay bare LF inside quotes.
    assert data.count(b"\r\n") == written + 1
    assert all(r["Nota"].isdigit() for r in records)
    assert all(CSV_TIME.fullmatch(r["Data da resposta"]) for r in records)


def test_the_header_names_in_order(demo: Services, out_dir: Path) -> None:
    assert HEADERS[:3] == ("ID da resposta", "Origem", "Nota")
    assert HEADERS[-3:] == ("Seguidores", "Última nota", "ID")
    assert len(HEADERS) == 27
    out = out_dir / "o.xlsx"
    export_opinions(demo, out)
    assert xlsx_rows(out)[0] == HEADERS


def test_csv_values_as_analysts_read_them(demo: Services, out_dir: Path) -> None:
    out = out_dir / "o.csv"
    export_opinions(demo, out)
    records = csv_records(out)
    with demo.db.read() as conn:
        row = conn.execute(
            """SELECT o.id, o.answered_at, o.deadline, r.cnpj, r.phone FROM opinion o
               JOIN respondent r ON r.id = o.respondent_id
               WHERE o.status = 'closed' AND o.archived AND r.cnpj IS NOT NULL
                 AND r.phone LIKE '+55%' ORDER BY o.id LIMIT 1"""
        ).fetchone()
    record = by_id(records, row["id"])
    assert record["Status"] == "fechada"
    assert record["Arquivada"] == "Sim"
    assert record["Pesquisa interna"] in ("Sim", "Não")
    assert record["Classe"] in ("promotor", "neutro", "detrator")
    assert record["Prioridade"] in ("alta", "média", "baixa")
    assert record["Tipo"] in ("Elogio", "Reclamação", "Sugestão", "Nenhum")
    cnpj = row["cnpj"]
    assert record["CNPJ"] == f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"
    assert re.fullmatch(r"\(\d{2}\) \d{4,5}-\d{4}", record["Telefone"])
    deadline = date.fromisoformat(row["deadline"])
    assert record["Prazo"] == deadline.strftime("%d/%m/%Y")
    answered = datetime.fromisoformat(row["answered_at"]).replace(tzinfo=UTC)
    local = answered.astimezone(demo.settings.tz)
    assert record["Data da resposta"] == local.strftime("%d/%m/%Y %H:%M:%S")
    assert {r["Status"] for r in records} == {"sem atendimento", "em atendimento", "fechada"}


def test_followers_are_comma_joined(demo: Services, out_dir: Path) -> None:
    with demo.db.read() as conn:
        rows = conn.execute(
            """SELECT f.opinion_id, a.username FROM opinion_follower f
               JOIN analyst a ON a.id = f.analyst_id"""
        ).fetchall()
    following: dict[int, list[str]] = {}
    for row in rows:
        following.setdefault(row[0], []).append(row[1])
    opinion_id = min(following, key=lambda k: (-len(following[k]), k))
    names = ",".join(following[opinion_id])
    out = out_dir / "o.csv"
    export_opinions(demo, out)
    record = by_id(csv_records(out), opinion_id)
    assert record["Seguidores"].split(", ") == sorted(names.split(","))


# -- filters -----------------------------------------------------------------------------

FILTERS = [
    (ExportFilter(), "TRUE"),
    (ExportFilter(statuses=("closed",)), "status = 'closed'"),
    (ExportFilter(statuses=("untreated", "in_treatment")), "status <> 'closed'"),
    (ExportFilter(archived=True), "archived"),
    (ExportFilter(archived=False), "NOT archived"),
    (ExportFilter(statuses=("closed",), archived=False), "status = 'closed' AND NOT archived"),
    # October in São Paulo (UTC-3): local midnights are 03:00 UTC.
    (
        ExportFilter(period=Period(date(2026, 10, 1), date(2026, 10, 31))),
        "answered_at >= '2026-10-01 03:00:00' AND answered_at < '2026-11-01 03:00:00'",
    ),
    (
        ExportFilter(period=Period(start=date(2026, 11, 10))),
        "answered_at >= '2026-11-10 03:00:00'",
    ),
    (
        ExportFilter(period=Period(end=date(2026, 9, 30)), statuses=("untreated",)),
        "answered_at < '2026-10-01 03:00:00' AND status = 'untreated'",
    ),
]


@pytest.mark.parametrize(("filters", "where"), FILTERS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_row_counts_follow_the_filters(
    demo: Services, out_dir: Path, filters: ExportFilter, where: str, fmt: str
) -> None:
    expected = sql_count(demo, where)
    assert expected > 0
    out = out_dir / f"o.{fmt}"
    assert export_opinions(demo, out, filters=filters) == expected
    if fmt == "csv":
        assert len(csv_records(out)) == expected
    elif fmt == "xlsx":
        assert len(xlsx_records(out)) == expected
    else:
        assert len(json.loads(out.read_text(encoding="utf-8"))) == expected


def test_the_period_is_in_local_dates(demo: Services, out_dir: Path) -> None:
    # 02:30 UTC on 1 November is still 31 October in São Paulo.
    late = add(demo, "LATE-1", answered_at=datetime(2026, 11, 1, 2, 30, tzinfo=UTC))
    october = ExportFilter(period=Period(date(2026, 10, 1), date(2026, 10, 31)))
    november = ExportFilter(period=Period(date(2026, 11, 1), date(2026, 11, 30)))
    out = out_dir / "o.csv"
    export_opinions(demo, out, filters=october)
    records = csv_records(out)
    assert by_id(records, late)["Data da resposta"] == "31/10/2026 23:30:00"
    assert all(r["Data da resposta"][3:10] == "10/2026" for r in records)
    export_opinions(demo, out, filters=november)
    assert all(int(r["ID"]) != late for r in csv_records(out))


def test_rows_are_ordered_by_answer_time_and_streamed(demo: Services) -> None:
    with demo.db.read() as conn:
        rows = exports.iter_export_rows(conn, start=None, end=None, statuses=None, archived=None)
        assert isinstance(rows, Iterator)
        keys = [(row.answered_at, row.id) for row in rows]
    assert keys == sorted(keys)
    assert len(keys) == sql_count(demo)


def test_unknown_status_and_format_are_clear_errors(demo: Services, out_dir: Path) -> None:
    with pytest.raises(DomainError, match="unknown status 'aberta'"):
        export_opinions(demo, out_dir / "o.csv", filters=ExportFilter(statuses=("aberta",)))
    with pytest.raises(DomainError, match=r"\.csv, \.xlsx or \.json"):
        export_opinions(demo, out_dir / "o.txt")
    with pytest.raises(DomainError, match="unknown export format 'ods'"):
        export_opinions(demo, out_dir / "o.csv", fmt="ods")
    assert list(out_dir.iterdir()) == []


def test_the_format_may_be_given_for_any_name(demo: Services, out_dir: Path) -> None:
    out = out_dir / "relatorio.dat"
    count = export_opinions(demo, out, fmt="json")
    assert len(json.loads(out.read_bytes())) == count
    upper = out_dir / "RELATORIO.CSV"
    assert export_opinions(demo, upper) == count
    assert upper.read_bytes().startswith(BOM)


# -- unsafe text -------------------------------------------------------------------------

FORMULAS = ["=1+1", "+55 11 98765-4321", "@SUM(A1:A9)", "-2+3", "＝1+1", "\t=tab", "'=quoted"]


@pytest.fixture
def tricky(demo: Services) -> list[int]:
    ids = [
        add(demo, f"F-{i}", name='=HYPERLINK("https://e.example","x")', comment=formula)
        for i, formula in enumerate(FORMULAS)
    ]
    ids.append(add(demo, "F-phone", name="Foreign", phone="+15555550123", comment=None))
    return ids


def test_formulas_are_neutralised_in_csv_and_numbers_stay(
    demo: Services, out_dir: Path, tricky: list[int]
) -> None:
    out = out_dir / "o.csv"
    export_opinions(demo, out)
    records = csv_records(out)
    for opinion_id, formula in zip(tricky, FORMULAS, strict=False):
        record = by_id(records, opinion_id)
        assert record["Nome"] == '\'=HYPERLINK("https://e.example","x")'
        assert record["Comentário"] == "'" + formula
        assert unneutralize(record["Comentário"]) == formula
        assert record["Nota"] == "3"
        assert record["ID"] == str(opinion_id)
    assert by_id(records, tricky[-1])["Telefone"] == "'+15555550123"
    for record in records:
        for header, value in record.items():
            assert value[:1] not in DANGEROUS, (header, value)


def test_formulas_are_neutralised_in_xlsx_and_numbers_stay(
    demo: Services, out_dir: Path, tricky: list[int]
) -> None:
    out = out_dir / "o.xlsx"
    export_opinions(demo, out)
    book = openpyxl.load_workbook(out)
    sheet = book[SHEET_NAME]
    cells = {row[-1].value: row for row in sheet.iter_rows(min_row=2)}
    column = {name: i for i, name in enumerate(HEADERS)}
    for opinion_id, formula in zip(tricky, FORMULAS, strict=False):
        row = cells[opinion_id]
        name, comment = row[column["Nome"]], row[column["Comentário"]]
        assert (name.data_type, name.value) == ("s", '\'=HYPERLINK("https://e.example","x")')
        assert (comment.data_type, comment.value) == ("s", "'" + formula)
        assert (row[column["Nota"]].data_type, row[column["Nota"]].value) == ("n", 3)
    for row in sheet.iter_rows(min_row=2):
        assert all(c.data_type != "f" for c in row)
        assert isinstance(row[column["Nota"]].value, int)
        assert isinstance(row[column["ID"]].value, int)


def test_xlsx_dates_are_date_cells_in_local_time(demo: Services, out_dir: Path) -> None:
    opinion_id = add(demo, "D-1", answered_at=datetime(2026, 11, 20, 17, 3, 9, tzinfo=UTC))
    out = out_dir / "o.xlsx"
    export_opinions(demo, out)
    sheet = openpyxl.load_workbook(out)[SHEET_NAME]
    column = {name: i for i, name in enumerate(HEADERS)}
    [row] = [r for r in sheet.iter_rows(min_row=2) if r[-1].value == opinion_id]
    answered = row[column["Data da resposta"]]
    assert answered.value == datetime(2026, 11, 20, 14, 3, 9)
    assert answered.number_format == "dd/mm/yyyy hh:mm:ss"
    assert row[column["Data de envio"]].value == datetime(2026, 11, 20, 14, 3, 9)
    deadline = row[column["Prazo"]]
    assert deadline.is_date
    assert deadline.number_format == "dd/mm/yyyy"
    assert deadline.value.date() == date(2026, 11, 23)


def test_markup_stays_literal_and_escapes_go(demo: Services, out_dir: Path) -> None:
    opinion_id = add(
        demo, "M-1", name=f"Zé{ESCAPES}", comment=f"{MARKUP}\n{ESCAPES}linha 2\x00\x9b31m"
    )
    expected = f"{MARKUP}\nlinha 2"
    for fmt in ("csv", "xlsx", "json"):
        export_opinions(demo, out_dir / f"o.{fmt}")
    for text in ((out_dir / "o.csv").read_text("utf-8-sig"), (out_dir / "o.json").read_text()):
        assert MARKUP in text
        assert "\x1b" not in text
        assert "\x9b" not in text
    record = by_id(csv_records(out_dir / "o.csv"), opinion_id)
    assert (record["Nome"], record["Comentário"]) == ("Zé", expected)
    xlsx = by_id(xlsx_records(out_dir / "o.xlsx"), opinion_id)
    assert (xlsx["Nome"], xlsx["Comentário"]) == ("Zé", expected)
    [item] = [o for o in json.loads((out_dir / "o.json").read_bytes()) if o["id"] == opinion_id]
    assert (item["name"], item["comment"]) == ("Zé", expected)


# -- the last note -----------------------------------------------------------------------


def test_the_last_note_is_the_newest_note(demo: Services, out_dir: Path) -> None:
    with demo.db.read() as conn:
        several = conn.execute(
            """SELECT opinion_id FROM event WHERE kind = 'note' GROUP BY opinion_id
               HAVING count(*) > 1 ORDER BY opinion_id LIMIT 1"""
        ).fetchone()[0]
        newest = conn.execute(
            "SELECT body FROM event WHERE opinion_id = ? AND kind = 'note' ORDER BY id DESC",
            (several,),
        ).fetchone()[0]
        without = conn.execute(
            """SELECT id FROM opinion WHERE id NOT IN
               (SELECT opinion_id FROM event WHERE kind = 'note') ORDER BY id LIMIT 1"""
        ).fetchone()[0]
    mine = add(demo, "N-1")
    cases = demo.cases("ana")
    cases.add_note(mine, "primeira nota")
    cases.add_note(mine, "segunda nota")
    cases.record_email_sent(mine, "Sobre sua avaliação", "não é nota")
    out = out_dir / "o.csv"
    export_opinions(demo, out)
    records = csv_records(out)
    assert by_id(records, several)["Última nota"] == newest
    assert by_id(records, without)["Última nota"] == ""
    assert by_id(records, mine)["Última nota"] == "segunda nota"


# -- JSON --------------------------------------------------------------------------------


def test_json_has_the_opinion_keys_and_local_offsets(demo: Services, out_dir: Path) -> None:
    opinion_id = add(demo, "J-1", answered_at=datetime(2026, 10, 31, 17, 3, tzinfo=UTC))
    demo.cases("ana").add_note(opinion_id, "ligar amanhã")
    out = out_dir / "o.json"
    count = export_opinions(demo, out)
    text = out.read_text(encoding="utf-8")
    items = json.loads(text)
    assert isinstance(items, list)
    assert len(items) == count == sql_count(demo)
    view = demo.lookup.case_file(opinion_id).opinion
    expected_keys = [*view.to_json(), "last_note"]
    assert all(list(item) == expected_keys for item in items)
    [item] = [i for i in items if i["id"] == opinion_id]
    assert item["answered_at"] == "2026-10-31T14:03:00-03:00"
    assert item["last_note"] == "ligar amanhã"
    assert item["class"] == "detractor"
    assert item["status"] == "in_treatment"
    assert item["email"] == "j-1@example.com"
    assert "ligar amanhã" in text  # ensure_ascii=False
    other = view.to_json()
    for key in ("id", "external_id", "score", "class", "deadline", "priority", "followers"):
        assert item[key] == other[key]


def test_json_is_written_one_object_a_line(demo: Services, out_dir: Path) -> None:
    out = out_dir / "o.json"
    count = export_opinions(demo, out, filters=ExportFilter(statuses=("in_treatment",)))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "["
    assert lines[-1] == "]"
    assert len(lines) == count + 2


# -- empty selections --------------------------------------------------------------------

NOTHING = ExportFilter(period=Period(date(2020, 1, 1), date(2020, 12, 31)))


def test_an_empty_selection_writes_just_the_header(demo: Services, out_dir: Path) -> None:
    csv_out, json_out, xlsx_out = (out_dir / f"o.{fmt}" for fmt in ("csv", "json", "xlsx"))
    assert export_opinions(demo, csv_out, filters=NOTHING) == 0
    assert csv_out.read_bytes() == BOM + ";".join(HEADERS).encode() + b"\r\n"
    assert export_opinions(demo, json_out, filters=NOTHING) == 0
    assert json.loads(json_out.read_bytes()) == []
    assert json_out.read_text().strip() == "[]"
    assert export_opinions(demo, xlsx_out, filters=NOTHING) == 0
    assert xlsx_rows(xlsx_out) == [HEADERS]


def test_an_empty_store_exports_nothing(services: Services, out_dir: Path) -> None:
    out = out_dir / "o.json"
    assert export_opinions(services, out) == 0
    assert json.loads(out.read_bytes()) == []


# -- files -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_a_failed_export_leaves_no_partial_file(
    demo: Services, out_dir: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    real = exports.iter_export_rows

    def failing(*args: Any, **kwargs: Any) -> Iterator[exports.ExportRow]:
        for number, row in enumerate(real(*args, **kwargs)):
            if number == 50:
                raise RuntimeError("disk on fire")
            yield row

    monkeypatch.setattr(exports, "iter_export_rows", failing)
    out = out_dir / f"o.{fmt}"
    with pytest.raises(RuntimeError, match="disk on fire"):
        export_opinions(demo, out)
    assert list(out_dir.iterdir()) == []
    out.write_bytes(b"previous export")
    with pytest.raises(RuntimeError):
        export_opinions(demo, out)
    assert list(out_dir.iterdir()) == [out]
    assert out.read_bytes() == b"previous export"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_the_file_is_readable_by_its_owner_only(demo: Services, out_dir: Path, fmt: str) -> None:
    out = out_dir / f"o.{fmt}"
    out.write_bytes(b"old")
    out.chmod(0o644)
    export_opinions(demo, out, filters=ExportFilter(statuses=("in_treatment",)))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(out_dir.iterdir()) == [out]


def test_a_missing_directory_is_an_os_error(demo: Services, out_dir: Path) -> None:
    with pytest.raises(OSError, match="No such file"):
        export_opinions(demo, out_dir / "nao-existe" / "o.csv")
