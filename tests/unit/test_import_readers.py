"""Readers: the files analysts really have, streamed, with the line where each record starts."""

from __future__ import annotations

import codecs
import itertools
import json
import pickle
import tracemalloc
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from npsdesk.importers.readers import (
    FIELD_SIZE_LIMIT,
    ImportFileError,
    Record,
    Table,
    open_table,
)

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "import"
DEMO = Path(__file__).resolve().parent.parent.parent / "data" / "demo"
TRACK_HEADERS = (
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
)
JSON_KEYS = (
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
)


def read(path: Path, **options: str) -> tuple[Table, list[Record]]:
    with open_table(path, **options) as table:
        return table, list(table.records)


def by_id(records: list[Record]) -> dict[object, Record]:
    return {record.values[0]: record for record in records if record.values}


# -- every sample opens as what it is -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "encoding", "delimiter", "first_header", "width", "count"),
    [
        ("track_cp1252.csv", "csv", "cp1252", ";", "ID da resposta", 14, 23),
        ("wehelp_utf8_bom.csv", "csv", "utf-8-sig", ",", "Código", 13, 12),
        ("customers_feed.csv", "csv", "utf-8", ";", "cnpj", 9, 15),
        ("tab_separated.tsv", "csv", "utf-8", "\t", "ID da resposta", 14, 5),
        ("cp1250_trap.csv", "csv", "cp1252", ";", "cnpj", 4, 8),
        ("only_header.csv", "csv", "utf-8", ";", "ID da resposta", 14, 0),
        ("responses.xlsx", "xlsx", None, None, "ID da resposta", 14, 10),
        ("responses.json", "json", "utf-8", None, "external_id", 15, 10),
        ("responses.jsonl", "jsonl", "utf-8", None, "external_id", 15, 11),
    ],
)
def test_samples_open_as_what_they_are(
    name: str,
    fmt: str,
    encoding: str | None,
    delimiter: str | None,
    first_header: str,
    width: int,
    count: int,
) -> None:
    table, records = read(SAMPLES / name)
    assert table.path == SAMPLES / name
    assert (table.format, table.encoding, table.delimiter) == (fmt, encoding, delimiter)
    assert table.headers[0] == first_header
    assert len(table.headers) == width
    assert len(records) == count
    lines = [record.line for record in records]
    assert lines == sorted(set(lines)), "records come in file order, one per start line"


def test_sheet_is_only_for_xlsx() -> None:
    table, _ = read(SAMPLES / "responses.xlsx")
    assert table.sheet == "Respostas"
    table, _ = read(SAMPLES / "track_cp1252.csv", sheet="Resumo")  # ignored
    assert table.sheet is None


# -- CSV: physical lines ------------------------------------------------------------------


def test_track_headers_and_start_lines() -> None:
    table, records = read(SAMPLES / "track_cp1252.csv")
    assert table.headers == TRACK_HEADERS
    # TRK-200104's comment spans lines 5-8 (bare LF, with an empty line inside); line 26 is
    # only ";" and is skipped; TRK-200122's comment holds a CRLF (lines 27-28).
    assert [r.line for r in records] == [2, 3, 4, 5, *range(9, 26), 27, 29]


def test_record_after_a_multiline_comment_starts_where_it_starts() -> None:
    _, records = read(SAMPLES / "track_cp1252.csv")
    rows = by_id(records)
    multiline = rows["TRK-200104"]
    assert multiline.line == 5
    assert multiline.values[4] == (
        "No geral estou satisfeito.\nSó sugiro melhorar o relatório de comissões."
        "\n\nE a impressão do cupom trava às vezes."
    )
    assert rows["TRK-200105"].line == 9
    assert rows["TRK-200122"].values[4] == "Ótimo!\r\nLinha quebrada com CRLF dentro das aspas."
    assert rows["TRK-200123"].line == 29


def test_raw_is_the_record_text_without_its_line_ending() -> None:
    _, records = read(SAMPLES / "track_cp1252.csv")
    rows = by_id(records)
    raw = rows["TRK-200104"].raw
    assert raw.startswith('TRK-200104;03/10/2026 08:00;04/10/2026 11:20;7;"No geral')
    assert raw.count("\n") == 3
    assert raw.endswith(";Postos;NPS Outubro 2026;Não")
    assert rows["TRK-200101"].raw == ";".join(str(v) for v in rows["TRK-200101"].values)
    assert not any(r.raw.endswith(("\r", "\n")) for r in records)


