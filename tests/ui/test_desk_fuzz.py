"""Random text with control characters and markup in every customer field: the desk shows it
as plain characters, never crashes, and no escape sequence reaches the screen."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import NOW, make_settings
from tests.ui.conftest import WIDE, seen, settle

from npsdesk.bootstrap import bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.models import DomainError
from npsdesk.tui.app import DeskApp

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
PIECES = st.sampled_from(
    [
        "\x1b]52;c;ZXZpbA==\x07",
        "\x1b[2J",
        "\x1b[31m",
        "\x9b1;31m",
        "\x07",
        "\x00",
        "\r",
        "\x08",
        "[@click=app.quit]",
        "[/]",
        "[link='https://e.example']",
        "[bold red on white]",
        "\\[",
        "]",
        ":emoji:",
        "ação",
        "\u200b",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), min_size=1, max_size=6).map("".join)


async def look(store: Path, name: str, company: str, comment: str, note: str) -> str:
    services = bootstrap(make_settings(store), clock=FixedClock(NOW))
    try:
        with services.db.write() as conn:
            conn.execute(
                "UPDATE respondent SET name = ?, company = ? WHERE id = "
                "(SELECT respondent_id FROM opinion WHERE id = 34)",
                (name, company),
            )
            conn.execute("UPDATE opinion SET comment = ? WHERE id = 34", (comment,))
            conn.execute("UPDATE opinion SET lane = 1")  # the demo's replies answered: 34 leads
        try:
            services.cases("ana").add_note(34, note)  # the case moves into treatment
            tab = "2"
        except DomainError:  # nothing visible to keep: the note is refused, as it should be
            tab = "1"
        app = DeskApp(services)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.press(tab)
            await settle(pilot)
            shown = seen(pilot)
            assert app.is_running
        return shown
    finally:
        services.close()


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXT, TEXT, TEXT, TEXT)
def test_random_customer_text_reaches_the_screen_as_text(
    demo_template: Path, tmp_path_factory: object, name: str, company: str, comment: str, note: str
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")  # type: ignore[attr-defined]
    store = folder / "demo.sqlite"
    shutil.copyfile(demo_template, store)
    store.chmod(0o600)
    shown = asyncio.run(look(store, name, company, comment, note))
    assert "#34" in shown  # the fuzzed case is the one on screen
    assert not CONTROL.search(shown.replace("\n", ""))
