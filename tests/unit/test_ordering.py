"""The opinion list order: priority, nearest deadline (none last), oldest answer, id."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.domain.models import DomainError, NpsClass, Priority
from npsdesk.domain.ordering import Rankable, default_priority, ordered, sort_key

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def item(
    id: int,
    priority: Priority = Priority.MEDIUM,
    deadline: date | None = None,
    answered_at: datetime = T0,
) -> Rankable:
    return Rankable(id=id, priority=priority, deadline=deadline, answered_at=answered_at)


def ids(items: list[Rankable]) -> list[int]:
    return [i.id for i in items]


def test_default_priority_per_class() -> None:
    assert default_priority(NpsClass.DETRACTOR) is Priority.HIGH
    assert default_priority(NpsClass.NEUTRAL) is Priority.MEDIUM
    assert default_priority(NpsClass.PROMOTER) is Priority.LOW


def test_priority_comes_first() -> None:
    items = [
        item(1, Priority.LOW, date(2026, 3, 3)),
        item(2, Priority.HIGH, date(2026, 3, 20)),
        item(3, Priority.MEDIUM, date(2026, 3, 1)),
    ]
    assert ids(ordered(items)) == [2, 3, 1]


def test_override_moves_a_promoter_up() -> None:
    detractor = item(1, default_priority(NpsClass.DETRACTOR), date(2026, 3, 3))
    promoter = item(2, Priority.HIGH, date(2026, 3, 2))  # overridden by an analyst
    neutral = item(3, default_priority(NpsClass.NEUTRAL), date(2026, 3, 1))
    assert ids(ordered([neutral, detractor, promoter])) == [2, 1, 3]


def test_nearest_deadline_first_and_none_last() -> None:
    items = [
        item(1, deadline=None),
        item(2, deadline=date(2026, 3, 10)),
        item(3, deadline=date(2026, 3, 4)),
        item(4, deadline=date(2025, 12, 31)),  # overdue sorts first
    ]
    assert ids(ordered(items)) == [4, 3, 2, 1]


def test_oldest_answer_then_id_break_ties() -> None:
    d = date(2026, 3, 5)
    items = [
        item(5, deadline=d, answered_at=T0),
        item(2, deadline=d, answered_at=T0 + timedelta(hours=1)),
        item(3, deadline=d, answered_at=T0 - timedelta(minutes=1)),
        item(1, deadline=d, answered_at=T0),
    ]
    assert ids(ordered(items)) == [3, 1, 5, 2]


def test_answers_in_other_offsets_compare_by_instant() -> None:
    sao_paulo = timezone(timedelta(hours=-3))
    later_local = item(1, answered_at=datetime(2026, 3, 2, 10, 0, tzinfo=sao_paulo))  # 13:00Z
    earlier = item(2, answered_at=datetime(2026, 3, 2, 12, 30, tzinfo=UTC))
    assert ids(ordered([later_local, earlier])) == [2, 1]


def test_sort_key_shape_matches_the_sql_order() -> None:
    d = date(2026, 3, 5)
    assert sort_key(item(7, Priority.HIGH, d)) == (1, False, d, T0, 7)
    key = sort_key(item(8, Priority.LOW, None))
    assert key[:2] == (3, True)
    assert key[3:] == (T0, 8)


def test_naive_answered_at_is_refused() -> None:
    with pytest.raises(DomainError, match="timezone-aware"):
        item(1, answered_at=datetime(2026, 3, 2, 12, 0))


def test_ordered_accepts_any_iterable_and_returns_a_new_list() -> None:
    items = [item(2), item(1)]
    result = ordered(iter(items))
    assert ids(result) == [1, 2]
    assert ids(items) == [2, 1]
    assert ordered([]) == []


classes = st.sampled_from(list(NpsClass))
deadlines = st.one_of(
    st.none(), st.integers(0, 60).map(lambda n: date(2026, 3, 1) + timedelta(days=n))
)
# few distinct moments, so ties on deadline and answered_at happen often
moments = st.integers(0, 50).map(lambda n: T0 + timedelta(minutes=n))
Pairs = list[tuple[NpsClass, Rankable]]


def rankables(*, by_class: bool = False) -> st.SearchStrategy[Pairs]:
    row = st.tuples(classes, st.sampled_from(list(Priority)), deadlines, moments)

    def build(rows: list[tuple[int, tuple[NpsClass, Priority, date | None, datetime]]]) -> Pairs:
        return [
            (cls, Rankable(i, default_priority(cls) if by_class else prio, d, at))
            for i, (cls, prio, d, at) in rows
        ]

    return st.lists(
        st.tuples(st.integers(1, 10_000), row), max_size=40, unique_by=lambda r: r[0]
    ).map(build)


@given(rankables())
def test_ordered_is_a_permutation(pairs: Pairs) -> None:
    items = [r for _, r in pairs]
    result = ordered(items)
    assert len(result) == len(items)
    assert sorted(ids(result)) == sorted(ids(items))


@given(rankables(by_class=True))
def test_detractors_then_neutrals_then_promoters(
    pairs: Pairs,
) -> None:
    rank = {NpsClass.DETRACTOR: 0, NpsClass.NEUTRAL: 1, NpsClass.PROMOTER: 2}
    cls_of = {r.id: c for c, r in pairs}
    ranks = [rank[cls_of[r.id]] for r in ordered(r for _, r in pairs)]
    assert ranks == sorted(ranks)


@given(rankables())
def test_within_priority_deadlines_non_decreasing_none_last(
    pairs: Pairs,
) -> None:
    result = ordered(r for _, r in pairs)
    for prio in Priority:
        group = [r.deadline for r in result if r.priority == prio]
        dated = [d for d in group if d is not None]
        assert group == [*dated, *([None] * (len(group) - len(dated)))]
        assert dated == sorted(dated)


@given(rankables(), st.randoms(use_true_random=False))
def test_order_is_independent_of_input_order(pairs: Pairs, rnd: random.Random) -> None:
    items = [r for _, r in pairs]
    shuffled = items[:]
    rnd.shuffle(shuffled)
    assert ordered(shuffled) == ordered(items)
    assert ordered(ordered(items)) == ordered(items)


@given(rankables())
def test_adjacent_pairs_respect_the_key(pairs: Pairs) -> None:
    result = ordered(r for _, r in pairs)
    for a, b in pairwise(result):
        assert a.priority <= b.priority
        if a.priority == b.priority and a.deadline == b.deadline:
            assert (a.answered_at, a.id) < (b.answered_at, b.id)
