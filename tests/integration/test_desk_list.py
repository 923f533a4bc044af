"""The desk's list reads and bulk changes, against the demo store."""

from __future__ import annotations

import pytest

from npsdesk.bootstrap import Services
from npsdesk.errors import NotFound
from npsdesk.services.bulk import (
    SKIP_ALREADY_ARCHIVED,
    SKIP_ALREADY_RESPONSIBLE,
    SKIP_CHANGED_SINCE,
    SKIP_NOT_FOUND,
    BulkService,
)
from npsdesk.store import desk_queries as dq
from npsdesk.store import queries

WHERE = {
    "untreated": "NOT archived AND status = 'untreated'",
    "in_treatment": "NOT archived AND status = 'in_treatment'",
    "all": "NOT archived",
    "archived": "archived",
}


def expected_order(services: Services, tab: str) -> list[int]:
    with services.db.read() as conn:
        rows = conn.execute(
            f"SELECT id, priority, lane, deadline, answered_at FROM opinion WHERE {WHERE[tab]}"
        ).fetchall()
    return [r["id"] for r in sorted(rows, key=lambda r: (r[1], r[2], r[3], r[4], r[0]))]


@pytest.mark.parametrize("tab", list(WHERE))
def test_keyset_pages_walk_the_tab_in_priority_order(demo: Services, tab: str) -> None:
    f = dq.ListFilter(tab)
    seen: list[int] = []
    with demo.db.read() as conn:
        rows = dq.page(conn, f, limit=17)
        while rows:
            seen += [r.id for r in rows]
            rows = dq.page(conn, f, limit=17, after=rows[-1].key)
        assert dq.count(conn, f) == len(seen)
    assert seen == expected_order(demo, tab)


def test_pages_read_backwards_and_by_offset_agree(demo: Services) -> None:
    f = dq.ListFilter("all")
    order = expected_order(demo, "all")
    with demo.db.read() as conn:
        middle = dq.page(conn, f, limit=20, offset=100)
        assert [r.id for r in middle] == order[100:120]
        before = dq.page(conn, f, limit=20, before=middle[0].key)
        assert [r.id for r in before] == order[80:100]
        last = dq.page(conn, f, limit=20, from_end=True)
        assert [r.id for r in last] == order[-20:]
        tail = dq.page(conn, f, limit=20, offset=20, from_end=True)
        assert [r.id for r in tail] == order[-40:-20]
        assert dq.position(conn, f, middle[3].key) == 103
        archived = dq.page(conn, dq.ListFilter("archived"), limit=1)[0]
        assert dq.position(conn, f, archived.key) is None


@pytest.mark.parametrize("tab", ["all", "archived"])
@pytest.mark.parametrize(
    ("narrow", "search", "where"),
    [
        (dq.Narrow(nps_class="detractor"), "", "nps_class = 'detractor'"),
        (dq.Narrow(status="closed"), "", "status = 'closed'"),
        (dq.Narrow(), "sistema", None),
    ],
)
def test_narrowed_tabs_of_every_status_page_in_order_both_ways(
    demo: Services, tab: str, narrow: dq.Narrow, search: str, where: str | None
) -> None:
    """Tabs spanning every status (read a status at a time on PostgreSQL) keep one order
    forwards, backwards and from either end, narrowed or searched."""
    f = dq.ListFilter(tab, search=search, narrow=narrow)
    with demo.db.read() as conn:
        if where is None:
            kept = set(dq.all_ids(conn, dq.ListFilter(tab, search=search)))
        else:
            kept = {r[0] for r in conn.execute(f"SELECT id FROM opinion WHERE {where}")}
        order = [i for i in expected_order(demo, tab) if i in kept]
        seen: list[int] = []
        rows = dq.page(conn, f, limit=7)
        while rows:
            seen += [r.id for r in rows]
            rows = dq.page(conn, f, limit=7, after=rows[-1].key)
        back: list[int] = []
        rows = dq.page(conn, f, limit=7, from_end=True)
        while rows:
            back = [r.id for r in rows] + back
            rows = dq.page(conn, f, limit=7, before=rows[0].key)
        tail = [r.id for r in dq.page(conn, f, limit=5, offset=3, from_end=True)]
        middle = [r.id for r in dq.page(conn, f, limit=5, offset=3)]
    assert len(order) > 10
    assert seen == back == order
    assert tail == order[-8:-3]
    assert middle == order[3:8]


def test_detractors_come_first_then_the_nearest_deadline(demo: Services) -> None:
    with demo.db.read() as conn:
        rows = dq.page(conn, dq.ListFilter("untreated"), limit=500)
    classes = [r.nps_class for r in rows]
    assert classes == sorted(classes, key=["detractor", "neutral", "promoter"].index)
    detractors = [r.deadline for r in rows if r.nps_class == "detractor"]
    assert detractors == sorted(detractors)


def test_tab_counts_add_up(demo: Services) -> None:
    with demo.db.read() as conn:
        counts = dq.tab_counts(conn, dq.ListFilter(me="ana"))
        closed = conn.execute(
            "SELECT count(*) FROM opinion WHERE NOT archived AND status = 'closed'"
        ).fetchone()[0]
        total = conn.execute("SELECT count(*) FROM opinion").fetchone()[0]
        mine = conn.execute(
            """SELECT count(*) FROM opinion o JOIN analyst a ON a.id = o.responsible_id
               WHERE a.username = 'ana' AND NOT o.archived AND o.status <> 'closed'"""
        ).fetchone()[0]
    assert counts["all"] == counts["untreated"] + counts["in_treatment"] + closed
    assert counts["all"] + counts["archived"] == total
    assert counts["mine"] == mine


