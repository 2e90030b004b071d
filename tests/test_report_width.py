"""The terminal report is readable at 80 columns (four columns, quotes wrapped under the row)
and at 200 (seven columns); nothing is cut off at either width."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from sitroom.report import render
from test_report import PICTURE, QUOTE


def rendered(width: int, **options: object) -> str:
    console = Console(record=True, width=width, file=io.StringIO())
    render(PICTURE, console, **options)  # type: ignore[arg-type]
    return console.export_text()


def _events_header(text: str) -> str:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "Events by date" in line)
    return lines[start + 2]


def _row_at(text: str, start: str) -> list[str]:
    """The cells of the narrow table's row whose first line starts with ``start``; its date
    cell takes two lines ("week of" over the date)."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    cells: list[str] = []
    for n, line in enumerate(lines[first:]):
        parts = [c.strip() for c in line.strip("│").split("│")]
        if line.startswith("└") or (n > 1 and parts[0]):
            break
        cells = [f"{a} {b}".strip() for a, b in zip(cells, parts, strict=True)] if cells else parts
    return cells


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("quotes", [False, True])
def test_no_line_is_wider_than_the_terminal(width: int, quotes: bool) -> None:
    text = rendered(width, quotes=quotes)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "…" not in _events_header(text)


def test_at_80_columns_the_events_table_has_four_columns_and_keeps_every_fact() -> None:
    text = rendered(80)
    header = _events_header(text)
    assert [h.strip() for h in header.strip("┃ ").split("┃")] == [
        "Date",
        "What, where",
        "Who → whom",
        "Status, sources",
    ]
    assert _row_at(text, "│ week of") == [
        "week of 2024-12-01",
        "Air/drone strike Idlib, SY 11 (at least 11) killed",
        "Military Forces of Russia + Military Forces of Syria → —",
        "claimed by Hayat Tahrir al-Sham reports/idlib.txt 1 source",
    ]


def test_at_200_columns_the_events_table_has_all_seven() -> None:
    header = _events_header(rendered(200))
    assert [h.strip() for h in header.strip("┃ ").split("┃")] == [
        "Date",
        "Type",
        "Where",
        "Who → whom",
        "Killed",
        "Status / source",
        "Sources",
    ]


@pytest.mark.parametrize("width", [80, 200])
def test_quotes_go_under_their_row_wrapped_to_the_table_width(width: int) -> None:
    text = rendered(width, quotes=True)
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if "“Rebels captured" in line)
    # The quote starts its own line under the row, not in a column one word wide.
    assert re.match(r"│ +“Rebels captured the town", lines[first])
    quoted = " ".join(
        line.strip("│ ") for line in lines[first : first + 3] if not line.startswith("├")
    )
    assert f"“{QUOTE}”" in " ".join(quoted.split())
    words_per_line = len(lines[first].split())
    assert words_per_line >= (8 if width == 80 else 12)
