"""What every command shares: the global options' state, the wired services opened and
closed around a command, and the failure that ends one with a line for the user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, ClassVar, TypeVar, overload

import click

from npsdesk.config.settings import Settings, load_settings
from npsdesk.domain.models import Refusal

if TYPE_CHECKING:
    from npsdesk.bootstrap import Services
    from npsdesk.i18n import Style

T = TypeVar("T")


class Failure(Refusal):
    """A user-facing failure: one line, exit code 1 (worded as a `Refusal`)."""


class State:
    """What the global options chose; settings load on first use."""

    # The state of the command running: the error that stops it is worded in its language.
    current: ClassVar[State | None] = None

    def __init__(self, flags: dict[str, object], debug: bool) -> None:
        self.flags = flags
        self.debug = debug
        self._settings: Settings | None = None
        self.warnings: list[str] = []
        State.current = self

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(flags=self.flags)
        return self._settings

    @classmethod
    def language(cls) -> str:
        """The running command's language; English when there is none or its settings are
        wrong (the error then is about them)."""
        from npsdesk.config.settings import ConfigError

        if cls.current is None:
            return "en"
        try:
            return cls.current.lang
        except ConfigError:
            return "en"

    @property
    def lang(self) -> str:
        return self.settings.language

    def services(self, *, create: bool, quiet: bool = False) -> Services:
        """The wired store; `quiet` leaves its warnings in `self.warnings` (the desk shows
        them once it has the screen)."""
        from npsdesk.bootstrap import bootstrap
        from npsdesk.i18n import t

        lang = self.lang
        services = bootstrap(self.settings, create=create, on_wait=None if quiet else _say_waiting)
        exposure = services.db.exposure()
        if exposure is not None:
            self.warnings.append(exposure)
            if not quiet:
                click.echo(f"npsdesk: warning: {exposure}", err=True)
        for what in services.cleared:
            said = t("cli.store.cleared", lang, what=what)
            self.warnings.append(said)
            if not quiet:
                click.echo(f"npsdesk: {said}", err=True)
        if services.backup is not None:
            click.echo(t("cli.store.upgraded", lang, path=services.backup), err=True)
        return services

    def style(self, services: Services) -> Style:
        from npsdesk.i18n import Style

        s = self.settings
        return Style(s.language, s.effective_date_format(), s.tz, services.lookup.today())


def _say_waiting(limit: float) -> None:
    from npsdesk.i18n import t

    lang = State.language()
    minutes = f"{limit / 60:g}"
    minutes = minutes.replace(".", ",") if lang == "pt" else minutes
    click.echo(f"npsdesk: {t('cli.store.waiting', lang, minutes=minutes)}", err=True)


pass_state = click.make_pass_decorator(State)


def _itself(services: Services) -> Services:
    return services


@overload
def opened(
    state: State, *, create: bool = False, quiet: bool = False
) -> AbstractContextManager[Services]: ...


@overload
def opened(
    state: State, build: Callable[[Services], T], *, create: bool = False, quiet: bool = False
) -> AbstractContextManager[T]: ...


def opened(
    state: State,
    build: Callable[[Services], object] | None = None,
    *,
    create: bool = False,
    quiet: bool = False,
) -> AbstractContextManager[object]:
    """The command's services (or the one service `build` makes of them), closed when the
    block ends however it ends; store errors reach `main`, which says them in one line."""
    return _opened(state, build or _itself, create, quiet)


@contextmanager
def _opened(state: State, build: Callable[[Services], T], create: bool, quiet: bool) -> Iterator[T]:
    services = state.services(create=create, quiet=quiet)
    try:
        yield build(services)
    finally:
        services.close()