@pytest.mark.parametrize(
    "text",
    ["araujo", "sistema lento", "fatima moura", "Farma", "TRK-104016", "17"],
)
def test_search_matches_what_find_finds(demo: Services, text: str) -> None:
    with demo.db.read() as conn:
        found = set(queries.find_ids(conn, text, 100_000))
        listed = set(dq.all_ids(conn, dq.ListFilter("all", search=text)))
        listed |= set(dq.all_ids(conn, dq.ListFilter("archived", search=text)))
    assert found
    assert listed == found


def test_search_by_cnpj_phone_and_email(demo: Services) -> None:
    with demo.db.read() as conn:
        row = conn.execute(
            "SELECT cnpj, phone, email FROM respondent WHERE cnpj IS NOT NULL AND phone "
            "IS NOT NULL AND email IS NOT NULL LIMIT 1"
        ).fetchone()
        for text in (row["cnpj"], row["cnpj"][:8], row["phone"], row["email"].split("@")[0] + "@"):
            found = set(queries.find_ids(conn, text, 100_000))
            every = set(dq.all_ids(conn, dq.ListFilter("all", search=text))) | set(
                dq.all_ids(conn, dq.ListFilter("archived", search=text))
            )
            assert found <= every, text
            assert every, text


def test_following_lists_the_open_cases_an_analyst_follows(demo: Services) -> None:
    with demo.db.read() as conn:
        followed = [
            row.id
            for tab in ("untreated", "in_treatment", "all", "archived")
            for row in dq.page(conn, dq.ListFilter(tab), limit=8, offset=5)
        ]
    cases = demo.cases()
    for opinion_id in followed:
        cases.follow(opinion_id, "bruno")
    f = dq.ListFilter("following", me="bruno")
    seen: list[int] = []
    with demo.db.read() as conn:
        rows = dq.page(conn, f, limit=3)
        while rows:
            seen += [r.id for r in rows]
            rows = dq.page(conn, f, limit=3, after=rows[-1].key)
        assert dq.count(conn, f) == len(seen)
        assert dq.all_ids(conn, f) == seen
        follows = {
            r[0]
            for r in conn.execute(
                """SELECT f.opinion_id FROM opinion_follower f
                   JOIN analyst a ON a.id = f.analyst_id WHERE a.username = 'bruno'"""
            )
        }
        closed = {r[0] for r in conn.execute("SELECT id FROM opinion WHERE status = 'closed'")}
    assert set(followed) <= follows
    assert seen == [i for i in expected_order(demo, "all") if i in follows and i not in closed]
    assert 10 < len(set(followed) & set(seen)) < len(set(followed))  # not archived, not closed


def test_bulk_archive_writes_one_event_each_and_reports_skips(demo: Services) -> None:
    with demo.db.read() as conn:
        ids = dq.all_ids(conn, dq.ListFilter("all"))[:30]
        archived = dq.all_ids(conn, dq.ListFilter("archived"))[:2]
        before = conn.execute("SELECT count(*) FROM event").fetchone()[0]
        statuses = conn.execute("SELECT id, status FROM opinion ORDER BY id").fetchall()
    result = BulkService(demo.db, demo.clock, "tester").archive([*ids, *archived, 999_999])
    assert sorted(result.changed) == sorted(ids)
    assert result.skipped == {SKIP_ALREADY_ARCHIVED: tuple(archived), SKIP_NOT_FOUND: (999_999,)}
    with demo.db.read() as conn:
        after = conn.execute("SELECT count(*) FROM event").fetchone()[0]
        left = dq.all_ids(conn, dq.ListFilter("all"))
        assert conn.execute("SELECT id, status FROM opinion ORDER BY id").fetchall() == statuses
    assert after - before == 30
    assert not set(ids) & set(left)
    case = demo.lookup.case_file(ids[0])
    assert case.opinion.archived
    assert (case.history[-1].kind, case.history[-1].actor) == ("archived", "tester")


def test_undo_restores_unchanged_cases_and_names_the_changed(demo: Services) -> None:
    bulk = BulkService(demo.db, demo.clock, "tester")
    with demo.db.read() as conn:
        ids = dq.all_ids(conn, dq.ListFilter("untreated"))[:5]
    done = bulk.archive(ids)
    demo.cases().add_note(ids[0], "mexi depois do arquivamento")
    undone = bulk.undo(done)
    assert sorted(undone.changed) == sorted(ids[1:])
    assert undone.skipped == {SKIP_CHANGED_SINCE: (ids[0],)}
    with demo.db.read() as conn:
        assert set(ids[1:]) <= set(dq.all_ids(conn, dq.ListFilter("untreated")))


def test_bulk_assign_moves_untreated_cases_into_treatment(demo: Services) -> None:
    with demo.db.read() as conn:
        ids = dq.all_ids(conn, dq.ListFilter("untreated"))[:3]
    demo.cases().assign(ids[0], "carla")
    result = BulkService(demo.db, demo.clock, "tester").assign(ids, "carla")
    assert sorted(result.changed) == sorted(ids[1:])
    assert result.skipped == {SKIP_ALREADY_RESPONSIBLE: (ids[0],)}
    bulk_case = demo.lookup.case_file(ids[1])
    assert (bulk_case.opinion.status, bulk_case.opinion.responsible) == ("in_treatment", "carla")
    assert bulk_case.opinion.first_action_at is not None
    one_case = demo.lookup.case_file(ids[0])
    shape = [(e.kind, e.field, e.old_value, e.new_value) for e in bulk_case.history[-2:]]
    assert shape == [(e.kind, e.field, e.old_value, e.new_value) for e in one_case.history[-2:]]
    with pytest.raises(NotFound, match="unknown analyst"):
        BulkService(demo.db, demo.clock, "tester").assign(ids, "ghost")
