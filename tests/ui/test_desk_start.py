"""The first frame and the cursor: the rows at once, their countdown a moment later, and a
cursor that redraws only the rows it leaves and reaches."""

from __future__ import annotations

import re
import threading
from datetime import date

from rich.color import Color
from tests.ui.conftest import WIDE, desk, seen, settle
from textual.pilot import Pilot

from npsdesk.bootstrap import Services
from npsdesk.domain.deadlines import BusinessCalendar
from npsdesk.ui.app import DeskApp
from npsdesk.ui.opinion_list import PENDING


class HeldCalendar(BusinessCalendar):
    """Holds the desk's background load of the holiday tables until `release()`, so the
    test can look at the screen in between (reads on the screen's own thread pass)."""

    def __init__(self) -> None:
        super().__init__("BR")
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()

    def holidays_in(self, year: int) -> frozenset[date]:
        if threading.current_thread() is not threading.main_thread():
            self._released.wait(10)
        return super().holidays_in(year)


def line_with(screen: str, text: str) -> str:
    return next(line for line in screen.splitlines() if text in line)


async def test_rows_show_at_once_and_their_countdown_right_after(demo: Services) -> None:
    calendar = HeldCalendar()
    demo.calendar = calendar
    app = DeskApp(demo)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        first = line_with(seen(pilot), "D  4 Luís Fernandes")
        assert re.search(rf" 97d +{PENDING} ", first)  # age, then the countdown to come
        calendar.release()
        await settle(pilot)
        first = line_with(seen(pilot), "D  4 Luís Fernandes")
        assert re.search(r" 97d +-65d! ", first)
        assert "1 Untreated 246" in seen(pilot)  # the tab counts, counted after the frame


def cursor_rows(pilot: Pilot[None]) -> list[int]:
    """The list rows (0 = the first under the header) drawn with the cursor's background."""
    opinions = desk(pilot).opinions
    cursor: Color | None = opinions.get_component_rich_style("opinion-list--cursor").bgcolor
    region = opinions.region
    strips = pilot.app.screen._compositor.render_strips()
    rows = []
    for row, y in enumerate(range(region.y + 1, region.bottom)):
        line = strips[y].crop(region.x, region.right)
        if any(segment.style is not None and segment.style.bgcolor == cursor for segment in line):
            rows.append(row)
    return rows


async def test_the_cursor_leaves_no_trail(app: DeskApp) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert cursor_rows(pilot) == [0]
        await pilot.press("j", "j", "j", "k")
        await settle(pilot)
        assert cursor_rows(pilot) == [2]
        # past the bottom the list scrolls: the cursor stays on the last row shown
        visible = desk(pilot).opinions.scrollable_content_region.height - 1
        for _ in range(visible + 2):
            await pilot.press("j")
        await settle(pilot)
        assert desk(pilot).opinions.cursor == visible + 4
        assert cursor_rows(pilot) == [visible - 1]
        await pilot.press("k")
        await settle(pilot)
        assert cursor_rows(pilot) == [visible - 2]
