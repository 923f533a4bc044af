"""The dashboard's figures against the hand-counted store of tests/dashboard_data.py."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.dashboard_data import HOUR, PERIOD, build

from npsdesk.bootstrap import Services
from npsdesk.domain.figures import Grain
from npsdesk.domain.periods import Period
from npsdesk.errors import NotFound
from npsdesk.services.dashboard import DashboardService, TeamMember


@pytest.fixture
def figures(services: Services) -> DashboardService:
    build(services)
    return DashboardService(services.lookup)


def test_weekly_trend_in_local_weeks_from_monday(figures: DashboardService) -> None:
    trend = figures.trend(PERIOD, Grain.WEEK)
    assert trend.grain is Grain.WEEK
    got = [(p.start, p.end, p.counts.total, p.nps) for p in trend.points]
    assert got == [
        (date(2026, 10, 26), date(2026, 11, 1), 1, 0.0),  # F: Saturday night, local time
        (date(2026, 11, 2), date(2026, 11, 8), 1, 100.0),  # A
        (date(2026, 11, 9), date(2026, 11, 15), 2, -50.0),  # B, C on Sunday 23:30
        (date(2026, 11, 16), date(2026, 11, 22), 2, 0.0),  # D, G (E is internal)
        (date(2026, 11, 23), date(2026, 11, 23), 0, None),
    ]


def test_monthly_trend_and_internal_surveys(figures: DashboardService) -> None:
    months = figures.trend(PERIOD, Grain.MONTH)
    assert [(p.start, p.end, p.counts.total, p.nps) for p in months.points] == [
        (date(2026, 10, 26), date(2026, 10, 31), 1, 0.0),
        (date(2026, 11, 1), date(2026, 11, 23), 5, 0.0),
    ]
    with_internal = figures.trend(PERIOD, Grain.MONTH, include_internal=True)
    assert [p.counts.total for p in with_internal.points] == [1, 6]


def test_the_trend_sums_to_the_report(figures: DashboardService) -> None:
    for period in (PERIOD, Period(), Period(date(2026, 11, 10), None)):
        report = figures.lookup.report(period)
        for grain in Grain:
            points = figures.trend(period, grain).points
            assert sum(p.counts.promoters for p in points) == report.counts.promoters
            assert sum(p.counts.detractors for p in points) == report.counts.detractors
            assert sum(p.counts.total for p in points) == report.counts.total


def test_an_open_period_runs_from_the_first_answer_to_today(figures: DashboardService) -> None:
    months = figures.trend(Period(), Grain.MONTH).points
    assert (months[0].start, months[-1].end) == (date(2026, 9, 1), date(2026, 11, 23))
    assert [p.counts.total for p in months] == [1, 1, 5]  # H; F; A B C D G


def test_a_period_without_answers_has_empty_buckets(figures: DashboardService) -> None:
    quiet = figures.trend(Period(date(2020, 1, 1), date(2020, 1, 31)), Grain.MONTH)
    assert [(p.counts.total, p.nps) for p in quiet.points] == [(0, None)]


def test_an_empty_store_has_no_trend_and_no_team(services: Services) -> None:
    dashboard = DashboardService(services.lookup).figures(Period())
    assert dashboard.trend.points == ()
    assert dashboard.verticals == ()
    assert dashboard.team.members == ()
    assert dashboard.team.total.closed_per_day == (0,) * 7
    assert dashboard.report.nps is None


def test_nps_and_counts_per_vertical(figures: DashboardService) -> None:
    got = [
        (v.vertical, v.counts.promoters, v.counts.neutrals, v.counts.detractors, v.nps)
        for v in figures.by_vertical(PERIOD)
    ]
    assert got == [
        ("Farma", 2, 0, 1, 33.3),  # A G / B
        ("Food", 0, 2, 0, 0.0),  # C F (E is internal)
        (None, 0, 0, 1, -100.0),  # D has no vertical
    ]
    only_food = figures.by_vertical(PERIOD, "food", include_internal=True)
    assert [(v.vertical, v.counts.total) for v in only_food] == [("Food", 3)]
    with pytest.raises(NotFound, match="unknown vertical"):
        figures.by_vertical(PERIOD, "Padaria")


def test_team_backlog_per_responsible(figures: DashboardService) -> None:
    team = figures.team(PERIOD)
    assert team.days == tuple(date(2026, 11, d) for d in range(17, 24))
    rows = {m.responsible: m for m in team.members}
    assert list(rows) == ["ana", "bruno", None]
    ana, bruno, nobody = rows["ana"], rows["bruno"], rows[None]
    assert (ana.untreated, ana.in_treatment, ana.closed, ana.closed_percent) == (0, 0, 2, 100.0)
    assert ana.first_action == timedelta(hours=3)  # (2 + 4) / 2
    assert ana.to_close == timedelta(hours=(24 + 264) / 2)
    assert ana.closed_per_day == (0, 0, 1, 1, 0, 0, 0)  # H on Thursday, B on Friday
    assert (bruno.untreated, bruno.in_treatment, bruno.closed) == (0, 1, 1)
    assert bruno.closed_percent == 50.0
    assert bruno.first_action == timedelta(hours=(6 + 48) / 2)  # closing G was its first action
    assert bruno.to_close == timedelta(hours=48)
    assert bruno.closed_per_day == (0, 0, 0, 0, 0, 1, 0)
    assert (nobody.untreated, nobody.in_treatment, nobody.closed) == (2, 0, 0)  # D and F
    assert (nobody.closed_percent, nobody.first_action, nobody.to_close) == (0.0, None, None)

    total = team.total
    assert (total.untreated, total.in_treatment, total.closed, total.total) == (2, 1, 3, 6)
    assert total.closed_percent == 50.0
    assert total.first_action == timedelta(hours=(2 + 4 + 6 + 48) / 4)
    assert total.to_close == timedelta(hours=(24 + 264 + 48) / 3)
    assert total.closed_per_day == (0, 0, 1, 1, 0, 1, 0)


def test_the_team_total_is_the_report_by_status(figures: DashboardService) -> None:
    for period in (PERIOD, Period(), Period(date(2026, 11, 1), date(2026, 11, 15))):
        c = figures.lookup.report(period).counts
        total = figures.team(period).total
        assert (total.untreated, total.in_treatment, total.closed) == (
            c.untreated,
            c.in_treatment,
            c.closed,
        )


def test_someone_who_only_closed_older_cases_still_has_a_row(
    figures: DashboardService,
) -> None:
    """The first half of November holds A and B (ana's) and C (bruno's); bruno's closing
    of G this week still shows in his row."""
    team = figures.team(Period(date(2026, 11, 1), date(2026, 11, 10)))
    rows = {m.responsible: m for m in team.members}
    assert list(rows) == ["ana", "bruno"]
    assert rows["bruno"] == TeamMember("bruno", closed_per_day=(0, 0, 0, 0, 0, 1, 0))
    assert rows["bruno"].closed_percent is None


def test_the_whole_dashboard_json_keeps_the_report_keys(figures: DashboardService) -> None:
    dashboard = figures.figures(PERIOD, Grain.WEEK)
    data = dashboard.to_json()
    assert {k: data[k] for k in dashboard.report.to_json()} == dashboard.report.to_json()
    assert data["trend"]["grain"] == "week"
    assert data["trend"]["buckets"][2] == {
        "from": "2026-11-09",
        "to": "2026-11-15",
        "total": 2,
        "promoters": 0,
        "neutrals": 1,
        "detractors": 1,
        "nps": -50.0,
    }
    assert data["by_vertical"][0]["vertical"] == "Farma"
    ana = data["team"]["responsibles"][0]
    assert ana["responsible"] == "ana"
    assert ana["avg_first_action_seconds"] == 3 * HOUR
    assert ana["avg_close_seconds"] == 144 * HOUR
    assert data["team"]["responsibles"][-1]["responsible"] is None
    assert data["team"]["total"]["closed_per_day"] == [0, 0, 1, 1, 0, 1, 0]
    assert data["team"]["days"][0] == "2026-11-17"
    assert "responsible" not in data["team"]["total"]
