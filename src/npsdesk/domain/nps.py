"""NPS classes and the score: exact arithmetic, one decimal, half away from zero."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from npsdesk.domain.models import DomainError, NpsClass

__all__ = ["InvalidScore", "NpsSummary", "classify", "nps_value", "round_half_away", "summarize"]

_SCORE_MESSAGE = "score must be a whole number from 0 to 10, got {!r}"


class InvalidScore(DomainError):
    """A score that is not a whole number from 0 to 10."""


def classify(score: object) -> NpsClass:
    """9-10 promoter, 7-8 neutral, 0-6 detractor.

    Only a real ``int`` is a score: ``True``, ``9.0`` and ``"9"`` are refused, so a
    mistyped import column never slips in as a silent conversion.
    """
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
        raise InvalidScore(_SCORE_MESSAGE.format(score))
    if score >= 9:
        return NpsClass.PROMOTER
    if score >= 7:
        return NpsClass.NEUTRAL
    return NpsClass.DETRACTOR


def round_half_away(value: Fraction) -> float:
    """Round to one decimal, half away from zero (12.45 -> 12.5, -12.45 -> -12.5).

    Done on the exact fraction: float rounding would turn 12.5 / 2 cases into banker's
    rounding or binary artefacts.
    """
    tenths = abs(value) * 10
    whole = int(tenths + Fraction(1, 2))  # floor, since the operand is >= 0
    result = Fraction(whole, 10)
    return float(-result if value < 0 else result)


def _check_count(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DomainError(f"{name} must be a whole number >= 0, got {value!r}")


def nps_value(promoters: int, neutrals: int, detractors: int) -> float | None:
    """%promoters - %detractors, -100.0..100.0 with one decimal; None without answers."""
    _check_count("promoters", promoters)
    _check_count("neutrals", neutrals)
    _check_count("detractors", detractors)
    total = promoters + neutrals + detractors
    if total == 0:
        return None
    return round_half_away(Fraction(100 * (promoters - detractors), total))


@dataclass(frozen=True)
class NpsSummary:
    promoters: int
    neutrals: int
    detractors: int

    def __post_init__(self) -> None:
        _check_count("promoters", self.promoters)
        _check_count("neutrals", self.neutrals)
        _check_count("detractors", self.detractors)

    @property
    def total(self) -> int:
        return self.promoters + self.neutrals + self.detractors

    @property
    def nps(self) -> float | None:
        return nps_value(self.promoters, self.neutrals, self.detractors)

    def count(self, nps_class: NpsClass) -> int:
        if nps_class is NpsClass.PROMOTER:
            return self.promoters
        if nps_class is NpsClass.NEUTRAL:
            return self.neutrals
        return self.detractors

    def percent(self, nps_class: NpsClass) -> float | None:
        """Share of the class in percent, one decimal; None without answers."""
        total = self.total
        if total == 0:
            return None
        return round_half_away(Fraction(100 * self.count(NpsClass(nps_class)), total))


def summarize(scores: Iterable[int]) -> NpsSummary:
    """Count the classes; any invalid score raises InvalidScore."""
    counts = dict.fromkeys(NpsClass, 0)
    for score in scores:
        counts[classify(score)] += 1
    return NpsSummary(
        promoters=counts[NpsClass.PROMOTER],
        neutrals=counts[NpsClass.NEUTRAL],
        detractors=counts[NpsClass.DETRACTOR],
    )
