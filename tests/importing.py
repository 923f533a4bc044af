"""Opinions put in a test store the one way they enter a real one: a file through the importer.

`import_answers` writes the answers to a JSON file (JSON, so text reaches the importer as
typed: no spreadsheet quoting undone) and imports it as `npsdesk import` does. Fields are the
importer's own names (those of our export's JSON): external_id, score, answered_at, sent_at,
comment, campaign, internal, name, email, phone, cnpj, company, product, vertical, state.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

from npsdesk.bootstrap import Services
from npsdesk.importers.results import ImportResult
from npsdesk.importers.sync import Importer, ImportOptions
from npsdesk.store import case_reads


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def import_file(
    services: Services, answers: list[Mapping[str, object]], **options: object
) -> ImportResult:
    """The answers imported as one file; every one of them must go in."""
    with tempfile.TemporaryDirectory(prefix="npsdesk-test-") as folder:
        path = Path(folder) / "answers.json"
        rows = [{k: _json(v) for k, v in answer.items()} for answer in answers]
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        result = Importer(services, ImportOptions(**options)).run(path)  # type: ignore[arg-type]
    assert not result.rejects, result.rejects
    assert result.new + result.updated + result.unchanged == len(answers), result
    return result


def import_answers(
    services: Services, *answers: Mapping[str, object], source: str = "track"
) -> list[int]:
    """The opinion ids of `answers` (from `source`), in their order, once imported."""
    import_file(services, list(answers), source=source)
    keys = [str(answer["external_id"]) for answer in answers]
    with services.db.read() as conn:
        found = {
            row["external_id"]: int(row["id"])
            for row in case_reads.opinions_by_keys(conn, source, keys)
        }
    return [found[key] for key in keys]
