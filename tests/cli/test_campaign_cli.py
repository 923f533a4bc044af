"""`npsdesk campaign` through the real entry point: editing, listing, the scheduler loop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.cli.test_cli import NPSDESK, fails_with, run

LINK = "https://pesquisa.example.com.br/r/{token}"


def test_create_clone_list_and_edit(demo_store: Path) -> None:
    store = ["--store", str(demo_store)]
    run(*store, "campaign", "create", "NPS Dezembro", "--month", "2026-12", "--link", LINK)
    made = run(*store, "campaign", "clone", "NPS Dezembro", "--year", "2027").stdout.splitlines()
    assert made[0] == "created NPS Janeiro 2027"
    assert len(made) == 12
    run(*store, "campaign", "clone", "NPS Dezembro", "--as", "Extra", "--month", "2027-02")
    listed = json.loads(run(*store, "campaign", "list", "--json").stdout)
    assert [c["name"] for c in listed][:2] == ["NPS Dezembro", "NPS Janeiro 2027"]
    extra = next(c for c in listed if c["name"] == "Extra")
    assert (extra["starts_on"], extra["ends_on"]) == ("2027-02-01", "2027-02-28")
    run(*store, "campaign", "edit", "Extra", "--window", "9-12", "--inactive")
    shown = json.loads(run(*store, "campaign", "show", "Extra", "--json").stdout)
    assert (shown["window"], shown["active"]) == ("09-12h", False)
    run(*store, "campaign", "create", "NPS Janeiro", "--month", "2028-01", "--link", LINK)
    year = run(*store, "campaign", "clone", "NPS Janeiro", "--year", "2028").stdout.splitlines()
    assert year[0] == "created NPS Fevereiro 2028"
    assert year[-1] == "skipped 2028-01: NPS Janeiro covers it already"
    assert len(year) == 12
    starts = [c["starts_on"] for c in json.loads(run(*store, "campaign", "list", "--json").stdout)]
    assert starts.count("2028-01-01") == 1
    fails_with(
        run(
            *store,
            "campaign",
            "create",
            "Sem link",
            "--month",
            "2027-03",
            "--link",
            "https://x.example/",
            check=False,
        ),
        "must contain {token}",
    )
    fails_with(
        run(*store, "campaign", "edit", "Extra", "--subject", "Oi {{ nom }}", check=False),
        "unknown placeholder {{ nom }}",
    )


def test_run_every_stops_cleanly_on_sigterm(demo_store: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "NPSDESK_MAIL_TRANSPORT": "file",
        "NPSDESK_MAIL_FOLDER": str(tmp_path / "sent"),
    }
    process = subprocess.Popen(
        [NPSDESK, "--store", str(demo_store), "campaign", "run", "--every", "1s"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(2.5)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopping (SIGTERM)" in err
    assert "stopped after" in err
