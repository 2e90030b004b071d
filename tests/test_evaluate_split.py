"""The tune/check split: fixed by the id alone, and about even."""

from __future__ import annotations

from collections import Counter

from sitroom.evaluate.split import HALVES, half_of


def test_half_is_fixed_by_the_id() -> None:
    # Pinned: moving an item to the other half would mix tuning data into the check half.
    assert half_of("8006651") == "tune"
    assert half_of("2") == "tune"
    assert half_of("road_ied_8") == "check"
    assert half_of("1") == "check"
    assert [half_of("8006651") for _ in range(3)] == ["tune"] * 3


def test_halves_are_about_even() -> None:
    counts = Counter(half_of(f"doc-{n}") for n in range(2000))
    assert set(counts) == set(HALVES)
    assert abs(counts["tune"] - counts["check"]) < 150  # 2000 fair coins: sd about 45
