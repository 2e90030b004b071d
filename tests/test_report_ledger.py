"""Tests for sitroom.report.ledger: the ledger sections and the two-report comparison, rendered."""

from __future__ import annotations

import datetime as dt

from rich.console import Console

from factories import doc
from sitroom.picture import build_ledger, compare_reports
from sitroom.records import (
    Actor,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
    Picture,
    Relation,
)
from sitroom.report import render
from sitroom.report.ledger import Names, render_comparison, render_ledger

IDLIB = Location("Idlib", 169389, 35.9306, 36.6339, "SY", "Idlib", 1)
HAMA = Location("Hama", 170017, 35.1318, 36.7578, "SY", "Hama", 1)
MONDAY = dt.date(2024, 12, 2)
QUOTE_11 = "Warplanes struck Idlib on Monday, killing 11 people, a monitor said."
QUOTE_25 = "At least 25 people were killed in Idlib on Monday, the civil defence said."


MONITOR = doc(QUOTE_11 + " Rebels hold Hama, residents said.", MONDAY, "Monitor",
              "reports/monitor.txt")  # fmt: skip
DEFENCE = doc(QUOTE_25 + " The army holds Hama, the ministry said.", MONDAY, "Defence",
              "reports/defence.txt")  # fmt: skip
ACTORS = (
    Actor("MIL-RU", "Military Forces of Russia", kind="state_forces"),
    Actor("MIL-SY", "Military Forces of Syria", kind="state_forces"),
    Actor("GOV-RU", "Government of Russia", kind="state"),
    Actor("HTS", "Hayat Tahrir al-Sham", kind="armed_group"),
)


def _strike(document: Document, quote: str, killed: int, words: str) -> Event:
    return Event(
        id=f"strike-{killed}",
        document_id=document.id,
        status="reported",
        event_date=MONDAY,
        date_precision="day",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        plover_type="ASSAULT",
        plover_mode="aerial",
        actor1="MIL-RU",
        actor2=None,
        location=IDLIB,
        fatalities=killed,
        fatalities_text=words,
        evidence=(Evidence(document.id, 0, len(quote), quote),),
    )


PROTEST = Event(
    id="protest",
    document_id=MONITOR.id,
    status="reported",
    event_date=dt.date(2024, 12, 1),
    date_precision="day",
    event_type="Protests",
    sub_event_type="Peaceful protest",
    plover_type="PROTEST",
    plover_mode=None,
    actor1=None,
    actor2=None,
    location=HAMA,
)


def _holds(document: Document, controller: str, quote: str) -> ControlClaim:
    return ControlClaim(HAMA, controller, "held", MONDAY, "day",
                        (Evidence(document.id, 0, len(quote), quote),))  # fmt: skip


PICTURE = Picture(
    documents=(MONITOR, DEFENCE),
    actors=ACTORS,
    events=(
        _strike(MONITOR, QUOTE_11, 11, "11 people"),
        _strike(DEFENCE, QUOTE_25, 25, "At least 25 people"),
        PROTEST,
    ),
    relations=(
        Relation(
            "GOV-RU",
            "supports",
            "MIL-SY",
            dt.date(2024, 11, 30),
            (Evidence(MONITOR.id, 0, 5, "Russia backs the army"),),
        ),
        Relation(
            "GOV-RU",
            "supports",
            "MIL-SY",
            MONDAY,
            (Evidence(DEFENCE.id, 0, 5, "backed by Moscow"),),
        ),
    ),
    control=(
        _holds(MONITOR, "HTS", "Rebels hold Hama, residents said."),
        _holds(DEFENCE, "MIL-SY", "The army holds Hama, the ministry said."),
    ),
)
NAMES = Names.of({a.id: a.name for a in ACTORS}, PICTURE.documents)


def _console() -> Console:
    return Console(record=True, width=120)


def ledger_text(picture: Picture = PICTURE) -> str:
    console = _console()
    render_ledger(build_ledger(picture), console, NAMES)
    return console.export_text()


