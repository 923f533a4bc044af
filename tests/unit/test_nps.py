"""NPS classes and the score: exact, one decimal, half away from zero."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from npsdesk.domain.models import DomainError, NpsClass
from npsdesk.domain.nps import (
    InvalidScore,
    NpsSummary,
    classify,
    nps_value,
    round_half_away,
    summarize,
)

counts = st.integers(min_value=0, max_value=10_000)


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, NpsClass.DETRACTOR),
        (1, NpsClass.DETRACTOR),
        (6, NpsClass.DETRACTOR),
        (7, NpsClass.NEUTRAL),
        (8, NpsClass.NEUTRAL),
        (9, NpsClass.PROMOTER),
        (10, NpsClass.PROMOTER),
    ],
)
def test_classify_boundaries(score: int, expected: NpsClass) -> None:
    assert classify(score) is expected


@pytest.mark.parametrize("score", [-1, 11, 100, True, False, 9.0, 7.5, "9", None, [9]])
def test_classify_refuses_non_scores(score: object) -> None:
    with pytest.raises(InvalidScore, match="whole number from 0 to 10"):
        classify(score)


def test_invalid_score_message_names_the_value() -> None:
    with pytest.raises(InvalidScore) as info:
        classify(11)
    assert str(info.value) == "score must be a whole number from 0 to 10, got 11"


def test_invalid_score_is_a_domain_error() -> None:
    assert issubclass(InvalidScore, DomainError)
    assert issubclass(InvalidScore, ValueError)


def test_empty_has_no_nps() -> None:
    assert nps_value(0, 0, 0) is None
    summary = summarize([])
    assert summary == NpsSummary(0, 0, 0)
    assert summary.total == 0
    assert summary.nps is None
    assert summary.percent(NpsClass.PROMOTER) is None


@pytest.mark.parametrize(
    ("promoters", "neutrals", "detractors", "expected"),
    [
        (1, 0, 0, 100.0),
        (0, 0, 1, -100.0),
        (0, 5, 0, 0.0),
        (1, 0, 1, 0.0),
        (1, 7, 0, 12.5),  # 1 of 8: exactly 12.5, no rounding
        (1, 2, 0, 33.3),  # 1 of 3
        (2, 1, 0, 66.7),  # 2 of 3: 66.666... rounds up
        (0, 2, 1, -33.3),
        (0, 1, 2, -66.7),
        (1, 15, 0, 6.3),  # 6.25: half away from zero, not to even
        (0, 15, 1, -6.3),
        (3, 37, 0, 7.5),  # 7.5
        (1, 79, 0, 1.3),  # 1.25 -> 1.3
        (0, 79, 1, -1.3),
        (50, 30, 20, 30.0),
        (7, 1, 0, 87.5),
    ],
)
def test_nps_value_examples(
    promoters: int, neutrals: int, detractors: int, expected: float
) -> None:
    assert nps_value(promoters, neutrals, detractors) == expected


def test_zero_is_not_negative_zero() -> None:
    value = nps_value(1, 10_000, 1)
    assert value == 0.0
    assert str(value) == "0.0"
    # -0.04 rounds to 0.0, not -0.0
    tiny = nps_value(0, 2_499, 1)
    assert str(tiny) == "0.0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(125, 10), 12.5),
        (Fraction(1245, 100), 12.5),
        (Fraction(-1245, 100), -12.5),
        (Fraction(1244, 100), 12.4),
        (Fraction(5, 100), 0.1),
        (Fraction(-5, 100), -0.1),
        (Fraction(4, 100), 0.0),
        (Fraction(100), 100.0),
    ],
)
def test_round_half_away(value: Fraction, expected: float) -> None:
    assert round_half_away(value) == expected


@pytest.mark.parametrize("args", [(-1, 0, 0), (0, -1, 0), (0, 0, -1), (1.0, 0, 0), (True, 0, 0)])
def test_nps_value_refuses_bad_counts(args: tuple[int, int, int]) -> None:
    with pytest.raises(DomainError, match="whole number >= 0"):
        nps_value(*args)


def test_summary_refuses_negative_counts() -> None:
    with pytest.raises(DomainError):
        NpsSummary(promoters=-1, neutrals=0, detractors=0)


def test_summarize_counts_classes() -> None:
    summary = summarize([10, 9, 9, 8, 7, 6, 0, 3])
    assert summary == NpsSummary(promoters=3, neutrals=2, detractors=3)
    assert summary.total == 8
    assert summary.nps == 0.0
    assert summary.percent(NpsClass.PROMOTER) == 37.5
    assert summary.percent(NpsClass.NEUTRAL) == 25.0
    assert summary.percent(NpsClass.DETRACTOR) == 37.5
    assert summary.count(NpsClass.NEUTRAL) == 2


def test_summarize_accepts_a_generator_and_refuses_bad_scores() -> None:
    assert summarize(s for s in (9, 10)).nps == 100.0
    with pytest.raises(InvalidScore, match="got 11"):
        summarize([9, 11])


def test_percent_accepts_the_plain_string_value() -> None:
    summary = NpsSummary(1, 2, 0)
    assert summary.percent("neutral") == 66.7  # type: ignore[arg-type]


@given(counts, counts, counts)
def test_nps_in_range(promoters: int, neutrals: int, detractors: int) -> None:
    value = nps_value(promoters, neutrals, detractors)
    if promoters + neutrals + detractors == 0:
        assert value is None
    else:
        assert value is not None
        assert -100.0 <= value <= 100.0
        assert round(value, 1) == value


@given(counts, counts, counts)
def test_swapping_promoters_and_detractors_negates(
    promoters: int, neutrals: int, detractors: int
) -> None:
    value = nps_value(promoters, neutrals, detractors)
    swapped = nps_value(detractors, neutrals, promoters)
    if value is None:
        assert swapped is None
    else:
        assert swapped == -value or (value == 0.0 and swapped == 0.0)


@given(st.integers(min_value=1, max_value=10_000))
def test_all_promoters_is_100_all_detractors_is_minus_100(n: int) -> None:
    assert nps_value(n, 0, 0) == 100.0
    assert nps_value(0, 0, n) == -100.0
    assert nps_value(0, n, 0) == 0.0


@given(st.lists(st.integers(min_value=0, max_value=10), max_size=300))
def test_summarize_agrees_with_nps_value(scores: list[int]) -> None:
    summary = summarize(scores)
    assert summary.total == len(scores)
    assert summary.promoters == sum(1 for s in scores if s >= 9)
    assert summary.detractors == sum(1 for s in scores if s <= 6)
    assert summary.nps == nps_value(summary.promoters, summary.neutrals, summary.detractors)


@given(counts, counts, counts)
def test_nps_matches_exact_arithmetic(promoters: int, neutrals: int, detractors: int) -> None:
    total = promoters + neutrals + detractors
    value = nps_value(promoters, neutrals, detractors)
    if total == 0:
        return
    assert value is not None
    exact = Fraction(100 * (promoters - detractors), total)
    # the rounded value is within half a tenth of the exact one, and ties go outwards
    assert abs(Fraction(value).limit_denominator(10) - exact) <= Fraction(1, 20)
    if abs(exact) * 10 % 1 == Fraction(1, 2):
        assert abs(Fraction(value).limit_denominator(10)) > abs(exact)


@given(counts, counts, counts)
def test_percentages_cover_the_whole(promoters: int, neutrals: int, detractors: int) -> None:
    summary = NpsSummary(promoters, neutrals, detractors)
    shares = [summary.percent(c) for c in NpsClass]
    if summary.total == 0:
        assert shares == [None, None, None]
        return
    values = [s for s in shares if s is not None]
    assert len(values) == 3
    assert all(0.0 <= v <= 100.0 for v in values)
    assert abs(sum(values) - 100.0) <= 0.15 + 1e-9
