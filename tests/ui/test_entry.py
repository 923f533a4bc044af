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
    opened: list[tuple[str, str, bool]] = []

    def run_desk(services: Services) -> None:
        app = DeskApp(services)
        opened.append((str(services.db.path), app.ctx.lang, services.db.path.exists()))

    monkeypatch.setattr(desk_app, "run_desk", run_desk)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    cli.main(["--store", str(demo_store), "--lang", "pt"])
    assert opened == [(str(demo_store), "pt", True)]


def test_bare_command_without_a_store_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(SystemExit) as exit_code:
        cli.main(["--store", str(tmp_path / "none.sqlite")])
    assert exit_code.value.code == 1
    assert "npsdesk demo" in capsys.readouterr().err
