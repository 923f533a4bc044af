"""Bare `npsdesk` opens the desk on the configured store, in the chosen language."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from npsdesk import cli
from npsdesk.bootstrap import Services
from npsdesk.ui import app as desk_app
from npsdesk.ui.app import DeskApp


def test_bare_command_in_a_terminal_opens_the_desk(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, str, bool, list[str]]] = []

    def run_desk(services: Services, warnings: list[str]) -> None:
        app = DeskApp(services, warnings)
        opened.append((str(services.db.path), app.ctx.lang, services.db.path.exists(), warnings))

    monkeypatch.setattr(desk_app, "run_desk", run_desk)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    demo_store.chmod(0o644)  # the warning waits for the desk instead of being wiped by it
    cli.main(["--store", str(demo_store), "--lang", "pt"])
    assert len(opened) == 1
    path, lang, exists, warnings = opened[0]
    assert (path, lang, exists) == (str(demo_store), "pt", True)
    assert len(warnings) == 1
    assert "chmod 600" in warnings[0]


def test_bare_command_without_a_store_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(SystemExit) as exit_code:
        cli.main(["--store", str(tmp_path / "none.sqlite")])
    assert exit_code.value.code == 1
    assert "npsdesk demo" in capsys.readouterr().err