def section(text: str, title: str, end: str) -> str:
    """The lines from the heading ``title`` up to the next heading ``end``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    stop = next(i for i, line in enumerate(lines) if i > start and end in line)
    return "\n".join(lines[start + 1 : stop])


def test_the_contradiction_s_two_values_stand_side_by_side_with_their_quotes() -> None:
    contradicted = section(ledger_text(), "Contradicted", "Single-source")
    assert "2024-12-02 Air/drone strike, Idlib — killed" in contradicted
    # One column per value, on one line: the header row of the side-by-side table.
    [header] = [line for line in contradicted.splitlines() if line.startswith("┃ 11")]
    assert [cell.strip() for cell in header.strip("┃").split("┃")] == ["11", "25"]
    assert "Monitor “Warplanes struck Idlib on Monday, killing 11" in contradicted
    assert "Defence “At least 25 people were killed in Idlib" in contradicted


def test_a_control_clash_stands_side_by_side_too() -> None:
    contradicted = section(ledger_text(), "Contradicted", "Single-source")
    [header] = [line for line in contradicted.splitlines() if "Hayat Tahrir al-Sham held" in line]
    assert "Military Forces of Syria held (2024-12-02)" in header
    assert "Control of Hama" in contradicted


def test_corroborated_fields_one_line_each_with_their_sources() -> None:
    corroborated = section(ledger_text(), "Corroborated", "Contradicted").splitlines()
    assert "2024-12-02 Air/drone strike, Idlib — place: Idlib (Monitor; Defence)" in corroborated
    assert "2024-12-02 Air/drone strike, Idlib — actor: Military Forces of Russia (Monitor; " \
        "Defence)" in corroborated  # fmt: skip
    assert not any("killed" in line for line in corroborated)


def test_single_source_counts_events_and_lists_the_first() -> None:
    single = section(ledger_text(), "Single-source", "Control by place")
    assert "1 of 2 events rest on one source" in single
    assert "2024-12-01 Peaceful protest, Hama (Monitor)" in single


def test_control_by_place_marks_contradictions_and_names_the_clash() -> None:
    text = ledger_text()
    control = section(text, "Control by place", "Backers")
    rows = [line for line in control.splitlines() if "held" in line and "│" in line]
    assert len(rows) == 2 and all("✗ contradicted" in row for row in rows)
    assert "✗ Hama: Hayat Tahrir al-Sham held (2024-12-02) vs Military Forces of Syria held" in (
        control
    )


def test_backers_show_each_edge_once_with_first_and_last_seen() -> None:
    backers = ledger_text().split("Backers", 1)[1]
    [row] = [line for line in backers.splitlines() if "Government of Russia" in line]
    cells = [c.strip() for c in row.strip("│").split("│")]
    assert cells[:5] == [
        "Government of Russia",
        "supports",
        "Military Forces of Syria",
        "2024-11-30",
        "2024-12-02",
    ]
    assert cells[5].startswith("Monitor, Defence")


def test_an_empty_ledger_says_so() -> None:
    text = ledger_text(Picture())
    assert "No field is told alike by two independent sources." in text
    assert "No two independent sources contradict each other." in text
    assert "0 of 0 events rest on one source" in text


def test_the_report_shows_one_row_per_merged_event_with_its_sources() -> None:
    console = _console()
    render(PICTURE, console)
    text = console.export_text()
    events = section(text, "Events by date", "Actors and who backs whom")
    strikes = [line for line in events.splitlines() if "Air/drone strike" in line]
    assert len(strikes) == 1  # two reports, one event
    cells = [c.strip() for c in strikes[0].strip("│").split("│")]
    assert cells[4] == "11 (11–25)" and cells[6] == "2"
    assert "Merged: 2 events, 1 told by two or more independent sources" in text
    for title in ("Corroborated", "Contradicted", "Single-source"):
        assert title in text.splitlines()


def test_compare_puts_each_report_s_value_in_its_own_column() -> None:
    console = _console()
    render_comparison(compare_reports(PICTURE, MONITOR.id, DEFENCE.id), console, NAMES)
    text = console.export_text()
    assert text.startswith("A: reports/monitor.txt · Monitor · 2024-12-02\nB: reports/defence")
    differ = section(text, "They differ", "Only A says")
    assert "2024-12-02 Air/drone strike, Idlib — killed" in differ
    assert any("11 “Warplanes" in line and "25 “At least 25" in line for line in differ.split("\n"))
    assert "A: Hayat Tahrir al-Sham held" in differ and "B: Military Forces of Syria held" in differ
    agree = section(text, "Both say", "They differ")
    assert "place: Idlib" in agree
    only_a = section(text, "Only A says", "Only B says")
    assert "2024-12-01 Peaceful protest, Hama" in only_a
    assert text.rstrip().endswith("Only B says\n  nothing")
