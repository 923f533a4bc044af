"""Shared fixtures. Every test runs with its own config and data dirs, never the user's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.config.settings import Settings, load_settings
from npsdesk.domain.clock import FixedClock

pytest_plugins = ["tests.pg_fixtures", "tests.imap_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
# The demo's anchor is Friday 2026-11-20; tests run on the following Monday.
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's own settings, store and locale out of every test."""
    home = tmp_path_factory.mktemp("home")
    for name in list(__import__("os").environ):
        if name.startswith("NPSDESK_") or name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("NPSDESK_CONFIG", str(home / "config" / "npsdesk" / "config.toml"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("NPSDESK_ANALYST", "tester")


def make_settings(store: Path, **flags: object) -> Settings:
    return load_settings(flags={"store": str(store), **flags})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite"


@pytest.fixture
def services(store_path: Path, clock: FixedClock) -> Iterator[Services]:
    """An empty store at the program's schema."""
    wired = bootstrap(make_settings(store_path), clock=clock)
    yield wired
    wired.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store, built once per session; tests get their own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    from npsdesk.services.demo import build_demo

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NPSDESK_CONFIG", str(path.parent / "none.toml"))
        patch.setenv("NPSDESK_ANALYST", "tester")
        wired = bootstrap(make_settings(path), clock=FixedClock(NOW))
        build_demo(wired, DEMO_DIR)
        wired.close()  # the last connection to close folds the WAL into the file
    return path


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, target)
    target.chmod(0o600)  # as npsdesk creates a store
    return target


@pytest.fixture
def demo(demo_store: Path, clock: FixedClock) -> Iterator[Services]:
    wired = bootstrap(make_settings(demo_store), clock=clock)
    yield wired
    wired.close()
