"""The dashboard's customer-replies section, on the hand-counted store with its e-mails
(tests/integration/test_reply_figures.py): the last 30 days hold A, B, C, D, F and G."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import make_settings
from tests.dashboard_data import build
from tests.integration.test_reply_figures import add_mail
from tests.ui.conftest import WIDE, seen
from tests.ui.test_dashboard import open_dashboard

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.tui.app import DeskApp


def row(screen: str, heading: str, start: str) -> list[str]:
    """The words of the first line from `start` under the section's heading (at 160 columns
    the section sits in the left column: the right one's text is cut off)."""
    lines = screen.splitlines()
    below = next(i for i, text in enumerate(lines) if heading in text)
    found = next(text for text in lines[below:] if start in text)
    return found[found.index(start) :].split()[:4]


@pytest.fixture(params=["en", "pt"])
def mailed(
    request: pytest.FixtureRequest, store_path: Path, clock: FixedClock
) -> Iterator[Services]:
    wired = bootstrap(make_settings(store_path, language=request.param), clock=clock)
    add_mail(wired, build(wired))
    yield wired
    wired.close()


async def test_the_replies_section_shows_times_and_rates(mailed: Services) -> None:
    pt = mailed.settings.language == "pt"
    async with DeskApp(mailed).run_test(size=WIDE) as pilot:
        await open_dashboard(pilot)
        screen = seen(pilot)
        if pt:
            assert "Respostas dos clientes" in screen
            assert "Primeira resposta: mediana 17,0 h · 90% em até 40,8 h" in screen
            assert row(screen, "Respostas dos", "Detratores") == ["Detratores", "2", "2", "100,0%"]
            assert row(screen, "Respostas dos", "Todos") == ["Todos", "5", "4", "80,0%"]
        else:
            assert "Customer replies" in screen
            assert "First reply: median 17.0 h · 90th percentile 40.8 h" in screen
            assert row(screen, "Customer replies", "Neutrals") == ["Neutrals", "1", "0", "0.0%"]
            assert row(screen, "Customer replies", "All ") == ["All", "5", "4", "80.0%"]
