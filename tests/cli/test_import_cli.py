"""`npsdesk import` and `npsdesk export` through the console entry point."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

from tests.cli.test_cli import NPSDESK, fails_with, run
from tests.conftest import DEMO_DIR


def test_import_json_summary_has_the_documented_keys(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    first = json.loads(
        run("--store", str(store), "import", str(DEMO_DIR / "respostas.csv"), "--json").stdout
    )
    for key in (
        "file",
        "new",
        "updated",
        "unchanged",
        "rejected",
        "duplicates",
        "rejects",
        "batch",
    ):
        assert key in first
    assert first["new"] == 422
    assert first["rejected"] == 0
    again = json.loads(
        run("--store", str(store), "import", str(DEMO_DIR / "respostas.csv"), "--json").stdout
    )
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 422)


def test_import_prints_a_summary_and_where_rejects_went(tmp_path: Path) -> None:
    export = tmp_path / "respostas.csv"
    export.write_text(
        "ID;Nota;Data da resposta;E-mail\n"
        "A-1;9;20/11/2026 10:00;ana@x.com.br\n"
        "A-2;11;20/11/2026 10:00;bia@x.com.br\n",
        encoding="utf-8",
    )
    out = run("--store", str(tmp_path / "s.sqlite"), "import", str(export)).stdout
    assert "respostas.csv" in out
    assert "invalid_score" in out
    assert "1 reject saved to" in out
    saved = list((tmp_path / "rejects").glob("respostas-rejects-*.csv"))
    assert len(saved) == 1


def test_import_dry_run_and_an_unreadable_file(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    dry = json.loads(
        run(
            "--store", str(store), "import", str(DEMO_DIR / "respostas.csv"), "--dry-run", "--json"
        ).stdout
    )
    assert (dry["new"], dry["batch"], dry["dry_run"]) == (422, None, True)
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    fails_with(run("--store", str(store), "import", str(bad), check=False), "old.xls")
    report = json.loads(run("--store", str(store), "report", "--json").stdout)
    assert report["total"] == 0


def test_import_with_a_profile_from_the_settings(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[profiles.crm]\nsource = "crm"\n[profiles.crm.map]\n'
        'external_id = "protocolo"\nscore = "avaliacao"\nanswered_at = "quando"\n'
        'email = "contato"\n',
        encoding="utf-8",
    )
    export = tmp_path / "crm.csv"
    export.write_text(
        "protocolo;avaliacao;quando;contato\nP-1;6;20/11/2026 09:00;c@d.com.br\n", encoding="utf-8"
    )
    store = tmp_path / "s.sqlite"
    result = json.loads(
        run(
            "--config",
            str(config),
            "--store",
            str(store),
            "import",
            str(export),
            "--profile",
            "crm",
            "--json",
        ).stdout
    )
    assert result["new"] == 1
    found = json.loads(run("--store", str(store), "find", "P-1", "--json").stdout)
    assert found[0]["source"] == "crm"
    fails_with(
        run(
            "--config",
            str(config),
            "--store",
            str(store),
            "import",
            str(export),
            "--profile",
            "nope",
            check=False,
        ),
        "no import profile 'nope'",
    )


def test_export_then_import_round_trips(demo_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    run("--store", str(demo_store), "export", "-o", str(out))
    again = json.loads(run("--store", str(demo_store), "import", str(out), "--json").stdout)
    assert again["rejected"] == 0, again["rejects"][:3]
    assert (again["new"], again["updated"]) == (0, 0)
    assert again["unchanged"] == 422
    for fmt in ("xlsx", "json"):
        other = tmp_path / f"export.{fmt}"
        run("--store", str(demo_store), "export", "-o", str(other))
        result = json.loads(run("--store", str(demo_store), "import", str(other), "--json").stdout)
        assert (result["new"], result["updated"], result["rejected"]) == (0, 0, 0), fmt


def test_hostile_files_are_one_error_line(tmp_path: Path) -> None:
    store = str(tmp_path / "s.sqlite")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 10_000 + "]" * 10_000, encoding="utf-8")
    result = run("--store", store, "import", str(deep), check=False)
    fails_with(result, f"{deep}: invalid JSON at line 1: nested too deeply")
    line = tmp_path / "oneline.csv"
    line.write_bytes(b"a;" * 2_000_000)
    result = run("--store", store, "import", str(line), check=False)
    fails_with(result, f"{line}: line 1: record of more than 1,048,576 characters")


def test_many_ignored_columns_are_summarised_and_listed_whole_in_json(tmp_path: Path) -> None:
    extra = [f"extra_{i}" for i in range(10_000)]
    wide = tmp_path / "wide.csv"
    wide.write_text(
        ";".join(["ID", "Nota", "Data da resposta", "E-mail", *extra])
        + "\nW-1;9;20/11/2026 10:00;w@b.com.br"
        + ";" * len(extra)
        + "\n",
        encoding="utf-8",
    )
    out = run("--store", str(tmp_path / "s.sqlite"), "import", str(wide)).stdout
    assert len(out) < 1000, out[:300]
    shown = " ".join(out.split())  # the console wraps long lines
    assert (
        "ignored columns (10,000): extra_0, extra_1, extra_2, extra_3, extra_4 and 9,995" in shown
    )
    store = str(tmp_path / "t.sqlite")
    listed = json.loads(run("--store", store, "import", str(wide), "--json").stdout)
    assert listed["unmapped_headers"] == extra


def export_with_rejects(path: Path, good: int, bad: int, *, bad_first: bool = False) -> Path:
    """A cp1252 export whose rejects (long comments) make a reject file of ~1.5 KB each."""
    header = "ID da resposta;Data da resposta;Nota;E-mail;Comentário"
    goods = [f"G-{i};20/11/2026 10:00;9;g{i}@b.com.br;bom" for i in range(good)]
    bads = [f"B-{i};20/11/2026 10:00;11;b{i}@b.com.br;" + "é" * 1500 for i in range(bad)]
    rows = [*bads, *goods] if bad_first else [*goods, *bads]
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("cp1252"))
    return path


def import_on_a_full_disk(store: Path, export: Path) -> subprocess.CompletedProcess[str]:
    """`npsdesk import` where no file it writes may grow past 1 MB (EFBIG, as a full disk)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    return subprocess.run(
        [NPSDESK, "--store", str(store), "import", str(export)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        check=False,
    )


def test_a_full_disk_under_the_reject_file_loses_no_good_row(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    result = import_on_a_full_disk(store, export_with_rejects(tmp_path / "r.csv", 5, 3000))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"npsdesk: {tmp_path / 'r.csv'}: rejects not saved: [Errno 27] File too large"
    ]
    assert "the 3,000 rejects were not saved: [Errno 27] File too large" in result.stdout
    assert list((tmp_path / "rejects").iterdir()) == []
    report = json.loads(run("--store", str(store), "report", "--json").stdout)
    assert report["total"] == 5


def test_when_the_store_and_the_reject_file_both_fail_both_are_reported(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    export = export_with_rejects(tmp_path / "r.csv", 20_000, 3000, bad_first=True)
    result = import_on_a_full_disk(store, export)
    assert result.returncode == 1
    assert "disk I/O error" in result.stderr
    assert "rejects not saved: [Errno 27] File too large" in result.stderr
    assert list((tmp_path / "rejects").iterdir()) == []
