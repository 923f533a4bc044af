"""The dashboard's figures for the CLI and the desk: the period report, the NPS trend, NPS per
vertical, the team's backlog per responsible and how customers reply to our e-mails.

Everything is read in one transaction, so the figures of one dashboard agree with each
other; the summary is `LookupService.report`'s, so the desk, `npsdesk report` and a script
never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from npsdesk.domain.figures import Grain, average, buckets, last_days, percent
from npsdesk.domain.nps import nps_value, round_half_away
from npsdesk.domain.periods import Period
from npsdesk.services.lookup import LookupService, Report, matching_verticals
from npsdesk.store import dashboard_queries as dq
from npsdesk.store.connection import Connection
from npsdesk.store.db import db_time, to_db_time

BACKLOG_DAYS = 7  # "closed per day over the last 7 days"
CLASSES = ("detractor", "neutral", "promoter")


def _class_json(counts: dq.ClassCounts) -> dict[str, Any]:
    return {
        "total": counts.total,
        "promoters": counts.promoters,
        "neutrals": counts.neutrals,
        "detractors": counts.detractors,
        "nps": _nps(counts),
    }


def _nps(counts: dq.ClassCounts) -> float | None:
    return nps_value(counts.promoters, counts.neutrals, counts.detractors)


def _seconds(span: timedelta | None) -> int | None:
    return None if span is None else int(span.total_seconds())


@dataclass(frozen=True)
class TrendPoint:
    """A week or month: its days inside the chosen period (both inclusive)."""

    start: date
    end: date
    counts: dq.ClassCounts

    @property
    def nps(self) -> float | None:
        return _nps(self.counts)

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            **_class_json(self.counts),
        }


@dataclass(frozen=True)
class Trend:
    grain: Grain
    points: tuple[TrendPoint, ...]

    def to_json(self) -> dict[str, Any]:
        return {"grain": self.grain.value, "buckets": [p.to_json() for p in self.points]}


@dataclass(frozen=True)
class VerticalFigures:
    vertical: str | None  # None: customers without a vertical
    counts: dq.ClassCounts

    @property
    def nps(self) -> float | None:
        return _nps(self.counts)

    def to_json(self) -> dict[str, Any]:
        return {"vertical": self.vertical, **_class_json(self.counts)}


@dataclass(frozen=True)
class TeamMember:
    """One responsible's backlog (responsible None: nobody), or the team's total."""

    responsible: str | None
    untreated: int = 0
    in_treatment: int = 0
    closed: int = 0
    first_action_seconds: float = 0.0
    first_action_count: int = 0
    close_seconds: float = 0.0
    close_count: int = 0
    closed_per_day: tuple[int, ...] = (0,) * BACKLOG_DAYS  # oldest day first

    @property
    def total(self) -> int:
        return self.untreated + self.in_treatment + self.closed

    @property
    def closed_percent(self) -> float | None:
        return percent(self.closed, self.total)

    @property
    def first_action(self) -> timedelta | None:
        """Average time from the answer to the first thing done to the case."""
        return average(self.first_action_seconds, self.first_action_count)

    @property
    def to_close(self) -> timedelta | None:
        """Average time from the answer to closing, over the closed cases."""
        return average(self.close_seconds, self.close_count)

    def to_json(self) -> dict[str, Any]:
        return {
            "responsible": self.responsible,
            "untreated": self.untreated,
            "in_treatment": self.in_treatment,
            "closed": self.closed,
            "total": self.total,
            "closed_percent": self.closed_percent,
            "avg_first_action_seconds": _seconds(self.first_action),
            "avg_close_seconds": _seconds(self.to_close),
            "closed_per_day": list(self.closed_per_day),
        }


def _team_total(members: tuple[TeamMember, ...], days: int) -> TeamMember:
    sums: dict[str, Any] = {}
    for f in fields(TeamMember):
        if f.name == "responsible":
            continue
        if f.name == "closed_per_day":
            sums[f.name] = tuple(sum(m.closed_per_day[d] for m in members) for d in range(days))
        else:
            sums[f.name] = sum(getattr(m, f.name) for m in members)
    return TeamMember(None, **sums)


@dataclass(frozen=True)
class Team:
    days: tuple[date, ...]  # the last days, oldest first
    members: tuple[TeamMember, ...]  # by name; nobody last
    total: TeamMember

    def to_json(self) -> dict[str, Any]:
        total = self.total.to_json()
        del total["responsible"]
        return {
            "days": [d.isoformat() for d in self.days],
            "responsibles": [m.to_json() for m in self.members],
            "total": total,
        }


def quantile(values: Sequence[float], q: float) -> float | None:
    """The `q` quantile (0..1) of `values`, interpolated between the two nearest ranks (the
    median of an even count is the mean of the middle two); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def _hours(seconds: float | None) -> float | None:
    """Seconds as hours, one decimal (half away from zero)."""
    if seconds is None:
        return None
    return round_half_away(Fraction(round(seconds), 3600))


