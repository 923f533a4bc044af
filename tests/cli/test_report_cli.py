"""`npsdesk report` with the dashboard's figures: trend, per vertical, per responsible.

The store is tests/dashboard_data.py's, counted by hand. The command runs on the real clock,
so closed-per-day (the last seven days from today) is checked in the service tests instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli.test_cli import COLD_PATH, run
from tests.dashboard_data import HOUR, build

from npsdesk.bootstrap import Services

PERIOD = ("--from", "26/10/2026", "--to", "2026-11-23")


@pytest.fixture
def store(services: Services, store_path: Path) -> Path:
    build(services)
    return store_path


def test_json_has_every_figure_and_keeps_the_report_keys(store: Path) -> None:
    data = json.loads(run("--store", str(store), "report", *PERIOD, "--json").stdout)
    assert (data["total"], data["nps"], data["by_status"]) == (
        6,
        0.0,
        {"untreated": 2, "in_treatment": 1, "closed": 3},
    )
    assert data["internal_excluded"] == 1
    assert data["trend"]["grain"] == "week"
    assert [(b["from"], b["total"], b["nps"]) for b in data["trend"]["buckets"]] == [
        ("2026-10-26", 1, 0.0),
        ("2026-11-02", 1, 100.0),
        ("2026-11-09", 2, -50.0),
        ("2026-11-16", 2, 0.0),
        ("2026-11-23", 0, None),
    ]
    assert [(v["vertical"], v["total"], v["nps"]) for v in data["by_vertical"]] == [
        ("Farma", 3, 33.3),
        ("Food", 2, 0.0),
        (None, 1, -100.0),
    ]
    team = {row["responsible"]: row for row in data["team"]["responsibles"]}
    assert list(team) == ["ana", "bruno", None]
    assert {k: team["ana"][k] for k in ("closed", "closed_percent")} == {
        "closed": 2,
        "closed_percent": 100.0,
    }
    assert team["ana"]["avg_first_action_seconds"] == 3 * HOUR
    assert team["bruno"]["avg_close_seconds"] == 48 * HOUR
    assert team[None]["untreated"] == 2
    assert len(data["team"]["days"]) == len(data["team"]["total"]["closed_per_day"]) == 7
    assert data["team"]["total"]["total"] == data["total"]


def test_json_trend_per_month_and_internal_surveys(store: Path) -> None:
    out = run("--store", str(store), "report", *PERIOD, "--trend", "month", "--json").stdout
    trend = json.loads(out)["trend"]
    assert trend["grain"] == "month"
    assert [(b["from"], b["to"], b["total"]) for b in trend["buckets"]] == [
        ("2026-10-26", "2026-10-31", 1),
        ("2026-11-01", "2026-11-23", 5),
    ]
    every = run(
        "--store", str(store), "report", *PERIOD, "--include-internal", "--vertical", "food",
        "--json",
    ).stdout  # fmt: skip
    data = json.loads(every)
    assert [(v["vertical"], v["total"]) for v in data["by_vertical"]] == [("Food", 3)]
    assert sum(b["total"] for b in data["trend"]["buckets"]) == 3


def test_human_output_adds_the_sections_asked_for(store: Path) -> None:
    plain = run("--store", str(store), "report", *PERIOD).stdout
    assert "NPS per week" not in plain
    assert "Per vertical" not in plain
    out = run(
        "--store", str(store), "report", *PERIOD, "--trend", "week", "--by", "vertical",
        "--by", "responsible",
    ).stdout  # fmt: skip
    lines = out.splitlines()

    def line(start: str) -> str:
        found = [text for text in lines if text.startswith(start)]
        assert len(found) == 1, (start, out)
        return found[0]

    assert "NPS per week" in out
    assert line("2026-11-09").split()[-2:] == ["-50.0", "2"]
    assert line("2026-11-23").rstrip().endswith("no answers")
    assert line("Farma").split() == ["Farma", "3", "2", "0", "1", "+33.3"]
    assert line("(no vertical)").split()[-1] == "-100.0"
    # responsible, untreated, in treatment, closed, % closed, 1st action, to close, 7 days
    assert line("ana").split()[:8] == ["ana", "0", "0", "2", "100.0%", "3h", "00m", "6d"]
    assert line("nobody").split()[:6] == ["nobody", "2", "0", "0", "0.0%", "-"]
    assert line("Team ").split()[:5] == ["Team", "2", "1", "3", "50.0%"]
    assert "Closed per day, last 7 days (team)" in out


def test_human_output_in_portuguese(store: Path) -> None:
    out = run(
        "--store", str(store), "--lang", "pt", "report", *PERIOD, "--trend", "month",
        "--by", "responsible",
    ).stdout  # fmt: skip
    assert "NPS por mês" in out
    assert "out 2026" in out
    assert "nov 2026" in out
    assert "ninguém" in out
    assert "3h00" in out
    assert "Fechadas por dia, últimos 7 dias (equipe)" in out


def test_an_unknown_grain_is_refused(store: Path) -> None:
    result = run("--store", str(store), "report", "--trend", "day", check=False)
    assert result.returncode == 2
    assert "'day' is not one of 'week', 'month'" in result.stderr


def test_report_json_does_not_load_the_ui_or_the_orm(store: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", COLD_PATH, "--store", str(store), "report", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "HEAVY:\n" in result.stderr, result.stderr