def test_short_and_long_rows_are_kept_short_and_long() -> None:
    _, records = read(SAMPLES / "track_cp1252.csv")
    rows = by_id(records)
    assert rows["TRK-200119"].values == (
        "TRK-200119",
        "10/10/2026 09:00",
        "13/10/2026 11:02",
        "8",
        "Bom",
    )
    assert len(rows["TRK-200121"].values) == 15
    assert rows["TRK-200121"].values[4:6] == ("Bom", " mas caro")
    assert all(
        len(r.values) == 14 for r in records if r.values[0] not in ("TRK-200119", "TRK-200121")
    )


def test_cells_are_verbatim_strings() -> None:
    _, records = read(SAMPLES / "track_cp1252.csv")
    rows = by_id(records)
    assert [rows[f"TRK-20010{i}"].values[3] for i in (1, 2, 3)] == ["9", "9,0", "10.0"]
    assert rows["TRK-200103"].values[2] == "03/10/2026 16:05:42"
    assert rows["TRK-200105"].values[4] == (
        "[@click=app.quit]x[/] [link='https://e.example']y[/link]"
    )
    assert rows["TRK-200106"].values[5] == '=HYPERLINK("http://x","clique")'
    assert rows["TRK-200107"].values[5] == "@SUM(A1)"
    assert rows["TRK-200108"].values[5] == "+55 11 9999"
    assert rows["TRK-200114"].values[3] == ""


def test_cp1252_curly_quotes_and_accents() -> None:
    _, records = read(SAMPLES / "track_cp1252.csv")
    rows = by_id(records)
    assert rows["TRK-200107"].values[4] == (
        "“Excelente” – o ‘suporte’ resolveu tudo na mesma ligação…"
    )
    assert rows["TRK-200116"].values[5] == "João Batista"


def test_cp1250_trap_decodes_as_cp1252() -> None:
    table, records = read(SAMPLES / "cp1250_trap.csv")
    assert table.encoding == "cp1252"
    names = [r.values[2] for r in records]
    assert names[:2] == ["João Conceição", "Conceição Gonçalves"]
    assert not any("ă" in str(name) for name in names)


def test_bom_is_not_part_of_the_first_header() -> None:
    table, _ = read(SAMPLES / "wehelp_utf8_bom.csv")
    assert table.headers == (
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
    )
    # --encoding utf-8 on a BOM file: the BOM is read as text, and still dropped
    table, _ = read(SAMPLES / "wehelp_utf8_bom.csv", encoding="utf-8")
    assert table.headers[0] == "Código"
    assert table.encoding == "utf-8"


def test_wehelp_escape_string_and_duplicate_are_passed_through() -> None:
    _, records = read(SAMPLES / "wehelp_utf8_bom.csv")
    rows = by_id(records)
    assert rows["84215"].values[9] == "Ótimo sistema\x1b]52;c;ZXZpbA==\x07\x1b[2J"
    assert rows["84216"].values[9] == "Relatórios claros.\nSuporte rápido."
    assert rows["84213"].values[10] == "2026-10-31T14:03:00-03:00"
    duplicates = [r for r in records if r.values[0] == "84218"]
    assert [r.line for r in duplicates] == [8, 10]
    assert duplicates[0].values == duplicates[1].values


