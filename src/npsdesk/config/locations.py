"""Where npsdesk keeps its files: the config file and the default store.

platformdirs is imported inside the functions (start-up time matters), and every
function reads the environment when called, so tests can point XDG_CONFIG_HOME,
XDG_DATA_HOME or NPSDESK_CONFIG at temporary directories.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "npsdesk"
CONFIG_ENV = "NPSDESK_CONFIG"
CONFIG_FILE_NAME = "config.toml"
STORE_FILE_NAME = "npsdesk.sqlite"


def config_dir() -> Path:
    """The user config directory (e.g. ~/.config/npsdesk on Linux)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The user data directory (e.g. ~/.local/share/npsdesk on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_file(env: Mapping[str, str] = os.environ) -> Path:
    """The config file: ``NPSDESK_CONFIG`` if set (and not empty), else config_dir()/config.toml."""
    chosen = env.get(CONFIG_ENV, "")
    if chosen:
        return Path(chosen).expanduser()
    return config_dir() / CONFIG_FILE_NAME


def default_store() -> Path:
    """The SQLite file used when no store is configured."""
    return data_dir() / STORE_FILE_NAME
