"""Campaign rules: periods, daily windows, monthly clones, survey links, contact frequency.

A campaign surveys the customers served within its period. Inside its daily window (local
hours, end excluded) the scheduler includes those whose last service falls in the period and
invites each once; a customer surveyed by any campaign in the last `min_days` days is left
out, so nobody is pestered.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from npsdesk.domain.models import DomainError

MONTHS_PT = (
    "Janeiro",
    "Fevereiro",
    "Março",
    "Abril",
    "Maio",
    "Junho",
    "Julho",
    "Agosto",
    "Setembro",
    "Outubro",
    "Novembro",
    "Dezembro",
)
_MONTH_WORDS = re.compile(
    r"\b(" + "|".join(m for m in (*MONTHS_PT, "Marco")) + r")\b", re.IGNORECASE
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
TOKEN_MARK = "{token}"


@dataclass(frozen=True)
class Window:
    """Daily hours in which a campaign works: from <= hour < to (local time)."""

    start: int = 8
    end: int = 18

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end <= 24):
            raise DomainError(
                f"a daily window runs from 0-23 to 1-24 h, got {self.start}-{self.end}"
            )

    def contains(self, local: datetime) -> bool:
        return self.start <= local.hour < self.end

    def next_opening(self, local: datetime) -> datetime:
        """The next local moment the window opens (now if it is open)."""
        if self.contains(local):
            return local
        opening = local.replace(hour=self.start, minute=0, second=0, microsecond=0)
        return opening if local < opening else opening + timedelta(days=1)


def parse_window(text: str) -> Window:
    """'8-18' or '08:00-18:00' -> Window(8, 18)."""
    match = re.fullmatch(r"\s*(\d{1,2})(?::00)?\s*-\s*(\d{1,2})(?::00)?\s*", text)
    if match is None:
        raise DomainError(key="refusal.campaign.window_bad", text=text)
    return Window(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class CampaignDates:
    """The days a campaign runs, both included (not the analysts' `periods.Period`)."""

    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise DomainError(key="refusal.campaign.ends_before", start=self.starts_on)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def overlaps(self, other: CampaignDates) -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on


def month_period(year: int, month: int) -> CampaignDates:
    last = calendar.monthrange(year, month)[1]
    return CampaignDates(date(year, month, 1), date(year, month, last))


def parse_month(text: str) -> tuple[int, int]:
    """'2027-01' -> (2027, 1)."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise DomainError(key="refusal.campaign.month_bad", text=text)
    return int(match.group(1)), int(match.group(2))


def shifted_period(period: CampaignDates, year: int, month: int) -> CampaignDates:
    """The period moved to another month: a whole-month period stays whole, otherwise the
    same days of the month (clamped to the month's last day)."""
    if (
        period.starts_on.day == 1
        and period.ends_on == month_period(period.ends_on.year, period.ends_on.month).ends_on
        and (period.starts_on.year, period.starts_on.month)
        == (
            period.ends_on.year,
            period.ends_on.month,
        )
    ):
        return month_period(year, month)
    months = (year - period.starts_on.year) * 12 + month - period.starts_on.month
    return CampaignDates(_add_months(period.starts_on, months), _add_months(period.ends_on, months))


def months_to_clone(period: CampaignDates, year: int) -> tuple[list[int], list[int]]:
    """The months of `year` a campaign of `period` is copied to, and those left out because
    the copy would overlap `period` itself (a January campaign cloned over its own year
    keeps its January: two campaigns would invite the same customers for one month)."""
    kept: list[int] = []
    skipped: list[int] = []
    for month in range(1, 13):
        (skipped if shifted_period(period, year, month).overlaps(period) else kept).append(month)
    return kept, skipped


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def name_for_month(name: str, year: int, month: int) -> str:
    """'NPS Dezembro' -> 'NPS Janeiro 2027': the month word and year replaced or added."""
    month_name = MONTHS_PT[month - 1]
    renamed, replaced = _MONTH_WORDS.subn(month_name, name, count=1)
    renamed, has_year = _YEAR.subn(str(year), renamed, count=1)
    if not replaced:
        renamed = f"{renamed} {month_name}"
    if not has_year:
        renamed = f"{renamed} {year}"
    return renamed.strip()


def check_link_template(text: str) -> str:
    """A survey link must be http(s) and hold the participant's {token}."""
    link = text.strip()
    if not re.match(r"https?://\S+$", link):
        raise DomainError(key="refusal.campaign.link_bad", text=text)
    if TOKEN_MARK not in link:
        raise DomainError(key="refusal.campaign.link_token")
    return link


def survey_link(template: str, token: str) -> str:
    return template.replace(TOKEN_MARK, token)
