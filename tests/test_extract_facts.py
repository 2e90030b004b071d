"""Tests for sitroom.extract.facts: the helpers every extractor shares."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitroom.extract.facts import echoed_lines


def test_a_line_containing_the_headline_is_an_echo() -> None:
    title = "Rebels Capture Saraqib After Heavy Fighting"
    text = f"{title}\n\nYou are currently viewing {title}\n\nRebels captured Saraqib."
    (span,) = echoed_lines(text)
    assert text[span[0] : span[1]] == f"You are currently viewing {title}"


def test_a_repeated_paragraph_is_an_echo_and_short_lines_are_not() -> None:
    para = "Rebels captured the town of Saraqib on Tuesday, a monitor said."
    text = f"Aleppo\n{para}\nAleppo\nOther news follows here today.\n{para}\n"
    spans = echoed_lines(text)
    assert [text[a:b] for a, b in spans] == [para]
    assert spans[0][0] == text.rindex(para)


def test_distinct_lines_are_not_echoes() -> None:
    text = "Rebels captured Saraqib on Tuesday.\nGovernment jets struck Idlib on Wednesday.\n"
    assert echoed_lines(text) == []


@given(st.lists(st.text(alphabet="ab \n", max_size=40), max_size=8))
def test_echoes_are_ordered_spans_inside_the_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    spans = echoed_lines(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert spans == sorted(spans)
