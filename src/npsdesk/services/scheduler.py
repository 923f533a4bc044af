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


def describe(report: TickReport) -> list[str]:
    lines = []
    for tick in report.campaigns:
        line = f"{tick.campaign}: {tick.included} included and invited"
        if tick.suppressed:
            line += f", {tick.suppressed} on the suppression list"
        if tick.no_email:  # counted, not named: this line may end up in a system log
            line += f", {len(tick.no_email)} without an e-mail to invite"
        lines.append(line)
    if not report.campaigns:
        lines.append("no campaign is inside its period and daily window")
    if report.delivery is not None:
        d = report.delivery
        if d.sent or d.failed or d.unknown:
            lines.append(f"outbox: sent {d.sent}, failed {d.failed}, unknown {d.unknown}")
    return lines


def run_every(
    service: CampaignService,
    interval: timedelta,
    wait: Wait,
    log: Callable[[str], None],
    *,
    max_checks: int | None = None,
) -> int:
    """Check, sleep, repeat until `wait` says stop; returns how many checks ran."""
    checks = 0
    while max_checks is None or checks < max_checks:
        try:
            for line in describe(service.run_once()):
                log(line)
        except (ConfigError, DomainError, StoreError, ValueError) as error:
            log(f"check failed: {error}")  # settings or a locked store: try again next time
        checks += 1
        now = service.clock.now()
        wake = service.next_check(interval)
        if wake - now > interval:
            local = wake.astimezone(service.tz)
            log(f"next check at {local:%Y-%m-%d %H:%M} ({service.tz.key})")
        if wait(max(0.0, (wake - now).total_seconds())):
            break
    return checks