def test_demo_export_lines_follow_the_record_texts() -> None:
    """Every record of the demo export starts one line after the previous one ended."""
    table, records = read(DEMO / "respostas.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert len(records) > 400
    assert records[0].line == 2
    for before, after in itertools.pairwise(records):
        assert after.line == before.line + before.raw.count("\n") + 1
    assert any("\n" in r.raw for r in records)
    assert all(len(r.values) == len(table.headers) for r in records)


# -- encodings ----------------------------------------------------------------------------


def test_encoding_override() -> None:
    with pytest.raises(ImportFileError, match=r"cannot decode as utf-8 \(line 1\)"):
        read(SAMPLES / "track_cp1252.csv", encoding="utf-8")
    table, records = read(SAMPLES / "track_cp1252.csv", encoding="latin-1")
    assert table.encoding == "latin-1"
    assert table.headers == TRACK_HEADERS
    # latin-1 turns the curly quotes into C1 controls: why cp1252 is the default fallback
    assert str(by_id(records)["TRK-200107"].values[4]).startswith("\x93Excelente\x94")


def test_unknown_encoding_name() -> None:
    with pytest.raises(ImportFileError, match="unknown encoding 'klingon'"):
        read(SAMPLES / "track_cp1252.csv", encoding="klingon")


def test_undecodable_file_asks_for_an_encoding() -> None:
    with pytest.raises(ImportFileError) as caught:
        read(SAMPLES / "undecodable.csv")
    assert str(caught.value) == (
        f"{SAMPLES / 'undecodable.csv'}: cannot decode as UTF-8 or cp1252 "
        "(byte 0x81 at line 2): use --encoding"
    )
    _, records = read(SAMPLES / "undecodable.csv", encoding="latin-1")
    assert records[0].values[1] == "João \x81\x8d Conceição"


def test_utf8_is_checked_over_the_whole_file(tmp_path: Path) -> None:
    """A cp1252 byte far past the first chunk still makes the file cp1252."""
    path = tmp_path / "late.csv"
    body = "".join(f"{i};Maria;maria{i}@gmail.com\n" for i in range(20_000))
    path.write_bytes(("id;nome;email\n" + body).encode() + "999;João;j@x.com\n".encode("cp1252"))
    assert path.stat().st_size > 3 * (1 << 17)
    table, records = read(path)
    assert table.encoding == "cp1252"
    assert records[-1].values[1] == "João"
    assert records[-1].line == 20_002


def test_utf16_with_bom(tmp_path: Path) -> None:
    """Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated."""
    path = tmp_path / "unicode.txt"
    path.write_bytes(
        codecs.BOM_UTF16_LE + "Nome\tNota\r\nJoão\t9\r\nConceição\t10\r\n".encode("utf-16-le")
    )
    table, records = read(path)
    assert (table.encoding, table.delimiter, table.headers) == ("utf-16", "\t", ("Nome", "Nota"))
    assert [(r.line, r.values) for r in records] == [(2, ("João", "9")), (3, ("Conceição", "10"))]
    assert table.progress() == (path.stat().st_size, path.stat().st_size)


# -- CSV: delimiters, headers, odd records ------------------------------------------------


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("a;b;c", ";"),
        ("a,b,c", ","),
        ("a\tb\tc", "\t"),
        ("a;b,c", ";"),  # a tie goes to ";"
        ('"Nota; 0 a 10",Nome,Email', ","),  # delimiters inside quotes do not count
        ('"Comentário, livre";Nome;Email,Celular', ";"),
        ("nome", ";"),
    ],
)
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, header: str, delimiter: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f"{header}\n", encoding="utf-8")
    table, _ = read(path)
    assert table.delimiter == delimiter


