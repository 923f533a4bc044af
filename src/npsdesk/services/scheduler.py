"""The campaign scheduler: one check now, then again every interval inside the windows.

Outside every window it sleeps until the next one opens (looking again at least hourly, so a
new campaign is noticed). It stops between checks when `stop` is set (SIGTERM, ctrl+c);
being killed at any point is safe, because each campaign's inclusion is one transaction and
the outbox never sends a message twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from npsdesk.config.settings import ConfigError
from npsdesk.domain.models import DomainError
from npsdesk.errors import StoreError

if TYPE_CHECKING:
    from npsdesk.services.campaigns import CampaignService, TickReport

Wait = Callable[[float], bool]  # sleeps up to N seconds; True when asked to stop


def describe(report: TickReport, lang: str = "en") -> list[str]:
    """A check's lines in `lang` (counts as the catalogue words them)."""
    from npsdesk.i18n import t, t_n

    lines = []
    for tick in report.campaigns:
        line = t_n("sched.included", tick.included, lang, campaign=tick.campaign)
        if tick.suppressed:
            line += t_n("sched.suppressed", tick.suppressed, lang)
        if tick.no_email:  # counted, not named: this line may end up in a system log
            line += t_n("sched.no_email", len(tick.no_email), lang)
        lines.append(line)
    if not report.campaigns:
        lines.append(t("sched.no_campaign", lang))
    if report.delivery is not None:
        d = report.delivery
        if d.sent or d.failed or d.unknown:
            lines.append(t("sched.outbox", lang, sent=d.sent, failed=d.failed, unknown=d.unknown))
    return lines


def run_every(
    service: CampaignService,
    interval: timedelta,
    wait: Wait,
    log: Callable[[str], None],
    *,
    max_checks: int | None = None,
    lang: str = "en",
) -> int:
    """Check, sleep, repeat until `wait` says stop; returns how many checks ran. The lines
    logged are in `lang`."""
    from npsdesk.i18n import explain, t

    checks = 0
    while max_checks is None or checks < max_checks:
        try:
            for line in describe(service.run_once(), lang):
                log(line)
        except (ConfigError, DomainError, StoreError, ValueError) as error:
            log(
                t("sched.check_failed", lang, error=explain(error, lang))
            )  # settings or a locked store: try again next time
        checks += 1
        now = service.clock.now()
        wake = service.next_check(interval)
        if wake - now > interval:
            local = wake.astimezone(service.tz)
            when = f"{local:%Y-%m-%d %H:%M}"
            log(t("sched.next_check", lang, when=when, zone=service.tz.key))
        if wait(max(0.0, (wake - now).total_seconds())):
            break
    return checks
