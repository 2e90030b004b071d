"""Tests for sitroom.extract.dates: date expressions against a publication date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import parse
from sitroom.config import DataOverride
from sitroom.extract.dates import ResolvedDate, names_year, resolve_date, with_day
from sitroom.records import DATE_PRECISIONS

PUB = dt.date(2024, 12, 2)  # a Monday
D = dt.date

RELATIVE = [
    ("on Saturday", D(2024, 11, 30), "day"),
    ("Friday night", D(2024, 11, 29), "day"),
    ("Sunday morning", D(2024, 12, 1), "day"),
    ("on Monday", D(2024, 12, 2), "day"),  # the publication's own weekday: that day
    ("last Monday", D(2024, 11, 25), "day"),
    ("last Thursday", D(2024, 11, 28), "day"),
    ("next Thursday", D(2024, 12, 5), "day"),
    ("yesterday", D(2024, 12, 1), "day"),
    ("last night", D(2024, 12, 1), "day"),
    ("the day before yesterday", D(2024, 11, 30), "day"),
    ("today", D(2024, 12, 2), "day"),
    ("this morning", D(2024, 12, 2), "day"),
    ("earlier today", D(2024, 12, 2), "day"),
    ("tomorrow", D(2024, 12, 3), "day"),
    ("last week", D(2024, 11, 25), "week"),
    ("this week", D(2024, 12, 2), "week"),
    ("next week", D(2024, 12, 9), "week"),
    ("over the weekend", D(2024, 11, 30), "week"),
    ("earlier this month", D(2024, 12, 1), "month"),
    ("last month", D(2024, 11, 1), "month"),
    ("earlier this year", D(2024, 1, 1), "year"),
    ("two days ago", D(2024, 11, 30), "day"),
    ("2 days ago", D(2024, 11, 30), "day"),
    ("24 hours ago", D(2024, 12, 1), "day"),
    ("three weeks ago", D(2024, 11, 11), "week"),
    ("two months ago", D(2024, 10, 1), "month"),
    ("a decade ago", D(2014, 1, 1), "year"),
    ("the past 24 hours", D(2024, 12, 1), "day"),
    ("in the past week", D(2024, 11, 25), "week"),
    ("over the past two weeks", D(2024, 11, 18), "month"),
    ("in recent days", D(2024, 11, 25), "week"),
    ("late Tuesday", D(2024, 11, 26), "day"),
    ("late last year", D(2023, 1, 1), "year"),
    ("the end of last month", D(2024, 11, 1), "month"),
    ("the beginning of the year", D(2024, 1, 1), "year"),
]

ABSOLUTE = [
    ("on November 27", D(2024, 11, 27), "day"),
    ("Nov. 27", D(2024, 11, 27), "day"),
    ("Nov 27th", D(2024, 11, 27), "day"),
    ("27 November", D(2024, 11, 27), "day"),
    ("the 27th of November", D(2024, 11, 27), "day"),
    ("November 27, 2024", D(2024, 11, 27), "day"),
    ("Saturday, November 30", D(2024, 11, 30), "day"),
    ("2024-11-27", D(2024, 11, 27), "day"),
    ("Sept. 11, 2001", D(2001, 9, 11), "day"),
    ("December 2024", D(2024, 12, 1), "month"),
    ("late November", D(2024, 11, 1), "month"),
    ("mid-November", D(2024, 11, 1), "month"),
    ("overnight Tuesday", D(2024, 11, 26), "day"),  # a part of a day keeps the day
    ("in the early hours of Sunday", D(2024, 12, 1), "day"),
    ("in March", D(2024, 3, 1), "month"),
    ("in January", D(2024, 1, 1), "month"),  # past convention: the last January before
    ("on December 5", D(2024, 12, 5), "day"),  # a few days ahead keeps the publication year
    ("on December 25", D(2023, 12, 25), "day"),
    ("in 2015", D(2015, 1, 1), "year"),
    ("2011", D(2011, 1, 1), "year"),
    ("early 2024", D(2024, 1, 1), "year"),
    ("the 1990s", D(1990, 1, 1), "year"),
    ("January of this year", D(2024, 1, 1), "month"),
    ("late January and", D(2024, 1, 1), "month"),
]


@pytest.mark.parametrize(("expression", "date", "precision"), RELATIVE + ABSOLUTE)
def test_resolves_against_publication(expression: str, date: dt.date, precision: str) -> None:
    resolved = resolve_date(expression, published=PUB)
    assert resolved is not None
    assert (resolved.date, resolved.precision) == (date, precision)


@pytest.mark.parametrize(
    ("expression", "background"),
    [
        ("in 2015", True),
        ("since 2011", True),
        ("a decade ago", True),
        ("the 1990s", True),
        ("last year", True),
        ("Sept. 11, 2001", True),
        ("on Saturday", False),
        ("last month", False),
        ("three weeks ago", False),
        ("December 2024", False),
        ("this year", False),
        ("since Saturday", False),
    ],
)
def test_background_marks_periods_long_before_publication(
    expression: str, background: bool
) -> None:
    resolved = resolve_date(expression, published=PUB)
    assert resolved is not None
    assert resolved.is_past_background is background


@pytest.mark.parametrize(
    ("expression", "date"),
    [
        ("on Thursday", D(2024, 12, 5)),
        ("on Saturday", D(2024, 12, 7)),
        ("in January", D(2025, 1, 1)),
        ("next week", D(2024, 12, 9)),
        ("last week", D(2024, 11, 25)),  # explicit "last" stays in the past
    ],
)
def test_future_resolves_forward(expression: str, date: dt.date) -> None:
    resolved = resolve_date(expression, published=PUB, future=True)
    assert resolved is not None
    assert resolved.date == date


@pytest.mark.parametrize(
    ("expression", "date", "precision"),
    [
        ("the following year", D(2016, 1, 1), "year"),
        ("in the next year", D(2016, 1, 1), "year"),
        ("that year", D(2015, 1, 1), "year"),
        ("the same year", D(2015, 1, 1), "year"),
        ("the previous year", D(2014, 1, 1), "year"),
        ("a year later", D(2016, 1, 1), "year"),
        ("two years later", D(2017, 1, 1), "year"),
        ("three years earlier", D(2012, 1, 1), "year"),
        ("in March of that year", D(2015, 3, 1), "month"),
        ("September that year", D(2015, 9, 1), "month"),
        ("in May of the following year", D(2016, 5, 1), "month"),
    ],
)
def test_a_year_told_relative_to_one_named_before(
    expression: str, date: dt.date, precision: str
) -> None:
    resolved = resolve_date(expression, published=PUB, reference_year=2015)
    assert resolved is not None
    assert (resolved.date, resolved.precision, resolved.is_past_background) == (
        date,
        precision,
        True,
    )
    assert resolve_date(expression, published=PUB) != resolved  # no year named before


@pytest.mark.parametrize(
    ("expression", "year"), [("next year", 2025), ("last year", 2023), ("on Saturday", 2024)]
)
def test_a_reference_year_leaves_publication_relative_dates_alone(
    expression: str, year: int
) -> None:
    resolved = resolve_date(expression, published=PUB, reference_year=2015)
    assert resolved is not None and resolved.date is not None and resolved.date.year == year


def test_an_entity_running_past_the_date_keeps_the_date() -> None:
    # spaCy tags "July 2011, months" in "In July 2011, months after protests broke out"
    resolved = resolve_date("July 2011, months", published=PUB)
    assert resolved == ResolvedDate(D(2011, 7, 1), "month", True)


def test_names_year() -> None:
    assert names_year("in March 2015") == 2015 and names_year("since 2011") == 2011
    assert names_year("the following year") is None and names_year("300 fighters") is None


def test_default_is_past_for_weekdays() -> None:
    assert resolve_date("on Thursday", published=PUB) == ResolvedDate(D(2024, 11, 28), "day", False)


@pytest.mark.parametrize(
    ("expression", "date", "precision"),
    [
        ("November 27, 2024", D(2024, 11, 27), "day"),
        ("December 2024", D(2024, 12, 1), "month"),
        ("in 2015", D(2015, 1, 1), "year"),
    ],
)
def test_absolute_dates_resolve_without_publication(
    expression: str, date: dt.date, precision: str
) -> None:
    resolved = resolve_date(expression, published=None)
    assert resolved == ResolvedDate(date, precision, False)


@pytest.mark.parametrize(
    "expression", ["yesterday", "on Saturday", "last week", "two days ago", "November 27"]
)
def test_relative_dates_without_publication_are_unknown(expression: str) -> None:
    assert resolve_date(expression, published=None) == ResolvedDate(None, "unknown", False)


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "   ",
        "foo",
        "the",
        "12",
        "the militants",
        "three days earlier",
        "February 30",
        "March 2011 uprising",
        "x" * 500,
    ],
)
def test_garbage_gives_none(expression: str) -> None:
    assert resolve_date(expression, published=PUB) is None


def test_dateparser_fallback_for_numeric_forms() -> None:
    resolved = resolve_date("11/27/2024", published=PUB)
    assert resolved is not None
    assert resolved.date == D(2024, 11, 27)


def test_results_are_cached_and_equal() -> None:
    first = resolve_date("last month", published=PUB)
    assert resolve_date(" Last  Month ", published=PUB) == first
    assert resolve_date("last month", published=PUB) is first


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=40),
    st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))),
    st.booleans(),
)
def test_never_raises(expression: str, published: dt.date | None, future: bool) -> None:
    resolved = resolve_date(expression, published=published, future=future)
    if resolved is not None:
        assert resolved.precision in DATE_PRECISIONS
        assert (resolved.date is None) == (resolved.precision == "unknown")


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([e for e, _, _ in RELATIVE if "next" not in e and "tomorrow" not in e]),
    st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 12, 31)),
)
def test_past_expressions_never_point_after_publication(
    expression: str, published: dt.date
) -> None:
    resolved = resolve_date(expression, published=published)
    assert resolved is not None and resolved.date is not None
    assert resolved.date <= published


def test_a_users_number_words_reach_date_counts(tmp_path: Path) -> None:
    """A number word added in the user's numbers.yaml (sitroom.toml's [data]) counts in a date
    expression as in a casualty figure."""
    mine = tmp_path / "numbers.yaml"
    mine.write_text("version: 1\nscales:\n  score: 20\n", "utf-8")  # "a score" = 20
    overrides = (DataOverride("numbers.yaml", mine),)
    assert resolve_date("a score days ago", published=PUB) is None
    resolved = resolve_date("a score days ago", published=PUB, overrides=overrides)
    assert resolved is not None and resolved.date == PUB - dt.timedelta(days=20)


def test_with_day_takes_the_day_number_the_model_left_before_the_month() -> None:
    parsed = parse(
        ["on", "the", "night", "of", "29", "November", "rebels", "came"],
        [7, 2, 0, 2, 5, 3, 7, 7],
        ["prep", "det", "pobj", "prep", "nummod", "pobj", "nsubj", "ROOT"],
        ents=["O", "B-TIME", "I-TIME", "O", "O", "B-DATE", "O", "O"],
    )
    month = next(e for e in parsed.ents if e.label_ == "DATE")
    assert with_day(month).text == "29 November"
    night = next(e for e in parsed.ents if e.label_ == "TIME")
    assert with_day(night) is night  # no month: as the model found it
    resolved = resolve_date(with_day(month).text, published=dt.date(2024, 12, 5))
    assert resolved is not None and (resolved.date, resolved.precision) == (
        dt.date(2024, 11, 29),
        "day",
    )