def test_tsv_with_one_column_is_tab(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("nome\nJoão, Maria\n", encoding="utf-8")
    table, records = read(path)
    assert table.delimiter == "\t"
    assert records[0].values == ("João, Maria",)


def test_excel_sep_line(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=,\r\nNome,Nota;extra\r\nAna,9;x\r\n", encoding="utf-8")
    table, records = read(path)
    assert table.delimiter == ","
    assert table.headers == ("Nome", "Nota;extra")
    assert [(r.line, r.values) for r in records] == [(3, ("Ana", "9;x"))]


def test_blank_lines_and_empty_header_cells(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text(
        "\r\n ; ;\r\nNome; ;Nota;;\r\nAna;x;9;;\r\n\r\n;;;;\r\nBia;;10\r\nCaio;;7;;z\r\n",
        encoding="utf-8",
    )
    table, records = read(path)
    assert table.headers == ("Nome", "column_2", "Nota")  # trailing empty cells dropped
    assert [(r.line, r.values) for r in records] == [
        (4, ("Ana", "x", "9")),  # empty cells past the last header are not a long row
        (7, ("Bia", "", "10")),
        (8, ("Caio", "", "7", "", "z")),
    ]


def test_only_blank_lines_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n\n;;;\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no header row"):
        read(path)


def test_nul_byte_does_not_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Nome;Nota\nAna\x00;9\nBia;10\n")
    _, records = read(path)
    assert [(r.line, r.values) for r in records] == [(2, ("Ana\x00", "9")), (3, ("Bia", "10"))]


def test_a_runaway_field_is_an_unreadable_record(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    huge = "x" * (FIELD_SIZE_LIMIT + 10)
    path.write_text(f"Nome;Comentário\nAna;{huge}\nBia;ok\n", encoding="utf-8")
    _, records = read(path)
    assert records[0].line == 2
    assert records[0].values == ()
    assert records[0].error is not None
    assert "more than 1,048,576 characters" in records[0].error
    assert records[0].reason == "too_long"
    assert records[0].raw.startswith("Ana;xxx")
    assert len(records[0].raw) < 3000
    assert [(r.line, r.values, r.error) for r in records[1:]] == [(3, ("Bia", "ok"), None)]


def test_a_long_comment_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    comment = "Texto longo; com quebras\n" * 20_000  # ~500 KB, over the csv default limit
    path.write_text(f'Nome;Comentário\nAna;"{comment}"\nBia;ok\n', encoding="utf-8")
    _, records = read(path)
    assert records[0].values == ("Ana", comment)
    assert records[1].line == 2 + 20_000 + 1


def test_old_mac_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"Nome;Nota\rAna;9\rBia;10\r")
    _, records = read(path)
    assert [(r.line, r.values) for r in records] == [(2, ("Ana", "9")), (3, ("Bia", "10"))]


# -- progress -----------------------------------------------------------------------------


def test_progress_moves_to_the_end_for_csv() -> None:
    path = SAMPLES / "track_cp1252.csv"
    total = path.stat().st_size
    with open_table(path) as table:
        done, size = table.progress()
        assert size == total
        assert 0 < done < 200  # the header line has been read
        seen = [table.progress()[0] for _ in table.records]
        assert seen == sorted(seen)
        assert seen[0] < total // 4
        assert table.progress() == (total, total)


def test_progress_for_json_and_xlsx() -> None:
    for name in ("responses.json", "responses.jsonl"):
        path = SAMPLES / name
        total = path.stat().st_size
        with open_table(path) as table:
            assert table.progress() == (0, total)
            for _ in table.records:
                pass
            assert table.progress() == (total, total)
    with open_table(SAMPLES / "responses.xlsx") as table:
        assert table.progress() == (1, 12)
        for _ in table.records:
            pass
        assert table.progress() == (12, 12)


# -- XLSX ---------------------------------------------------------------------------------


def test_xlsx_native_cells_and_sheet_rows() -> None:
    table, records = read(SAMPLES / "responses.xlsx")
    assert table.headers == TRACK_HEADERS
    assert table.encoding is None
    assert [r.line for r in records] == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12]  # row 8 is empty
    first = records[0]
    assert first.values[:4] == (101, datetime(2026, 10, 1, 9, 12), datetime(2026, 10, 1, 10, 47), 9)
    assert isinstance(first.values[1], datetime)
    assert first.values[8] == "45.997.418/0001-53"
    assert records[1].values[3] == 9  # 9.0 with format 0.0: the file stores 9
    assert records[1].values[8] == "07384021000105"  # text, not a number
    assert records[2].values[2] == datetime(2026, 10, 3, 16, 5, 42)
    assert records[2].values[4] == "Implantação rápida.\nObrigado, Ana!"
    assert records[3].values[5] == '=HYPERLINK("http://x","clique")'
    assert records[6].values[2] == "31/02/2026 10:12"
    last = records[-1]
    assert len(last.values) == 14  # trailing cells Excel did not store are None
    assert last.values[4] is None
    assert last.values[11:] == (None, None, None)
    assert last.raw == (
        "110;2026-10-06 08:45:00;2026-10-08 10:02:00;5;;Célia Araújo;;41 98402-7731;"
        "12ABC34501DE35;Ótica Visão Clara Ltda;Durasoft Varejo"
    )


def test_xlsx_second_sheet_is_selectable_ignoring_case() -> None:
    table, records = read(SAMPLES / "responses.xlsx", sheet="resumo")
    assert table.sheet == "Resumo"
    assert table.headers == ("Indicador", "Valor")
    assert [(r.line, r.values) for r in records] == [
        (2, ("Respostas", 10)),
        (3, ("NPS", 20)),
        (4, ("Gerado em", datetime(2026, 10, 9, 8, 0))),
    ]
    table, _ = read(SAMPLES / "responses.xlsx", sheet=" RESPOSTAS ")
    assert table.sheet == "Respostas"


def test_xlsx_unknown_sheet_lists_the_sheets() -> None:
    with pytest.raises(
        ImportFileError, match=r"sheet 'Planilha1' not found \(sheets: Respostas, Resumo\)"
    ):
        read(SAMPLES / "responses.xlsx", sheet="Planilha1")


def test_xlsx_header_is_the_first_non_empty_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"] = "Nome"
    sheet["C3"] = "Nota"
    sheet["B4"] = "Ana"
    sheet["C4"] = 9
    sheet["B6"] = "  "
    sheet["C7"] = 10
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    table, records = read(path)
    assert table.headers == ("column_1", "Nome", "Nota")
    assert [(r.line, r.values) for r in records] == [(4, (None, "Ana", 9)), (7, (None, None, 10))]


def test_xlsx_by_content_and_broken_workbooks(tmp_path: Path) -> None:
    renamed = tmp_path / "export.dat"
    renamed.write_bytes((SAMPLES / "responses.xlsx").read_bytes())
    table, records = read(renamed)
    assert (table.format, len(records)) == ("xlsx", 10)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError, match="not a valid XLSX file"):
        read(broken)
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes((SAMPLES / "old_excel.xls").read_bytes())
    with pytest.raises(ImportFileError, match="password-protected"):
        read(locked)


# -- JSON ---------------------------------------------------------------------------------


def test_json_array_records() -> None:
    table, records = read(SAMPLES / "responses.json")
    assert table.headers == JSON_KEYS
    assert [r.line for r in records] == list(range(2, 2 + 17 * 10, 17))
    first = dict(zip(JSON_KEYS, records[0].values, strict=True))
    assert first["score"] == 10
    assert first["answered_at"] == "2026-10-31T14:03:00-03:00"
    assert first["internal"] is False
    assert records[1].values[2] == 9.0
    assert records[3].values[7] is None  # null e-mail
    assert records[5].values[-1] is True
    original = json.loads((SAMPLES / "responses.json").read_text(encoding="utf-8"))
    assert [json.loads(r.raw) for r in records] == original
    assert "\n" not in records[0].raw
    assert "ç" in records[0].raw  # not \u00e7


def test_jsonl_records_and_the_bad_line() -> None:
    table, records = read(SAMPLES / "responses.jsonl")
    assert table.headers == JSON_KEYS
    assert [r.line for r in records] == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]
    bad = records[4]
    assert (bad.line, bad.values, bad.raw) == (5, (), "not json")
    assert bad.error is not None
    assert bad.error.startswith("invalid JSON")
    good = [r for r in records if r.error is None]
    _, array = read(SAMPLES / "responses.json")
    assert [r.values for r in good] == [r.values for r in array]


