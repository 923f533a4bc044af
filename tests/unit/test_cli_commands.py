"""Every command is loaded lazily: each resolves, and every command a module adds is named."""

from __future__ import annotations

import importlib
import sys

import click

from npsdesk.cli import main as cli


def test_lazy_commands_resolve_to_their_module() -> None:
    context = click.Context(cli.cli)
    for name, module in cli.LAZY_COMMANDS.items():
        command = cli.cli.get_command(context, name)
        assert command is not None, name
        assert module in sys.modules


def test_no_module_adds_a_command_the_table_does_not_name() -> None:
    for module in set(cli.LAZY_COMMANDS.values()):
        importlib.import_module(module)
    assert set(cli.cli.commands) == set(cli.LAZY_COMMANDS)
