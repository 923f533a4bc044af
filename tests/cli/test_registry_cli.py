"""`npsdesk category|analyst|settings` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import fails_with, run


def test_categories_add_list_remove_and_come_back(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    assert run(*store, "category", "add", "Integração  Fiscal").stdout == (
        "category 'Integração Fiscal' added\n"
    )
    fails_with(run(*store, "category", "add", "suporte", check=False), "'Suporte' already exists")
    fails_with(run(*store, "category", "add", " ", check=False), "cannot be blank")
    listed = json.loads(run(*store, "category", "list", "--json").stdout)
    assert {"name": "Integração Fiscal", "active": True, "cases": 0} in listed
    suporte = next(c for c in listed if c["name"] == "Suporte")
    removed = run(*store, "category", "remove", "Suporte").stdout
    assert removed == f"category 'Suporte' removed from the choices; {suporte['cases']} cases " + (
        "and the history keep it\n"
    )
    assert "Suporte" not in run(*store, "category", "list").stdout
    assert "Suporte" in run(*store, "category", "list", "--all").stdout.split("(removed)")[0]
    fails_with(run(*store, "category", "remove", "Suporte", check=False), "already removed")
    fails_with(run(*store, "category", "remove", "Nada", check=False), "no category 'Nada'")
    assert "is back in the list" in run(*store, "category", "add", "SUPORTE").stdout
    assert run(*store, "category", "remove", "Integração Fiscal").stdout.endswith(
        "deleted (no case or history named it)\n"
    )
    pt = run(*store, "--lang", "pt", "category", "add", "Fiscal").stdout
    assert pt == "categoria 'Fiscal' adicionada\n"


def test_analysts_add_list_remove(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    added = run(
        *store,
        "analyst",
        "add",
        "bia.costa",
        "--name",
        "Bia Costa",
        "--email",
        "Bia@Durasoft.com.br",
        "--role",
        "support",
    )
    assert added.stdout == "analyst 'bia.costa' added\n"
    fails_with(run(*store, "analyst", "add", "Bia", check=False), "lowercase letters")
    fails_with(
        run(*store, "analyst", "add", "bia.costa", "--email", "bia@", check=False),
        "e-mail 'bia@' is not valid",
    )
    listed = json.loads(run(*store, "analyst", "list", "--json").stdout)
    assert {
        "username": "bia.costa",
        "name": "Bia Costa",
        "email": "bia@durasoft.com.br",
        "role": "support",
        "active": True,
        "cases": 0,
    } in listed
    assert "removed from the choices" in run(*store, "analyst", "remove", "ana").stdout
    usernames = [a["username"] for a in json.loads(run(*store, "analyst", "list", "--json").stdout)]
    assert "ana" not in usernames
    everyone = json.loads(run(*store, "analyst", "list", "--all", "--json").stdout)
    assert next(a for a in everyone if a["username"] == "ana")["active"] is False
    text = run(*store, "analyst", "list", "--all").stdout
    assert next(line for line in text.splitlines() if line.startswith("ana ")).endswith("(removed)")
    assert run(*store, "analyst", "add", "ana").stdout == "analyst 'ana' is back in the list " + (
        f"({next(a for a in everyone if a['username'] == 'ana')['cases']} cases)\n"
    )
    fails_with(run(*store, "analyst", "remove", "zeca", check=False), "no analyst 'zeca'")


def test_team_deadlines_show_which_value_wins_and_the_log(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    env = {"NPSDESK_ANALYST": "helena"}
    set_it = run(*store, "settings", "deadline", "neutral", "2", env=env).stdout
    assert set_it.startswith("deadlines.neutral    2    # team, set by helena on ")
    assert set_it.rstrip().endswith("the settings file says 3")
    fails_with(run(*store, "settings", "deadline", "neutral", "0", check=False), "from 1 to 90")
    fails_with(run(*store, "settings", "deadline", "neutral", check=False), "or --clear")
    shown = json.loads(run(*store, "settings", "show", "--json").stdout)
    assert shown["deadlines"]["neutral"]["effective"] == 2
    assert shown["deadlines"]["neutral"]["source"] == "team"
    assert shown["deadlines"]["detractor"]["source"] == "personal"
    config = run(*store, "config").stdout
    line = next(row for row in config.splitlines() if row.startswith("deadlines.neutral"))
    assert "overridden: the team's 2 wins (set by helena)" in line
    assert "overridden" not in next(
        row for row in config.splitlines() if row.startswith("deadlines.detractor")
    )
    run(*store, "settings", "bonus-neutrals", "on")
    assert "bonus.neutrals       on   # team" in run(*store, "settings", "show").stdout
    run(*store, "settings", "deadline", "neutral", "--clear")
    log = json.loads(run(*store, "settings", "log", "--json", "--setting", "deadlines").stdout)
    assert [(c["actor"], c["old"], c["new"]) for c in log] == [
        ("tester", "2", None),
        ("helena", None, "2"),
    ]
    text = run(*store, "settings", "log", "--limit", "3").stdout.splitlines()
    assert text[0].endswith("tester       deadlines.neutral: 2 -> -")
    assert text[1].endswith("bonus.neutrals: - -> true")


def test_config_without_a_store_still_prints_the_settings(tmp_path: Path) -> None:
    result = run("--store", str(tmp_path / "nothing.sqlite"), "config")
    assert "deadlines.neutral" in result.stdout
    assert not (tmp_path / "nothing.sqlite").exists()