def test_json_headers_grow_with_keys_seen_later(tmp_path: Path) -> None:
    objects = [
        {"score": 9, "email": "ana@gmail.com"},
        {"score": 7, "comment": "bom", "extra": {"a": [1, 2]}},
        {"email": "bia@gmail.com", "tags": ["x", "ç"]},
    ]
    array = tmp_path / "a.json"
    array.write_text(json.dumps(objects, indent=1), encoding="utf-8")
    lines = tmp_path / "a.jsonl"
    lines.write_text("\n".join(json.dumps(o) for o in objects) + "\n[1]\n", encoding="utf-8")
    for path in (array, lines):
        table, records = read(path)
        assert table.headers == ("score", "email", "comment", "extra", "tags")
        assert records[0].values == (9, "ana@gmail.com", None, None, None)
        assert records[1].values == (7, None, "bom", '{"a":[1,2]}', None)
        assert records[2].values == (None, "bia@gmail.com", None, None, '["x","ç"]')
    assert read(lines)[1][3] == Record(4, (), "[1]", "not a JSON object")


def test_json_or_json_lines_by_content(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"score": 9}\n\n{"score": 10}\n', encoding="utf-8")
    table, records = read(path)
    assert table.format == "jsonl"
    assert [(r.line, r.values) for r in records] == [(1, (9,)), (3, (10,))]
    sniffed = tmp_path / "export"
    sniffed.write_text('\n  [{"score": 9},\n   {"score": 10}]', encoding="utf-8")
    table, records = read(sniffed)
    assert table.format == "json"
    assert [(r.line, r.values) for r in records] == [(2, (9,)), (3, (10,))]
    one = tmp_path / "one.jsonl"
    one.write_text('{"score": 9}', encoding="utf-8")
    table, records = read(one)
    assert (table.format, len(records)) == ("jsonl", 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[\n  {"a": 1},\n  {"a": 2,}\n]', "invalid JSON at line 3: "),
        ('[{"a": 1}', "invalid JSON at line 1: the array is not closed"),
        ('[{"a": 1}] x', "invalid JSON at line 1: extra data after the array"),
        ("[]", "the JSON array is empty"),
        ("[1, 2]", "no objects"),
        ('"text"', "the top level is a str, not an array of objects"),
        ('{\n "data": [{"a": 1}]\n}', "the top level is an object"),
        ("  \n ", "empty file"),
    ],
)
def test_json_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# -- files that cannot be read ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.csv", "empty file"),
        (
            "old_excel.xls",
            "old Excel format (.xls) is not supported: "
            "open it in Excel and save it as .xlsx or CSV",
        ),
        (
            "not_a_table.json",
            "the top level is an object, not an array of objects (or one object per line)",
        ),
        (
            "undecodable.csv",
            "cannot decode as UTF-8 or cp1252 (byte 0x81 at line 2): use --encoding",
        ),
        ("missing.csv", "file not found"),
    ],
)
def test_unreadable_samples(name: str, reason: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        read(SAMPLES / name)
    assert caught.value.path == SAMPLES / name
    assert caught.value.reason == reason
    assert str(caught.value) == f"{SAMPLES / name}: {reason}"


def test_binary_junk_and_directories(tmp_path: Path) -> None:
    junk = tmp_path / "photo.bin"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ImportFileError, match="not a CSV, XLSX or JSON file"):
        read(junk)
    ole = tmp_path / "planilha"
    ole.write_bytes((SAMPLES / "old_excel.xls").read_bytes())
    with pytest.raises(ImportFileError, match=r"save it as \.xlsx or CSV"):
        read(ole)
    with pytest.raises(ImportFileError, match="is a directory"):
        read(tmp_path)
    document = tmp_path / "contrato"
    document.write_bytes(b"PK\x03\x04" + bytes(100))  # a zip, not a workbook
    with pytest.raises(ImportFileError, match="not a CSV, XLSX or JSON file"):
        read(document)
    for name, reason in [
        ("relatorio.pdf", "not a CSV, XLSX or JSON file"),
        ("planilha.ods", r".ods spreadsheets are not supported: save it as \.xlsx or CSV"),
    ]:
        path = tmp_path / name
        path.write_bytes(b"whatever")
        with pytest.raises(ImportFileError, match=reason):
            read(path)


