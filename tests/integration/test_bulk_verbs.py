"""The bulk verbs beyond archiving: they write what the one-case use cases write, skip with
a reason, and their undo restores exactly the previous values."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from npsdesk.bootstrap import Services
from npsdesk.domain.models import DomainError, Priority, TicketType
from npsdesk.errors import NotFound
from npsdesk.services.bulk import (
    SKIP_ALREADY_CLOSED,
    SKIP_ALREADY_FOLLOWING,
    SKIP_ALREADY_SET,
    SKIP_CHANGED_SINCE,
    SKIP_NOT_FOUND,
    BulkService,
)
from npsdesk.services.registry import Registry
from npsdesk.store import desk_queries as dq

CASE_COLUMNS = (
    "status, archived, deadline, priority, type, category_id, responsible_id, "
    "first_action_at, closed_at, version"
)


def untreated(services: Services, n: int) -> list[int]:
    with services.db.read() as conn:
        return dq.all_ids(conn, dq.ListFilter("untreated"))[:n]


def columns(services: Services, ids: list[int]) -> dict[int, tuple[Any, ...]]:
    with services.db.read() as conn:
        return {
            row[0]: tuple(row[1:-1])  # all but the version
            for row in conn.execute(
                f"SELECT id, {CASE_COLUMNS} FROM opinion WHERE id IN "
                f"({', '.join(str(i) for i in ids)})"
            )
        }


def shape(services: Services, opinion_id: int, n: int) -> list[tuple[Any, ...]]:
    history = services.lookup.case_file(opinion_id).history
    return [(e.kind, e.field, e.old_value, e.new_value, e.actor) for e in history[-n:]]


@pytest.mark.parametrize(
    ("verb", "value", "one_case"),
    [
        ("set_category", "Financeiro", "set_category"),
        ("set_type", TicketType.COMPLAINT, "set_type"),
        ("set_priority", Priority.LOW, "set_priority"),
        ("set_deadline", date(2026, 12, 1), "set_deadline"),
    ],
)
def test_a_field_set_in_bulk_reads_in_the_history_as_one_edit_does(
    demo: Services, verb: str, value: object, one_case: str
) -> None:
    ids = untreated(demo, 4)
    getattr(demo.cases("tester"), one_case)(ids[0], value)
    result = getattr(BulkService(demo.db, demo.clock, "tester"), verb)(ids, value)
    assert sorted(result.changed) == sorted(ids[1:])
    assert result.skipped == {SKIP_ALREADY_SET: (ids[0],)}
    # field change, then the move into treatment: as the one-case edit wrote it
    bulk, one = shape(demo, ids[1], 2), shape(demo, ids[0], 2)
    assert [(k, f, n, a) for k, f, _, n, a in bulk] == [(k, f, n, a) for k, f, _, n, a in one]
    assert bulk[1] == one[1]
    old_value = bulk[0][2]
    if verb == "set_priority":
        assert old_value in ("high", "medium")
    elif verb == "set_deadline":
        assert date.fromisoformat(old_value) != value
    else:
        assert old_value is None == one[0][2]
    assert demo.lookup.case_file(ids[1]).opinion.status == "in_treatment"


def test_undo_restores_every_column_a_bulk_edit_touched(demo: Services) -> None:
    ids = untreated(demo, 6)
    before = columns(demo, ids)
    bulk = BulkService(demo.db, demo.clock, "tester")
    done = bulk.set_category(ids, "Comercial")
    assert columns(demo, ids) != before
    demo.cases("bruno").add_note(ids[0], "alguém mexeu depois")
    undone = bulk.undo(done)
    assert sorted(undone.changed) == sorted(ids[1:])
    assert undone.skipped == {SKIP_CHANGED_SINCE: (ids[0],)}
    after = columns(demo, ids)
    assert {i: after[i] for i in ids[1:]} == {i: before[i] for i in ids[1:]}
    assert after[ids[0]] != before[ids[0]]  # the case changed since keeps its new values
    # the undo tells its own story: category back and status back to untreated
    kinds = shape(demo, ids[1], 2)
    assert kinds[0][:2] == ("field_changed", "category")
    assert kinds[0][2] == "Comercial"
    assert kinds[1][:4] == ("status_changed", "status", "in_treatment", "untreated")


def test_bulk_close_closes_what_may_close_and_names_what_the_rest_lack(demo: Services) -> None:
    ids = untreated(demo, 5)
    cases = demo.cases("tester")
    cases.set_category(ids[0], "Suporte")
    cases.set_category(ids[1], "Suporte")
    cases.close(ids[1], ticket_type=TicketType.PRAISE, responsible="ana")
    bulk = BulkService(demo.db, demo.clock, "tester")
    result = bulk.close([*ids, 999_999], ticket_type=TicketType.COMPLAINT, responsible="carla")
    assert sorted(result.changed) == [ids[0]]
    assert result.skipped == {
        SKIP_ALREADY_CLOSED: (ids[1],),
        "missing_category": tuple(ids[2:]),
        SKIP_NOT_FOUND: (999_999,),
    }
    closed = demo.lookup.case_file(ids[0]).opinion
    assert (closed.status, closed.type, closed.category, closed.responsible) == (
        "closed",
        "complaint",
        "Suporte",
        "carla",
    )
    assert closed.closed_at is not None
    # the skipped keep their values: nothing half-set
    assert demo.lookup.case_file(ids[2]).opinion.responsible is None
    assert [e[:2] for e in shape(demo, ids[0], 3)] == [
        ("field_changed", "type"),
        ("field_changed", "responsible"),
        ("status_changed", "status"),
    ]
    with pytest.raises(NotFound, match="unknown category"):
        bulk.close(ids, category="Nada")


def test_undo_of_a_close_reopens_to_the_exact_previous_state(demo: Services) -> None:
    ids = untreated(demo, 3)
    before = columns(demo, ids)
    bulk = BulkService(demo.db, demo.clock, "tester")
    done = bulk.close(ids, ticket_type=TicketType.SUGGESTION, category="Suporte", responsible="ana")
    assert sorted(done.changed) == sorted(ids)
    bulk.undo(done)
    assert columns(demo, ids) == before  # untreated again, no first action, no close date


def test_follow_in_bulk_and_its_undo(demo: Services) -> None:
    ids = untreated(demo, 3)
    demo.cases("tester").follow(ids[0], "diego")
    bulk = BulkService(demo.db, demo.clock, "tester")
    done = bulk.follow(ids, "diego")
    assert sorted(done.changed) == sorted(ids[1:])
    assert done.skipped == {SKIP_ALREADY_FOLLOWING: (ids[0],)}
    assert "diego" in demo.lookup.case_file(ids[1]).opinion.followers
    assert demo.lookup.case_file(ids[1]).opinion.status == "untreated"  # following is no action
    bulk.undo(done)
    assert "diego" not in demo.lookup.case_file(ids[1]).opinion.followers
    assert "diego" in demo.lookup.case_file(ids[0]).opinion.followers  # followed before
    assert shape(demo, ids[1], 1)[0][:3] == ("field_changed", "followers", "diego")


def test_a_removed_analyst_or_category_is_not_given_new_cases(demo: Services) -> None:
    ids = untreated(demo, 2)
    registry = Registry(demo, "tester")
    registry.remove_category("Comercial")
    registry.remove_analyst("diego")
    bulk = BulkService(demo.db, demo.clock, "tester")
    with pytest.raises(DomainError, match="category 'Comercial' was removed"):
        bulk.set_category(ids, "Comercial")
    with pytest.raises(DomainError, match="analyst 'diego' was removed"):
        bulk.assign(ids, "diego")
    with pytest.raises(DomainError, match="analyst 'diego' was removed"):
        bulk.close(ids, responsible="diego")
