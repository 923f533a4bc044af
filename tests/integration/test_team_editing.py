"""Two analysts on the same cases: no lost update, who did what, row locks only.

The stale-edit rules run on both back ends; identity and locking are the team store's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from tests.conftest import NOW, make_settings
from tests.pg_cluster import Cluster

from npsdesk.bootstrap import Services, bootstrap
from npsdesk.domain.clock import FixedClock
from npsdesk.domain.models import Priority
from npsdesk.errors import StaleCase, StoreLocked
from npsdesk.store import bulk_writes


def open_cases(services: Services, status: str, n: int) -> list[int]:
    with services.db.read() as conn:
        rows = conn.execute(
            "SELECT id FROM opinion WHERE status = ? AND archived = FALSE ORDER BY id LIMIT ?",
            (status, n),
        ).fetchall()
    return [int(row[0]) for row in rows]


@pytest.fixture
def case(demo: Services) -> int:
    """A case already in treatment: a note on it changes no column."""
    return open_cases(demo, "in_treatment", 1)[0]


def seen_by(services: Services, opinion_id: int) -> tuple[int, int]:
    case = services.lookup.case_file(opinion_id)
    return case.opinion.version, max(e.id for e in case.history)


def test_a_stale_edit_is_refused_with_what_changed_and_by_whom(demo: Services, case: int) -> None:
    version, last = seen_by(demo, case)
    mine = demo.cases("tester").seeing(version, last)
    demo.cases("ana").set_priority(case, Priority.LOW)  # while tester's form is open
    demo.cases("ana").add_note(case, "liguei, sem resposta")
    with pytest.raises(StaleCase) as refused:
        mine.set_deadline(case, date(2026, 12, 1))
    error = refused.value
    assert error.opinion_id == case
    assert [(c.actor, c.field, c.new_value) for c in error.changes if c.field] == [
        ("ana", "priority", "low")
    ]
    assert "ana set priority to low" in str(error)
    after = demo.lookup.case_file(case).opinion
    assert (after.priority, after.deadline) == (3, demo.lookup.case_file(case).opinion.deadline)
    assert after.deadline != date(2026, 12, 1)  # nothing of the refused edit was written
    # saving again, knowing, applies it over ana's change
    mine.set_deadline(case, date(2026, 12, 1))
    after = demo.lookup.case_file(case).opinion
    assert (after.priority, after.deadline) == (3, date(2026, 12, 1))


def test_notes_and_contacts_are_never_stale(demo: Services, case: int) -> None:
    version, last = seen_by(demo, case)
    mine = demo.cases("tester").seeing(version, last)
    demo.cases("ana").set_priority(case, Priority.LOW)
    mine.add_note(case, "uma nota não apaga nada")
    assert demo.lookup.case_file(case).history[-1].body == "uma nota não apaga nada"


def test_an_unchanged_case_saves_at_once(demo: Services, case: int) -> None:
    version, last = seen_by(demo, case)
    demo.cases("ana").add_note(case, "notes do not move the version")
    demo.cases("tester").seeing(version, last).set_priority(case, Priority.LOW)
    assert demo.lookup.case_file(case).opinion.priority == 3


# -- the team store ------------------------------------------------------------------------


@pytest.fixture
def team(
    pg_cluster: Cluster, pg_templates: dict[str, str], pg_passfile: object, monkeypatch: object
) -> Iterator[dict[str, Services]]:
    """The demo team store opened by two analysts, each with their own login."""
    monkeypatch.setenv("PGPASSFILE", str(pg_passfile))  # type: ignore[attr-defined]
    name = pg_cluster.create_database(template=pg_templates["demo"])
    opened = {
        user: bootstrap(make_settings(pg_cluster.url(name, user)), clock=FixedClock(NOW))
        for user in ("ana", "bruno")
    }
    yield opened
    for services in opened.values():
        services.close()
    pg_cluster.drop_database(name)


def test_the_login_is_the_analyst_and_the_history_says_so(team: dict[str, Services]) -> None:
    ana = team["ana"]
    (case,) = open_cases(ana, "in_treatment", 1)
    assert ana.settings.analyst == "ana"  # whatever the settings file says
    ana.cases().add_note(case, "feito pela ana")
    team["bruno"].cases().set_priority(case, Priority.LOW)
    history = team["bruno"].lookup.case_file(case).history
    assert [(e.actor, e.kind) for e in history[-2:]] == [
        ("ana", "note"),
        ("bruno", "field_changed"),
    ]


def test_a_bulk_change_locks_only_the_rows_it_changes(team: dict[str, Services]) -> None:
    ana, bruno = team["ana"], team["bruno"]
    *archived, other = open_cases(ana, "in_treatment", 4)
    bruno.db.connection().execute("SET lock_timeout = '300ms'")
    with ana.db.write() as conn:  # ana's bulk archive, not yet committed
        changed = bulk_writes.set_archived(conn, archived, True, "ana", NOW)
        assert set(changed) == set(archived)
        bruno.cases().set_priority(other, Priority.LOW)  # another case: no wait
        with pytest.raises(StoreLocked):
            bruno.cases().set_priority(archived[1], Priority.LOW)  # one of ana's rows: held
    assert bruno.lookup.case_file(other).opinion.priority == 3
    assert bruno.lookup.case_file(archived[1]).opinion.archived


def test_two_analysts_saving_the_same_case_at_once_lose_nothing(
    team: dict[str, Services],
) -> None:
    """Both decided on the same version; the row lock orders them and the second is told."""
    ana, bruno = team["ana"], team["bruno"]
    (case,) = open_cases(ana, "in_treatment", 1)
    version, last = seen_by(ana, case)
    outcomes: dict[str, str] = {}

    def save(who: str, services: Services, priority: Priority) -> None:
        try:
            services.cases().seeing(version, last).set_priority(case, priority)
            outcomes[who] = "saved"
        except StaleCase as refused:
            outcomes[who] = str(refused)
        finally:
            services.db.close()

    threads = [
        threading.Thread(target=save, args=("ana", ana, Priority.LOW)),
        threading.Thread(target=save, args=("bruno", bruno, Priority.HIGH)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values())[-1] == "saved"
    refused = [text for text in outcomes.values() if text != "saved"]
    assert len(refused) == 1
    winner = "ana" if outcomes["ana"] == "saved" else "bruno"
    assert f"{winner} set priority" in refused[0]


def test_a_new_login_joins_the_team_lists_and_a_removed_one_stays_out(
    team: dict[str, Services],
) -> None:
    from npsdesk.services.registry import Registry
    from npsdesk.store import desk_queries

    with team["ana"].db.read() as conn:
        listed = [username for username, _ in desk_queries.analysts(conn)]
    assert {"ana", "bruno"} <= set(listed)  # both opened the store
    Registry(team["ana"]).remove_analyst("bruno")
    url = team["bruno"].settings.store
    again = bootstrap(make_settings(url), clock=FixedClock(NOW))
    try:
        with again.db.read() as conn:
            listed = [username for username, _ in desk_queries.analysts(conn)]
    finally:
        again.close()
    assert "bruno" not in listed
