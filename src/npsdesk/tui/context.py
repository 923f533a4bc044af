"""What every part of the desk needs to read and write: services, language, dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from rich.text import Text

from npsdesk.bootstrap import Services
from npsdesk.domain.deadlines import BusinessCalendar, business_days_left
from npsdesk.i18n import Style, fmt_count, fmt_date, fmt_number, fmt_time, t, t_n
from npsdesk.services.desk_reads import DeskReads
from npsdesk.tui.drafts import Drafts
from npsdesk.tui.saving import Writes
from npsdesk.untrusted.text import clean_line

Day = date  # (inside the class, `date` names the method that formats one)


@dataclass(frozen=True)
class DeskContext:
    services: Services
    lang: str
    date_format: str
    analyst: str
    reads: DeskReads = field(compare=False)  # the desk's one way to read the store
    writes: Writes = field(compare=False)  # under way, app-wide
    drafts: Drafts = field(default_factory=Drafts, compare=False)  # unsaved typing, per case

    @classmethod
    def of(cls, services: Services) -> DeskContext:
        s, reads = services.settings, services.desk_reads()
        writes = Writes(reads.end_thread)
        return cls(services, s.language, s.effective_date_format(), s.analyst, reads, writes)

    @property
    def tz(self) -> ZoneInfo:
        return self.services.settings.tz

    def t(self, key: str, **values: object) -> str:
        """The text for `key` in the desk's language, with `{name}` places filled."""
        text = t(key, self.lang)
        return text.format(**values) if values else text

    def t_n(self, key: str, n: int, **values: object) -> str:
        """The form of `key` for a count of `n` ("1 opinião", "2 opiniões"), `{n}` written
        as the desk's language writes numbers."""
        return t_n(key, n, self.lang, **values)

    def now(self) -> datetime:
        return self.services.clock.now()

    def today(self) -> date:
        return self.services.lookup.today()

    def date(self, day: date) -> str:
        return fmt_date(day, self.date_format)

    def time(self, moment: datetime) -> str:
        return fmt_time(moment, self.date_format, self.tz)

    def local_date(self, moment: datetime) -> str:
        return self.date(moment.astimezone(self.tz).date())

    def days_left(self, deadline: Day) -> int:
        """Business days to the deadline (negative: late), as the domain counts them."""
        return _days_left(self.services.calendar, deadline, self.today())

    def count(self, n: int) -> str:
        """A whole number with the language's thousands mark: 1.204 in pt, 1,204 in en."""
        return fmt_count(n, self.lang)

    def decimal(self, value: float, *, sign: bool = False) -> str:
        return fmt_number(value, self.lang, sign=sign)

    def style(self) -> Style:
        """The CLI renderers' view of the same preferences."""
        return Style(self.lang, self.date_format, self.tz, self.today())


@lru_cache(maxsize=4096)
def _days_left(calendar: BusinessCalendar, deadline: date, today: date) -> int:
    # a list shows many rows with the same deadline, and the count walks the calendar
    return business_days_left(deadline, today, calendar)


def safe(value: str | None, style: str = "") -> Text:
    """Untrusted text as one literal line: no markup, no terminal controls."""
    return Text(clean_line(value or ""), style=style)
