"""How commands write: catalogue texts in the user's language, JSON, Rich tables, and the
one line on stderr that ends a command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from npsdesk.cli.state import State

F = TypeVar("F", bound=Callable[..., Any])


def say(state: State, key: str, **values: object) -> None:
    """The catalogue's `key` in the user's language, on stdout."""
    from npsdesk.i18n import t

    click.echo(t(key, state.lang, **values))


def say_n(state: State, key: str, n: int, *, err: bool = False, **values: object) -> None:
    """The form of `key` for a count of `n` ("1 opinião", "2 opiniões")."""
    from npsdesk.i18n import t_n

    click.echo(t_n(key, n, state.lang, **values), err=err)


def phrase(state: State, key: str, **values: object) -> str:
    from npsdesk.i18n import t

    return t(key, state.lang, **values)


def warn(message: str) -> None:
    click.echo(f"npsdesk: warning: {message}", err=True)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")(f)


def emit_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def fail(message: str) -> NoReturn:
    from npsdesk.untrusted.text import clean_text  # a message may quote a customer's address

    click.echo(f"npsdesk: {clean_text(message)}", err=True)
    sys.exit(1)