@dataclass(frozen=True)
class ClassReplies:
    """One class's (or every class's) cases we e-mailed and those the customer answered."""

    nps_class: str | None  # None: every class
    emailed: int = 0
    replied: int = 0

    @property
    def rate(self) -> float | None:
        """Percent of the e-mailed cases with a customer reply, one decimal."""
        return percent(self.replied, self.emailed)

    def to_json(self) -> dict[str, Any]:
        return {"emailed": self.emailed, "replied": self.replied, "reply_rate": self.rate}


@dataclass(frozen=True)
class Replies:
    """How customers reply, over the period's cases that had an e-mail from us.

    The time runs from our first e-mail on a case to the customer's first reply after it,
    on the clock (nights and weekends count); auto-replies are not replies."""

    classes: tuple[ClassReplies, ...]  # detractor, neutral, promoter
    total: ClassReplies
    median_seconds: float | None = None
    p90_seconds: float | None = None

    @property
    def median_hours(self) -> float | None:
        return _hours(self.median_seconds)

    @property
    def p90_hours(self) -> float | None:
        return _hours(self.p90_seconds)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.total.to_json(),
            "median_hours": self.median_hours,
            "p90_hours": self.p90_hours,
            "by_class": {str(c.nps_class): c.to_json() for c in self.classes},
        }


def replies_of(cases: Sequence[dq.EmailedCase]) -> Replies:
    """The figures of the e-mailed cases found."""
    emailed = dict.fromkeys(CLASSES, 0)
    replied = dict.fromkeys(CLASSES, 0)
    times: list[float] = []
    for case in cases:
        emailed[case.nps_class] = emailed.get(case.nps_class, 0) + 1
        if case.reply_seconds is not None:
            replied[case.nps_class] = replied.get(case.nps_class, 0) + 1
            times.append(max(case.reply_seconds, 0.0))
    return Replies(
        tuple(ClassReplies(c, emailed[c], replied[c]) for c in CLASSES),
        ClassReplies(None, sum(emailed.values()), sum(replied.values())),
        quantile(times, 0.5),
        quantile(times, 0.9),
    )


@dataclass(frozen=True)
class Dashboard:
    report: Report
    trend: Trend
    verticals: tuple[VerticalFigures, ...]
    team: Team
    replies: Replies

    def to_json(self) -> dict[str, Any]:
        """The report's JSON, unchanged, with the other figures added."""
        return {
            **self.report.to_json(),
            "trend": self.trend.to_json(),
            "by_vertical": [v.to_json() for v in self.verticals],
            "team": self.team.to_json(),
            "replies": self.replies.to_json(),
        }