def test_import_file_error() -> None:
    error = ImportFileError.about(Path("x.csv"), "empty file")
    assert (error.path, error.reason, str(error)) == (
        Path("x.csv"),
        "empty file",
        "x.csv: empty file",
    )
    again = pickle.loads(pickle.dumps(error))
    assert (again.path, again.reason, str(again)) == (error.path, error.reason, str(error))
    plain = ImportFileError("x.csv: no score column")  # how callers raise their own
    assert (plain.path, plain.reason, str(plain)) == (None, None, "x.csv: no score column")


# -- the README's bad rows are where it says ----------------------------------------------


def readme_rows(section: str) -> Iterator[list[str]]:
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    for line in body.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| `"):
            yield cells


def test_readme_bad_rows_start_where_it_says() -> None:
    expected: dict[str, list[tuple[int, str]]] = {}
    for cells in readme_rows("Bad rows"):
        name, line, reason = cells[0].strip("`"), int(cells[1]), cells[2]
        expected.setdefault(name, []).append((line, reason))
    assert sorted(expected) == [
        "customers_feed.csv",
        "responses.jsonl",
        "responses.xlsx",
        "track_cp1252.csv",
    ]
    assert sorted(reason for _, reason in expected["track_cp1252.csv"]) == sorted(
        [
            "invalid_score",
            "invalid_score",
            "missing_score",
            "invalid_date",
            "invalid_email",
            "invalid_cnpj",
            "no_contact",
            "short_row",
            "invalid_phone",
            "long_row",
        ]
    )
    for name, rows in expected.items():
        table, records = read(SAMPLES / name)
        at = {r.line: r for r in records}
        for line, reason in rows:
            assert line in at, (name, line)
            record = at[line]
            if reason == "short_row":
                assert len(record.values) < len(table.headers)
            elif reason == "long_row":
                assert len(record.values) > len(table.headers)
            else:
                assert len(record.values) == len(table.headers)


def test_readme_duplicates() -> None:
    rows = list(readme_rows("Duplicates"))
    assert [row[0] for row in rows] == ["`wehelp_utf8_bom.csv`"]
    lines = [int(n) for n in rows[0][1].split(",")]
    _, records = read(SAMPLES / "wehelp_utf8_bom.csv")
    at = {r.line: r for r in records}
    assert at[lines[0]].values == at[lines[1]].values


def test_sample_cnpjs_in_good_rows_are_valid() -> None:
    from npsdesk.domain.cnpj import is_valid_cnpj

    _, records = read(SAMPLES / "customers_feed.csv")
    valid = [is_valid_cnpj(str(r.values[0])) for r in records]
    assert valid.count(False) == 1
    assert not valid[9]  # line 11


# -- streaming ----------------------------------------------------------------------------


