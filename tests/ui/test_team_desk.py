"""The desk on the team store: a colleague's changes arrive by themselves, and a save over
a case they changed meanwhile is refused with what they did, the form kept as typed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from tests.conftest import make_settings
from tests.pg_cluster import Cluster
from tests.pg_fixtures import pg_store
from tests.ui.conftest import WIDE, desk, notes, seen, settle

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.models import Priority
from npsdesk.store import changes
from npsdesk.tui.app import DeskApp
from npsdesk.tui.forms.choices import ChoiceForm
from npsdesk.tui.screens import desk_frame as desk_core


@pytest.fixture
def team(
    request: pytest.FixtureRequest, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Services]]:
    """The demo team store as tester (at the desk) and ana (elsewhere)."""
    monkeypatch.setattr(desk_core, "POLL_SECONDS", 0.2)
    url = pg_store(request, "demo")
    opened = {
        user: bootstrap(make_settings(url.replace("tester@", f"{user}@")), clock=clock)
        for user in ("tester", "ana")
    }
    yield opened
    for services in opened.values():
        services.close()


async def until(pilot: object, condition: object, seconds: float = 5.0) -> bool:
    for _ in range(int(seconds / 0.1)):
        if condition():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.1)
        await pilot.pause()  # type: ignore[attr-defined]
    return bool(condition())  # type: ignore[operator]


async def test_a_colleagues_change_reaches_the_open_desk(team: dict[str, Services]) -> None:
    app = DeskApp(team["tester"])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "1 Untreated 246" in seen(pilot)
        case = desk(pilot).case
        assert case is not None
        # ana treats the case under the cursor on her own desk
        team["ana"].cases().add_note(case.opinion.id, "liguei para o cliente")
        assert await until(pilot, lambda: "1 Untreated 245" in seen(pilot))
        await settle(pilot)
        moved = desk(pilot).case  # it left the untreated tab: the next case is shown
        assert moved is not None
        assert moved.opinion.id != case.opinion.id


async def test_a_save_over_a_colleagues_change_is_refused_and_kept(
    team: dict[str, Services],
) -> None:
    app = DeskApp(team["tester"])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        case = desk(pilot).case
        assert case is not None
        opinion_id = case.opinion.id
        await pilot.press("p")
        await pilot.pause()
        form = pilot.app.screen
        assert isinstance(form, ChoiceForm)
        # meanwhile ana lowers the priority
        team["ana"].cases().set_priority(opinion_id, Priority.LOW)
        await pilot.press("down", "enter")  # tester picks medium
        await pilot.pause()
        assert pilot.app.screen is form  # still open, as the analyst left it
        text = seen(pilot)
        assert f"Case #{opinion_id} changed while you were editing it" in text
        assert "ana set priority to low" in text
        assert team["ana"].lookup.case_file(opinion_id).opinion.priority == int(Priority.LOW)
        await pilot.press("enter")  # saving again applies it over ana's change
        await settle(pilot)
        assert pilot.app.screen is not form
        assert team["ana"].lookup.case_file(opinion_id).opinion.priority == int(Priority.MEDIUM)


async def test_the_desk_rides_out_a_server_restart(
    team: dict[str, Services], pg_cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server goes away under an open desk: it says it is offline and retrying, says
    so no more once the server is back, and a colleague's change made after that arrives."""
    monkeypatch.setattr(changes, "BACKOFF", (0.2,), raising=False)
    offline = "offline, retrying: the team store cannot be reached"
    app = DeskApp(team["tester"])
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert "1 Untreated 246" in seen(pilot)
        assert offline not in seen(pilot)
        restart = asyncio.create_task(asyncio.to_thread(pg_cluster.restart, 2.0))
        assert await until(pilot, lambda: offline in seen(pilot), 10)
        await pilot.press("f5")  # a refresh while offline says so instead of failing
        await pilot.pause()
        await restart
        assert await until(pilot, lambda: offline not in seen(pilot), 10)
        assert "back online" in " ".join(notes(pilot))
        await settle(pilot)
        case = desk(pilot).case
        assert case is not None
        team["ana"].cases().add_note(case.opinion.id, "liguei depois da queda")
        assert await until(pilot, lambda: "1 Untreated 245" in seen(pilot))
