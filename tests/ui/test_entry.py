"""Bare `npsdesk` opens the desk on the configured store, in the chosen language."""

from __future__ import annotations

import sys
from functools import partialmethod
from pathlib import Path

import pytest
from textual.app import App

from npsdesk.bootstrap import Services
from npsdesk.cli import main as cli
from npsdesk.services.lookup import LookupService
from npsdesk.tui import app as desk_app
from npsdesk.tui.app import CRASH_LOG, DeskApp


def test_bare_command_in_a_terminal_opens_the_desk(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, str, bool, list[str]]] = []

    def run_desk(services: Services, warnings: list[str], **_: object) -> None:
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


def test_a_desk_that_crashes_exits_1_with_one_line(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What an unhandled error in the desk looks like from the shell: not exit 0 after a
    traceback, but exit 1, one line naming the error, the traceback kept in a file."""

    def broken(self: LookupService, *args: object) -> None:
        raise ValueError("Invalid isoformat string: '17/08/2026'")

    monkeypatch.setattr(LookupService, "case_file", broken)
    monkeypatch.setattr(DeskApp, "run", partialmethod(App.run, headless=True, size=(160, 50)))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(SystemExit) as exit_code:
        cli.main(["--store", str(demo_store)])
    assert exit_code.value.code == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("npsdesk: the desk stopped on an unexpected error (ValueError: ")
    assert "'17/08/2026'" in lines[0]
    log = Path(lines[0].rsplit("the details are in ", 1)[1])
    assert log.name == CRASH_LOG
    kept = log.read_text()
    assert "Traceback" in kept
    assert "in broken" in kept