def test_a_large_csv_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "large.csv"
    rows = 40_000
    pad = "x" * 300
    with path.open("w", encoding="cp1252", newline="") as f:
        f.write(";".join(TRACK_HEADERS) + "\r\n")
        for i in range(rows):
            f.write(
                f'TRK-{i};01/10/2026 09:12;01/10/2026 10:47;9;"Bom; “ótimo”.\n{pad}";'
                f"João Simões;joao{i}@gmail.com;(11) 98765-4321;45.997.418/0001-53;"
                "Padaria Estrela Ltda;Durasoft Food;Food;NPS Outubro 2026;Não\r\n"
            )
    size = path.stat().st_size
    assert size > 15_000_000
    tracemalloc.start()
    try:
        with open_table(path) as table:
            count = 0
            last = None
            for record in table.records:
                count += 1
                last = record
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert table.encoding == "cp1252"
    assert count == rows
    assert last is not None
    assert last.line == 2 + 2 * (rows - 1)
    assert peak < 4_000_000, f"peak {peak} bytes: the file ({size} bytes) is not streamed"


# -- limits -------------------------------------------------------------------------------


def traced(path: Path) -> tuple[list[Record] | ImportFileError, int]:
    """The records of `path` (or why it cannot be read) and the peak memory reading it took."""
    result: list[Record] | ImportFileError
    tracemalloc.start()
    try:
        try:
            result = read(path)[1]
        except ImportFileError as error:
            result = error
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_a_file_that_is_one_long_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "oneline.csv"
    path.write_bytes(b"a;" * 10_000_000)
    result, peak = traced(path)
    assert isinstance(result, ImportFileError)
    assert str(result) == f"{path}: line 1: record of more than 1,048,576 characters"
    assert peak < 12_000_000, f"peak {peak} bytes for a 20 MB line"


def test_a_huge_field_is_one_too_long_record_and_the_rest_reads(tmp_path: Path) -> None:
    path = tmp_path / "bigfield.csv"
    rows = ["Nome;Nota;Comentário", "João;9;ótimo", "Zé;7;" + "x" * 20_000_000, "Bia;10;boa"]
    path.write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    result, peak = traced(path)
    assert not isinstance(result, ImportFileError)
    assert [(r.line, r.values, r.reason) for r in result if r.error is None] == [
        (2, ("João", "9", "ótimo"), "short_row"),
        (4, ("Bia", "10", "boa"), "short_row"),
    ]
    bad = result[1]
    assert (bad.line, bad.values, bad.reason) == (3, (), "too_long")
    assert bad.error == "record of more than 1,048,576 characters"
    assert bad.raw.startswith("Zé;7;xxx")
    assert len(bad.raw) < 5000
    assert peak < 12_000_000, f"peak {peak} bytes for a 20 MB field"


def test_a_quote_left_open_stops_at_the_record_limit(tmp_path: Path) -> None:
    path = tmp_path / "open_quote.csv"
    lines = ["Nome;Comentário", 'Ana;"começa e não fecha'] + ["linha curta"] * 200_000
    path.write_text("\n".join([*lines, 'Bia;"fim"', ""]), encoding="utf-8")
    _, records = read(path)
    assert records[0].reason == "too_long"
    assert records[0].line == 2
    assert all(len(r.raw) <= 1 << 20 for r in records)


