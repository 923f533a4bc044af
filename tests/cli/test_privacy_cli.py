"""`npsdesk privacy` through the real entry point."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

from tests.cli.test_cli import fails_with, run


def an_email(store: Path) -> str:
    with sqlite3.connect(store) as conn:
        return str(
            conn.execute(
                "SELECT email FROM respondent WHERE email IS NOT NULL ORDER BY id LIMIT 1"
            ).fetchone()[0]
        )


def test_export_erase_and_the_log(demo_store: Path, tmp_path: Path) -> None:
    store = ["--store", str(demo_store)]
    email = an_email(demo_store)
    out = tmp_path / "titular.json"
    assert "written to" in run(*store, "privacy", "export", "--email", email, "-o", str(out)).stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["tables"]["respondents"][0]["email"] == email
    fails_with(run(*store, "privacy", "erase", "--email", email, check=False), "add --yes")
    dry = run(*store, "privacy", "erase", "--email", email, "--dry-run").stdout
    assert "respondents: 1 row would change" in dry
    done = run(*store, "privacy", "erase", "--email", email, "--yes").stdout
    assert "added to the suppression list" in done
    assert email.encode() not in demo_store.read_bytes()
    log = json.loads(run(*store, "privacy", "log", "--json").stdout)
    assert [e["action"] for e in log] == ["subject_erase", "subject_export"]
    assert email not in json.dumps(log)
    fails_with(
        run(
            *store,
            "privacy",
            "export",
            "--email",
            email,
            "--cnpj",
            "1",
            "-o",
            str(out),
            check=False,
        ),
        "exactly one",
    )


def test_a_store_others_can_read_gets_a_warning(demo_store: Path) -> None:
    demo_store.chmod(0o644)
    result = run("--store", str(demo_store), "report")
    assert "can be read by other users (mode 0644)" in result.stderr
