"""Kinds of setting values: each checks a typed value (file, flag) and parses a text one
(environment). `load_settings` turns `Invalid` into a ConfigError naming key and origin."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import ClassVar

DEFAULT_TIMEZONE = "America/Sao_Paulo"
_DATE_DIRECTIVES = ("%d", "%m", "%Y", "%y")


class Invalid(Exception):
    """Raised by a kind; load_settings turns it into a ConfigError naming key and origin."""


class Kind:
    """Checks a typed value (file, flag) and parses a text one (environment)."""

    expect = "a value"  # completes "must be ..."

    def check(self, value: object) -> object:
        raise NotImplementedError

    def parse(self, text: str) -> object:
        return self.check(text)

    def show(self, value: object) -> str:
        return str(value)


class Text(Kind):
    expect = "a non-empty text"

    def check(self, value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            raise Invalid
        return value


class StorePath(Kind):
    """A path to the SQLite file or a URL; a leading ``~`` is expanded."""

    expect = "a file path or a database URL"

    def check(self, value: object) -> object:
        if isinstance(value, os.PathLike):
            value = os.fspath(value)
        if not isinstance(value, str) or not value.strip():
            raise Invalid
        if value.startswith("~"):
            try:
                return str(Path(value).expanduser())
            except RuntimeError:  # ~someone who does not exist
                raise Invalid from None
        return value


class Choice(Kind):
    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.expect = "one of " + ", ".join(choices)

    def check(self, value: object) -> object:
        if not isinstance(value, str) or value.strip().lower() not in self.choices:
            raise Invalid
        return value.strip().lower()


class TimeZone(Kind):
    expect = f"a known IANA time zone (like {DEFAULT_TIMEZONE})"

    def check(self, value: object) -> object:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        if not isinstance(value, str):
            raise Invalid
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise Invalid from None
        return value


class DateFormat(Kind):
    expect = "a date pattern with at least one of " + " ".join(_DATE_DIRECTIVES)

    def check(self, value: object) -> object:
        if not isinstance(value, str):
            raise Invalid
        if value == "":  # from the language
            return value
        if not any(d in value for d in _DATE_DIRECTIVES):
            raise Invalid
        try:
            date(2000, 1, 2).strftime(value)
        except ValueError:
            raise Invalid from None
        return value


class Count(Kind):
    """A whole number >= 0 (bool is not a number here)."""

    expect = "a whole number >= 0"

    def check(self, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise Invalid
        return value

    def parse(self, text: str) -> object:
        stripped = text.strip()
        if not (stripped.isascii() and stripped.isdigit()):
            raise Invalid
        return int(stripped)


class Optional(Kind):
    """A text that may be empty (meaning "not set")."""

    expect = "a text"

    def check(self, value: object) -> object:
        if not isinstance(value, str):
            raise Invalid
        return value.strip()


class Port(Count):
    expect = "a port number (1-65535)"

    def check(self, value: object) -> object:
        number = super().check(value)
        if not 1 <= int(number) <= 65535:  # type: ignore[call-overload]
            raise Invalid
        return number

    def parse(self, text: str) -> object:
        return self.check(super().parse(text))


class Flag(Kind):
    expect = "true or false"
    _TEXT: ClassVar[dict[str, bool]] = {
        "true": True,
        "1": True,
        "yes": True,
        "false": False,
        "0": False,
        "no": False,
    }

    def check(self, value: object) -> object:
        if not isinstance(value, bool):
            raise Invalid
        return value

    def parse(self, text: str) -> object:
        try:
            return self._TEXT[text.strip().lower()]
        except KeyError:
            raise Invalid from None

    def show(self, value: object) -> str:
        return "true" if value else "false"
