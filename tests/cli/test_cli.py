"""The `npsdesk` command, run through its real console entry point."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

NPSDESK = str(Path(sys.executable).with_name("npsdesk"))


def run(
    *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [NPSDESK, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def fails_with(result: subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("npsdesk: ")
    assert text in lines[0]


def test_find_json_has_the_documented_keys(demo_store: Path) -> None:
    found = json.loads(run("--store", str(demo_store), "find", "farmácia", "--json").stdout)
    assert found
    keys = {
        "id",
        "external_id",
        "score",
        "class",
        "status",
        "archived",
        "deadline",
        "name",
        "email",
        "cnpj",
        "company",
        "comment",
    }
    for item in found:
        assert keys <= item.keys()
        assert item["class"] in ("promoter", "neutral", "detractor")
        assert item["status"] in ("untreated", "in_treatment", "closed")
        assert isinstance(item["archived"], bool)
        assert item["cnpj"] is None or len(item["cnpj"]) == 14


def test_find_limit_and_nothing_found(demo_store: Path) -> None:
    limited = json.loads(
        run("--store", str(demo_store), "find", "Ltda", "--limit", "3", "--json").stdout
    )
    assert len(limited) == 3
    nothing = run("--store", str(demo_store), "find", "xyzzy-nada")
    assert "Nothing found for 'xyzzy-nada'" in nothing.stdout


def test_find_prints_cards_in_portuguese(demo_store: Path) -> None:
    conn = sqlite3.connect(demo_store)
    external_id, company = conn.execute(
        "SELECT o.external_id, r.company FROM opinion o JOIN respondent r "
        "ON r.id = o.respondent_id WHERE o.score >= 9 AND r.company IS NOT NULL LIMIT 1"
    ).fetchone()
    conn.close()
    out = run("--store", str(demo_store), "--lang", "pt", "find", external_id).stdout
    assert "promotor" in out
    assert "1 opinião encontrada" in out
    assert company[:20] in out


def test_show_prints_the_case_and_its_history(demo_store: Path) -> None:
    conn = sqlite3.connect(demo_store)
    busiest = conn.execute(
        "SELECT opinion_id FROM event WHERE kind = 'contact_attempt' "
        "GROUP BY opinion_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    conn.close()
    out = run("--store", str(demo_store), "show", str(busiest)).stdout
    assert f"Opinion {busiest}" in out
    assert "History" in out
    assert "contact attempt: phone" in out or "contact attempt: WhatsApp" in out
    data = json.loads(run("--store", str(demo_store), "show", str(busiest), "--json").stdout)
    assert data["id"] == busiest
    assert data["history"][0]["kind"] == "imported"
    assert [e["at"] for e in data["history"]] == sorted(e["at"] for e in data["history"])


def test_show_customer_merges_every_opinion_of_the_customer(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    out = run(*store, "show", "34", "--customer").stdout
    assert "Farmácia Vitória Ltda" in out
    assert "2 opinions" in out
    assert "#391" in out
    data = json.loads(run(*store, "show", "34", "--customer", "--json").stdout)
    assert data["opinion_id"] == 34
    assert [o["id"] for o in data["opinions"]] == [34, 391]
    assert {e["opinion_id"] for e in data["events"]} == {34, 391}
    assert [e["at"] for e in data["events"]] == sorted(e["at"] for e in data["events"])
    assert data["nps"] == -100.0


def test_report_json_keys_and_brazilian_dates(demo_store: Path) -> None:
    data = json.loads(
        run(
            "--store",
            str(demo_store),
            "report",
            "--from",
            "01/10/2026",
            "--to",
            "2026-10-31",
            "--json",
        ).stdout
    )
    for key in (
        "total",
        "promoters",
        "neutrals",
        "detractors",
        "nps",
        "by_status",
        "archived",
        "overdue",
    ):
        assert key in data
    assert set(data["by_status"]) == {"untreated", "in_treatment", "closed"}
    assert data["from"] == "2026-10-01"
    assert data["total"] > 0


def test_report_human_output(demo_store: Path) -> None:
    out = run("--store", str(demo_store), "--lang", "pt", "report", "--vertical", "farma").stdout
    assert "NPS +" in out or "NPS -" in out
    assert "vertical: Farma" in out
    assert "promotores" in out


def test_report_of_an_empty_period_says_so(demo_store: Path) -> None:
    data = json.loads(
        run(
            "--store",
            str(demo_store),
            "report",
            "--from",
            "2020-01-01",
            "--to",
            "2020-01-31",
            "--json",
        ).stdout
    )
    assert data["total"] == 0
    assert data["nps"] is None
    out = run("--store", str(demo_store), "report", "--from", "2020-01-01", "--to", "2020-01-31")
    assert "no answers in the period" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "99999"), "no opinion with id 99999"),
        (("report", "--from", "31/02/2026"), "'31/02/2026' is not a date"),
        (("report", "--from", "yesterday"), "write 2026-10-31 or 31/10/2026"),
        (("report", "--from", "2026-11-01", "--to", "2026-10-01"), "ends"),
        (("report", "--vertical", "Padaria"), "unknown vertical 'Padaria'"),
    ],
)
def test_errors_are_one_line_and_exit_non_zero(
    demo_store: Path, args: tuple[str, ...], message: str
) -> None:
    fails_with(run("--store", str(demo_store), *args, check=False), message)


def test_debug_shows_the_traceback(demo_store: Path) -> None:
    result = run("--debug", "--store", str(demo_store), "show", "99999", check=False)
    assert result.returncode != 0
    assert "Traceback" in result.stderr


def test_a_missing_store_is_not_created_by_a_look_up(tmp_path: Path) -> None:
    store = tmp_path / "nowhere.sqlite"
    fails_with(run("--store", str(store), "find", "x", check=False), "npsdesk demo")
    assert not store.exists()


def test_an_unreadable_store(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("hello" * 1000)
    fails_with(run("--store", str(junk), "report", check=False), "not a readable npsdesk store")


def test_a_locked_store(demo_store: Path) -> None:
    holder = sqlite3.connect(demo_store, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE opinion SET comment = comment WHERE id = 1")
    try:
        result = run("--store", str(demo_store), "find", "farmacia", check=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    fails_with(result, "is locked by another program")


def test_bad_settings_are_one_clear_line(tmp_path: Path, demo_store: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[deadlines]\ndetracter = 2\n")
    result = run("--config", str(config), "--store", str(demo_store), "report", check=False)
    fails_with(result, "unknown setting 'deadlines.detracter'")
    assert str(config) in result.stderr


def test_config_prints_settings_and_their_sources(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('timezone = "America/Manaus"\n[deadlines]\nneutral = 2\n')
    out = run(
        "--config",
        str(config),
        "--store",
        "x.sqlite",
        "config",
        env={"NPSDESK_DEADLINES_PROMOTER": "4"},
    ).stdout
    lines = {line.split()[0]: line for line in out.splitlines() if not line.startswith("#")}
    assert "flag --store" in lines["store"]
    assert "America/Manaus" in lines["timezone"]
    assert str(config) in lines["timezone"]
    assert "NPSDESK_DEADLINES_PROMOTER" in lines["deadlines.promoter"]
    assert "default" in lines["deadlines.detractor"]


def test_demo_is_idempotent(tmp_path: Path) -> None:
    store = tmp_path / "demo.sqlite"
    first = json.loads(run("--store", str(store), "demo", "--json").stdout)
    second = json.loads(run("--store", str(store), "demo", "--json").stdout)
    assert first["new"] > 300
    assert second["new"] == 0
    assert second["existing"] == first["new"]
    assert second["actions"] == 0


def test_bare_command_shows_help() -> None:
    out = run().stdout
    for command in ("find", "show", "report", "demo", "config"):
        assert command in out


COLD_PATH = """
import sys
from npsdesk.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted(m for m in ("textual", "sqlalchemy", "sqlmodel", "alembic", "holidays")
               if m in sys.modules)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("command", [("find", "farmacia"), ("show", "1"), ("report",)])
def test_look_ups_do_not_load_the_ui_or_the_orm(demo_store: Path, command: tuple[str, ...]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", COLD_PATH, "--store", str(demo_store), *command],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "HEAVY:\n" in result.stderr, result.stderr