def test_a_header_over_the_column_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(";".join(f"c{i}" for i in range(20_000)) + "\n1\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="20,000 columns: over the limit of 16,384"):
        read(path)


def test_json_nested_too_deeply_is_one_error_line(tmp_path: Path) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    array = tmp_path / "deep.json"
    array.write_text(deep, encoding="utf-8")
    with pytest.raises(ImportFileError) as raised:
        read(array)
    assert str(raised.value) == f"{array}: invalid JSON at line 1: nested too deeply"
    inner = tmp_path / "inner.json"
    inner.write_text(f'[{{"Nota": 9}},\n{{"Nota": {deep}}}]', encoding="utf-8")
    with pytest.raises(ImportFileError, match="line 2: nested too deeply"):
        read(inner)


def test_json_lines_nested_too_deeply_or_too_long_are_single_bad_records(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text(
        '{"Nota": 9}\n'
        f'{{"Nota": {"[" * 10_000}{"]" * 10_000}}}\n'
        f'{{"Nota": "{"x" * 3_000_000}"}}\n'
        '{"Nota": 7}\n',
        encoding="utf-8",
    )
    _, records = read(path)
    assert [(r.line, r.values, r.error, r.reason) for r in records] == [
        (1, (9,), None, "short_row"),
        (2, (), "invalid JSON: nested too deeply", "short_row"),
        (3, (), "record of more than 1,048,576 characters", "too_long"),
        (4, (7,), None, "short_row"),
    ]


def test_a_large_json_array_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    item = dict.fromkeys(JSON_KEYS, "ação " * 80)
    with path.open("w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps({**item, "external_id": f"J-{i}"}) for i in range(3_000)))
        f.write("\n]\n")
    assert path.stat().st_size > 15_000_000
    tracemalloc.start()
    try:
        with open_table(path) as table:
            lines = [record.line for record in itertools.islice(table.records, 2)]
            count = 2 + sum(1 for _ in table.records)
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (lines, count) == ([2, 3], 3_000)
    assert peak < 6_000_000, f"peak {peak} bytes: the JSON array is not streamed"


def test_a_json_element_over_the_limit_makes_the_file_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(
        f'[{{"Nota": 9}},\n\n{{"Nota": 7, "Comentário": "{"x" * 3_000_000}"}}]', encoding="utf-8"
    )
    with pytest.raises(ImportFileError) as raised:
        read(path)
    assert str(raised.value) == (
        f"{path}: the JSON value at line 3 holds more than 1,048,576 characters"
    )


def test_json_with_too_many_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.jsonl"
    path.write_text(
        "\n".join(json.dumps({f"k{i}_{j}": 1 for j in range(1000)}) for i in range(20)),
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError, match="more than 16,384 distinct keys"):
        read(path)


def hostile_workbook(path: Path, part: str, xml: bytes) -> Path:
    """A workbook openpyxl wrote, with one of its parts replaced by `xml`."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Nome", "Nota"])
    workbook.active.append(["Ana", 9])
    plain = path.with_suffix(".plain.xlsx")
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, xml if info.filename == part else source.read(info))
        if part not in source.namelist():
            out.writestr(part, xml)
    return path


SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(*rows: bytes) -> bytes:
    """Sheet XML without a <dimension> element, as some tools write it."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nome</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Nota</t></is></c></row>'
        + b"".join(rows)
        + b"</sheetData></worksheet>"
    )


def test_an_xlsx_cell_that_inflates_past_the_limit_is_refused_before_reading(
    tmp_path: Path,
) -> None:
    cell = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"y" * 30_000_000 + b"</t></is></c></row>"
    )
    path = hostile_workbook(tmp_path / "cell.xlsx", SHEET, sheet_xml(cell))
    assert path.stat().st_size < 1_000_000
    result, peak = traced(path)
    assert isinstance(result, ImportFileError)
    assert str(result) == (
        f"{path}: sheet 'Sheet', row 2: a cell of more than 1,048,576 bytes; save the sheet as CSV"
    )
    assert peak < 12_000_000, f"peak {peak} bytes for a 30 MB cell"


def test_an_xlsx_row_past_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    cells = b'<c t="inlineStr"><is><t>y</t></is></c>' * 400_000
    rows = b'<row r="2"><c><v>9</v></c></row><row r="3">' + cells + b"</row>"
    path = hostile_workbook(tmp_path / "row.xlsx", SHEET, sheet_xml(rows))
    result, peak = traced(path)
    assert isinstance(result, ImportFileError)
    assert "sheet 'Sheet', row 3: more than 2,097,152 bytes of cells" in str(result)
    assert peak < 12_000_000, f"peak {peak} bytes for a 15 MB row"


def test_xlsx_shared_strings_past_the_limit_are_refused(tmp_path: Path) -> None:
    strings = b"<sst>" + b"<si><t>abcdefgh</t></si>" * 3_000_000 + b"</sst>"
    path = hostile_workbook(tmp_path / "strings.xlsx", "xl/sharedStrings.xml", strings)
    with pytest.raises(ImportFileError) as raised:
        read(path)
    assert str(raised.value) == (
        f"{path}: xl/sharedStrings.xml inflates to 72,000,011 bytes: over the limit of "
        "67,108,864; save the sheet as CSV"
    )


def test_an_xlsx_sheet_without_dimensions_reads_every_row(tmp_path: Path) -> None:
    rows = b"".join(
        b'<row r="%d"><c t="inlineStr"><is><t>N%d</t></is></c><c><v>9</v></c></row>' % (i, i)
        for i in range(2, 1002)
    )
    path = hostile_workbook(tmp_path / "nodim.xlsx", SHEET, sheet_xml(rows))
    with open_table(path) as table:
        records = list(table.records)
        assert table.progress() == (1001, 1001)
    assert (len(records), records[-1].line, records[-1].values) == (1000, 1001, ("N1001", 9))
