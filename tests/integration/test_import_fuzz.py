"""Random bytes and control characters at every importer: no crash, nothing unsafe stored."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npsdesk.bootstrap import Services
from npsdesk.importers.readers import ImportFileError
from npsdesk.importers.sync import Importer

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab/newline, DEL, C1 (ESC too)
NASTY = st.sampled_from(
    [
        "\x1b]52;c;ZXZpbA==\x07",
        "\x1b[2J",
        "\x9b31m",
        "\x00",
        "\r",
        "\x7f",
        "[@click=app.quit]x[/]",
        '"',
        ";",
        "\n",
        "=cmd|' /C calc'!A0",
        "\u202e",
        "\ufeff",
    ]
)
CELL = st.lists(st.one_of(st.text(max_size=12), NASTY), max_size=4).map("".join)
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
counter = itertools.count()


def stored_text(services: Services) -> list[str]:
    with services.db.read() as conn:
        rows = conn.execute(
            "SELECT name, email, company, product, vertical, state FROM respondent "
            "UNION ALL SELECT comment, campaign, external_id, source, NULL, NULL FROM opinion"
        ).fetchall()
    return [value for row in rows for value in row if isinstance(value, str)]


def import_quietly(services: Services, path: Path) -> None:
    with contextlib.suppress(ImportFileError):  # one clear error for an unreadable file
        Importer(services).run(path)


@FUZZ
@given(st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1, max_size=6))
def test_csv_cells_with_control_characters(
    services: Services, tmp_path: Path, rows: list[tuple[str, str, str, str]]
) -> None:
    lines = ["ID;Data da resposta;Nota;Nome;E-mail;Comentário"]
    for n, (name, comment, score, when) in enumerate(rows):
        cells = [
            f"F-{next(counter)}-{n}",
            when or "20/11/2026 10:00",
            score or "7",
            name,
            "x@exemplo.com.br",
            comment,
        ]
        lines.append(";".join('"' + c.replace('"', '""') + '"' for c in cells))
    path = tmp_path / f"fuzz-{next(counter)}.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8", errors="surrogatepass")
    import_quietly(services, path)
    assert not [t for t in stored_text(services) if UNSAFE.search(t)]


@FUZZ
@given(st.binary(max_size=600), st.sampled_from(["csv", "json", "xlsx", "txt"]))
def test_random_bytes_in_any_format(
    services: Services, tmp_path: Path, data: bytes, ext: str
) -> None:
    path = tmp_path / f"noise-{next(counter)}.{ext}"
    path.write_bytes(data)
    import_quietly(services, path)
    assert not [t for t in stored_text(services) if UNSAFE.search(t)]


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | CELL,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(CELL, inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                ["id", "score", "answered_at", "name", "email", "comment", "cnpj", "phone", "x"]
            ),
            JSON_VALUE,
            max_size=8,
        ),
        max_size=5,
    )
)
def test_json_records_of_any_shape(
    services: Services, tmp_path: Path, records: list[dict[str, object]]
) -> None:
    path = tmp_path / f"fuzz-{next(counter)}.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    import_quietly(services, path)
    assert not [t for t in stored_text(services) if UNSAFE.search(t)]
