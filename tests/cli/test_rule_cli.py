"""`npsdesk rule` for scripts and version control."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import fails_with, run

RULES = """
[[rule]]
name = "Instabilidade"
when.class = ["detractor"]
when.comment_has = ["fora do ar", "travando"]
then.category = "Instabilidade"
then.responsible = { least_loaded = ["ana", "bruno"] }
"""


def test_import_list_show_export_disable_move_remove(demo_store: Path, tmp_path: Path) -> None:
    store = ("--store", str(demo_store))
    assert "No rules" in run(*store, "--lang", "en", "rule", "list").stdout
    source = tmp_path / "regras.toml"
    source.write_text(RULES, encoding="utf-8")
    assert (
        "rules added: 1; replaced: 0"
        in run(*store, "--lang", "en", "rule", "import", str(source)).stdout
    )
    assert run(*store, "rule", "list").stdout.split() == ["1", "Instabilidade"]
    shown = run(*store, "rule", "show", "instabilidade").stdout
    assert 'then.responsible = { least_loaded = ["ana", "bruno"] }' in shown
    [listed] = json.loads(run(*store, "rule", "list", "--json").stdout)
    assert listed["then"]["category"] == "Instabilidade"
    run(*store, "rule", "disable", "Instabilidade")
    assert "(disabled)" in run(*store, "--lang", "en", "rule", "list").stdout
    assert "(desligada)" in run(*store, "--lang", "pt", "rule", "list").stdout
    out = tmp_path / "de-volta.toml"
    run(*store, "rule", "export", str(out))
    assert "enabled = false" in out.read_text(encoding="utf-8")
    fails_with(run(*store, "rule", "remove", "outra", check=False), "no rule named 'outra'")
    run(*store, "rule", "remove", "Instabilidade")
    bad = tmp_path / "ruim.toml"
    bad.write_text('[[rule]]\nname = "x"\nthen.responsible = "zelda"\n', encoding="utf-8")
    fails_with(run(*store, "rule", "import", str(bad), check=False), "no active analyst 'zelda'")


def test_rule_test_lists_what_it_would_change(demo_store: Path, tmp_path: Path) -> None:
    store = ("--store", str(demo_store), "--lang", "en")
    source = tmp_path / "r.toml"
    source.write_text(
        '[[rule]]\nname = "d"\nwhen.class = "detractor"\nthen.priority = "low"\n',
        encoding="utf-8",
    )
    run(*store, "rule", "import", str(source))
    said = run(*store, "rule", "test", "d", "--from", "01/11/2026", "--to", "30/11/2026").stdout
    assert "the rule matches" in said
    assert "priority: high -> low" in said
    found = json.loads(run(*store, "rule", "test", "d", "--json").stdout)
    assert found
    assert all(c["field"] == "priority" for t in found for c in t["changes"])
