"""The campaign check's lines, the demo's summary and the import's progress speak the
user's language."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import run

from npsdesk.cli.import_report import RowsPerSecond
from npsdesk.services.demo import DemoSummary


def test_a_campaign_check_reads_in_portuguese(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "campaign", "run", "--once").stdout
    assert "nenhuma campanha está dentro do período e da janela diária" in pt
    en = run(*store, "--lang", "en", "campaign", "run", "--once").stdout
    assert "no campaign is inside its period and daily window" in en


def test_the_demo_summary_reads_in_portuguese(tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "demo.sqlite")]
    pt = run(*store, "--lang", "pt", "demo").stdout
    assert "opiniões novas" in pt
    assert "rascunhos de agradecimento" in pt
    summary = DemoSummary(new=3, existing=1)
    assert summary.describe().startswith("3 new opinions, 1 already there")


def test_the_progress_counts_rows_in_portuguese() -> None:
    from rich.progress import Progress

    with Progress(RowsPerSecond("pt")) as bar:
        task = bar.add_task("x", rows=1204)
        assert "1.204 linhas" in str(RowsPerSecond("pt").render(bar.tasks[task]))
        assert "1,204 rows" in str(RowsPerSecond().render(bar.tasks[task]))


def test_campaign_show_names_its_fields_in_portuguese(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    link = "https://pesquisa.example/r/{token}"
    run(*store, "campaign", "create", "NPS Dezembro", "--month", "2026-12", "--link", link)
    pt = run(*store, "--lang", "pt", "campaign", "show", "NPS Dezembro").stdout
    assert "taxa de resposta" in pt
    assert "início" in pt
    en = run(*store, "campaign", "show", "NPS Dezembro").stdout
    assert "response_rate" in en


def test_template_show_reads_in_portuguese(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    pt = run(*store, "--lang", "pt", "template", "show", "detractor")
    assert pt.stdout.startswith("Assunto: ")
    assert pt.stderr.startswith("# variáveis: ")
    en = run(*store, "template", "show", "detractor")
    assert en.stdout.startswith("Subject: ")
    assert en.stderr.startswith("# placeholders: ")