class DashboardService:
    """Answers counted as `npsdesk report` counts them: by local answer date, internal
    surveys out unless asked for, archived opinions in."""

    def __init__(self, lookup: LookupService) -> None:
        self.lookup = lookup
        self.db = lookup.db
        self.tz = lookup.tz

    def figures(
        self,
        period: Period,
        grain: Grain = Grain.WEEK,
        vertical: str | None = None,
        *,
        include_internal: bool = False,
    ) -> Dashboard:
        """Every figure of the dashboard, from one snapshot of the store."""
        with self.db.read() as conn:
            report = self.lookup.report(period, vertical, include_internal=include_internal)
            scope = self._scope(conn, period, vertical, include_internal)
            return Dashboard(
                report,
                self._trend(conn, scope, period, Grain(grain)),
                self._verticals(conn, scope),
                self._team(conn, scope),
                self._replies(conn, scope),
            )

    def trend(
        self,
        period: Period,
        grain: Grain = Grain.WEEK,
        vertical: str | None = None,
        *,
        include_internal: bool = False,
    ) -> Trend:
        with self.db.read() as conn:
            scope = self._scope(conn, period, vertical, include_internal)
            return self._trend(conn, scope, period, Grain(grain))

    def by_vertical(
        self, period: Period, vertical: str | None = None, *, include_internal: bool = False
    ) -> tuple[VerticalFigures, ...]:
        with self.db.read() as conn:
            return self._verticals(conn, self._scope(conn, period, vertical, include_internal))

    def team(
        self, period: Period, vertical: str | None = None, *, include_internal: bool = False
    ) -> Team:
        with self.db.read() as conn:
            return self._team(conn, self._scope(conn, period, vertical, include_internal))

    def replies(
        self, period: Period, vertical: str | None = None, *, include_internal: bool = False
    ) -> Replies:
        with self.db.read() as conn:
            return self._replies(conn, self._scope(conn, period, vertical, include_internal))

    # -- one figure each ----------------------------------------------------------------

    def _scope(
        self, conn: Connection, period: Period, vertical: str | None, internal: bool
    ) -> dq.Scope:
        start, end = self._bounds(period)
        chosen = None if vertical is None else matching_verticals(conn, vertical)
        return dq.Scope(start, end, chosen, internal)

    def _bounds(self, period: Period) -> tuple[str | None, str | None]:
        start, end = period.bounds(self.tz)
        return (
            None if start is None else to_db_time(start),
            None if end is None else to_db_time(end),
        )

    def _day_bounds(self, period: Period) -> tuple[str, str]:
        """Store times [from, to) of a period with both ends."""
        start, end = self._bounds(period)
        assert start is not None
        assert end is not None
        return start, end

    def _local_day(self, stored: str) -> date:
        return db_time(stored).astimezone(self.tz).date()

    def _trend(self, conn: Connection, scope: dq.Scope, period: Period, grain: Grain) -> Trend:
        """Buckets over the period; an open side ends at the first answer, or at the later
        of today and the last answer."""
        start, end = period.start, period.end
        if start is None or end is None:
            first, last = dq.answered_span(conn, scope)
            today = self.lookup.today()
            if start is None:
                if first is None:
                    return Trend(grain, ())
                start = self._local_day(first)
            if end is None:
                end = today if last is None else max(today, self._local_day(last))
        if start > end:
            return Trend(grain, ())
        spans = buckets(start, end, grain)
        edges = [self._day_bounds(Period(first, first))[0] for first, _ in spans]
        edges.append(self._day_bounds(Period(spans[-1][1], spans[-1][1]))[1])
        counts = dq.trend_counts(conn, scope, edges)
        points = zip(spans, counts, strict=True)
        return Trend(grain, tuple(TrendPoint(first, last, c) for (first, last), c in points))

    @staticmethod
    def _verticals(conn: Connection, scope: dq.Scope) -> tuple[VerticalFigures, ...]:
        return tuple(VerticalFigures(v.vertical, v.counts) for v in dq.vertical_counts(conn, scope))

    @staticmethod
    def _replies(conn: Connection, scope: dq.Scope) -> Replies:
        return replies_of(dq.emailed_cases(conn, scope))

    def _team(self, conn: Connection, scope: dq.Scope) -> Team:
        days = last_days(self.lookup.today(), BACKLOG_DAYS)
        bounds = [self._day_bounds(Period(d, d)) for d in days]
        closed = dq.closed_per_day(conn, scope, bounds)
        per_day: dict[str | None, list[int]] = {}
        for entry in closed:
            per_day.setdefault(entry.responsible, [0] * len(days))[entry.day] += entry.closed
        counted = {row.responsible: row for row in dq.team_counts(conn, scope)}
        names = sorted({*counted, *per_day}, key=lambda name: (name is None, name or ""))
        members = []
        for name in names:
            row = counted.get(name)
            daily = tuple(per_day.get(name, [0] * len(days)))
            if row is None:
                members.append(TeamMember(name, closed_per_day=daily))
                continue
            members.append(
                TeamMember(
                    name,
                    untreated=row.untreated,
                    in_treatment=row.in_treatment,
                    closed=row.closed,
                    first_action_seconds=row.first_action_seconds,
                    first_action_count=row.first_action_count,
                    close_seconds=row.close_seconds,
                    close_count=row.close_count,
                    closed_per_day=daily,
                )
            )
        every = tuple(members)
        return Team(tuple(days), every, _team_total(every, len(days)))
