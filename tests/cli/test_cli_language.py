"""The commands speak the user's language from the one catalogue: plural forms, numbers,
and the core's refusals worded in Portuguese (English stays as it was)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_cli import fails_with, run


def one(store: Path, sql: str) -> int:
    with sqlite3.connect(store) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_a_customer_with_one_opinion_reads_in_the_singular(demo_store: Path) -> None:
    alone = one(
        demo_store,
        "SELECT min(id) FROM opinion WHERE respondent_id IN "
        "(SELECT respondent_id FROM opinion GROUP BY respondent_id HAVING count(*) = 1)",
    )
    pt = run("--store", str(demo_store), "--lang", "pt", "show", str(alone), "--customer").stdout
    assert "1 opinião" in pt
    assert "1 opiniões" not in pt
    en = run("--store", str(demo_store), "--lang", "en", "show", str(alone), "--customer").stdout
    assert "1 opinion" in en
    assert "1 opinions" not in en


def test_a_dry_run_counts_in_the_users_language(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "archive", "--id", "5", "--dry-run").stdout
    assert pt == "archive: 1 opinião corresponde (simulação)\n"
    en = run(*store, "archive", "--id", "5", "--id", "6", "--dry-run").stdout
    assert en == "archive: 2 opinions match (dry run)\n"


def test_a_refusal_of_the_core_reaches_the_user_in_portuguese(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "export", "--from", "amanhã", "-o", "x.csv", check=False)
    fails_with(pt, "'amanhã' não é uma data: escreva 31/10/2026 ou 2026-10-31")
    en = run(*store, "export", "--from", "amanhã", "-o", "x.csv", check=False)
    fails_with(en, "'amanhã' is not a date: write 2026-10-31 or 31/10/2026")


def test_a_command_line_refusal_is_worded_before_the_store_opens(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "campaign", "create", "Março", check=False)
    fails_with(pt, "informe o período: --month 2027-01, ou --from e --to")
    en = run(*store, "campaign", "create", "Março", check=False)
    fails_with(en, "give the period: --month 2027-01, or --from and --to")
