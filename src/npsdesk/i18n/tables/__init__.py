"""The catalogue's texts, by area; each module holds `TEXTS`: key -> (pt, en), where a side
may be a plural's `(one, other)` forms (see `npsdesk.i18n.entries`)."""

from __future__ import annotations

from npsdesk.i18n.entries import Entry
from npsdesk.i18n.tables import (
    bulk,
    cli,
    cli_mail,
    cli_store,
    customer,
    dashboard,
    desk,
    desk_replies,
    key_help,
    mail_bounces,
    refusals,
    replies,
    replies_fetch,
    reply_figures,
    reports,
    rules,
    settings,
    shared,
)

AREAS = (
    shared,
    desk,
    dashboard,
    key_help,
    bulk,
    customer,
    settings,
    cli,
    cli_mail,
    cli_store,
    refusals,
    reports,
    replies,
    replies_fetch,
    desk_replies,
    mail_bounces,
    reply_figures,
    rules,
)


def catalog() -> dict[str, Entry]:
    """Every area's texts in one mapping; a key defined twice is a mistake, caught here."""
    merged: dict[str, Entry] = {}
    for module in AREAS:
        for key, texts in module.TEXTS.items():
            if key in merged:
                raise ValueError(f"text key {key!r} defined twice ({module.__name__})")
            merged[key] = texts
    return merged
