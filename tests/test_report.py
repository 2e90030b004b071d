"""Tests for sitroom.report: the terminal situation report rendered from a hand-built picture."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from rich.console import Console

from factories import event
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

SARAQIB = Location("Saraqib", 172059, 35.86, 36.80, "SY", "Idlib", 1)
IDLIB = Location("Idlib", 169389, 35.93, 36.63, "SY", "Idlib", 1)
QUOTE = "Rebels captured the town of Saraqib on Tuesday, a war monitor said."

DOCS = (
    Document("d1", "reports/saraqib.txt", QUOTE, source="Test Wire"),
    Document("d2", "reports/idlib.txt", "Jets struck Idlib."),
)
ACTORS = (
    Actor("SYR-REBELS", "Syrian rebels", kind="armed_group", country="SY"),
    Actor("MIL-SY", "Military Forces of Syria", kind="state_forces", parent="GOV-SY"),
    Actor("MIL-RU", "Military Forces of Russia", kind="state_forces", parent="GOV-RU"),
    Actor("GOV-TR", "Government of Turkey", kind="state"),
    Actor("HTS", "Hayat Tahrir al-Sham", kind="armed_group"),
    Actor("GOV-NO", "Government of Norway", kind="state"),  # in no event or relation
)


def _event(n: int, **changes: object) -> Event:
    capture = {"id": f"e{n}", "event_date": dt.date(2024, 11, 26), "date_precision": "day"}
    told = {"actor1": "SYR-REBELS", "actor2": "MIL-SY", "location": SARAQIB, "trigger": "captured"}
    kind = ("Battles", "Non-state actor overtakes territory", "FIGHT")
    return event("d1", kind=kind, quote=QUOTE, **{**capture, **told, **changes})


EVENTS = (
    _event(1),
    _event(
        2,
        document_id="d2",
        event_date=dt.date(2024, 12, 1),
        date_precision="week",
        event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike",
        actor1="MIL-RU",
        actor2=None,
        assoc_actor_1=("MIL-SY",),
        location=IDLIB,
        fatalities=11,
        fatalities_text="at least 11",
        status="claimed",
        claimed_by="HTS",
        evidence=(),
    ),
    _event(
        3,
        event_date=dt.date(2015, 1, 1),
        date_precision="year",
        status="background",
        fatalities=500,
        fatalities_text="500",
        actor2=None,
        location=None,
    ),
    _event(
        4,
        event_date=None,
        date_precision="unknown",
        event_type=None,
        sub_event_type=None,
        plover_type="AGREE",
        actor1="GOV-TR",
        actor2=None,
        location=None,
    ),
)
RELATIONS = (
    Relation("GOV-TR", "supports", "SYR-REBELS", dt.date(2024, 12, 2)),
    Relation("SYR-REBELS", "opposes", "MIL-SY", None),
    Relation("HTS", "part_of", "SYR-REBELS", None),
)
CONTROL = (
    ControlClaim(
        SARAQIB,
        "SYR-REBELS",
        "captured",
        dt.date(2024, 11, 26),
        "day",
        (Evidence("d1", 0, len(QUOTE), QUOTE),),
    ),
)
PICTURE = Picture(
    documents=DOCS, actors=ACTORS, events=EVENTS, relations=RELATIONS, control=CONTROL
)


def rendered(picture: Picture, **options: object) -> str:
    console = Console(record=True, width=120)
    render(picture, console, **options)  # type: ignore[arg-type]
    return console.export_text()


def table_rows(text: str, title: str) -> list[list[str]]:
    """The rows of the table titled ``title``, each a list of cells with wrapped lines joined."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip() == title)
    rows: list[list[str]] = []
    for line in lines[first + 1 :]:
        if line.startswith("└"):
            break
        if not line.startswith("│"):
            continue  # the header and the rules between rows
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0] or not rows:
            rows.append(cells)
        else:  # a wrapped continuation of the row above
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
    return rows


def row(text: str, title: str, first_cell: str) -> list[str]:
    [found] = [r for r in table_rows(text, title) if r[0] == first_cell]
    return found


def test_summary_counts_everything() -> None:
    text = rendered(PICTURE)
    assert "sitroom situation report" in text
    assert "2 reports" in text
    assert "4 events (1 background)" in text
    assert "6 actors · 3 relations" in text
    assert "1 control claims" in text


def test_summary_period_and_fatalities_leave_out_background() -> None:
    text = rendered(PICTURE)
    assert "Period: 2024-11-26 – 2024-12-01" in text
    # 11 from the airstrike; the 500 of the background event are history, not this period.
    assert "before merging): 11" in text


def test_events_table_shows_type_place_actors_toll_and_status() -> None:
    text = rendered(PICTURE)
    rows = table_rows(text, "Events by date")
    # Dated events first, in date order; the undated one last.
    assert [r[0] for r in rows] == ["2024-11-26", "week of 2024-12-01", "?"]
    capture, strike, _ = rows
    assert capture[1:5] == [
        "Non-state actor overtakes territory",
        "Saraqib, SY",
        "Syrian rebels → Military Forces of Syria",
        "",
    ]
    assert capture[5] == "reported Test Wire"  # a source name wins over the file path
    assert strike[1:5] == [
        "Air/drone strike",
        "Idlib, SY",
        "Military Forces of Russia + Military Forces of Syria → —",
        "11 (at least 11)",
    ]
    assert strike[5] == "claimed by Hayat Tahrir al-Sham reports/idlib.txt"


def test_an_untyped_event_shows_its_plover_type() -> None:
    untyped = row(rendered(PICTURE), "Events by date", "?")
    assert untyped[1:4] == ["AGREE (PLOVER)", "—", "Government of Turkey → —"]


def test_background_events_have_their_own_table_dated_by_year() -> None:
    text = rendered(PICTURE)
    [history] = table_rows(text, "Background the reports recall")
    assert history[0] == "2015"
    assert history[4] == "500 (500)"
    assert "2015" not in [r[0] for r in table_rows(text, "Events by date")]


def test_no_background_table_without_background_events() -> None:
    current = replace(PICTURE, events=tuple(e for e in EVENTS if e.status != "background"))
    assert "Background the reports recall" not in rendered(current)


def test_actors_table_lists_active_actors_with_backers_parts_and_foes() -> None:
    rows = table_rows(rendered(PICTURE), "Actors and who backs whom")
    by_name = {r[0]: r[1:] for r in rows}
    assert list(by_name) == sorted(by_name)
    assert "Government of Norway" not in by_name  # in no event or relation
    assert by_name["Syrian rebels"] == [
        "armed_group",
        "Government of Turkey",
        "",
        "Military Forces of Syria",
    ]
    assert by_name["Hayat Tahrir al-Sham"] == ["armed_group", "", "Syrian rebels", ""]


def test_allies_back_each_other() -> None:
    allies = replace(PICTURE, relations=(Relation("GOV-TR", "allied_with", "HTS", None),))
    by_name = {r[0]: r[1:] for r in table_rows(rendered(allies), "Actors and who backs whom")}
    assert by_name["Hayat Tahrir al-Sham"][1] == "Government of Turkey"
    assert by_name["Government of Turkey"][1] == "Hayat Tahrir al-Sham"


def test_control_table() -> None:
    saraqib = row(rendered(PICTURE), "Who holds what", "Saraqib")
    assert saraqib == ["Saraqib", "2024-11-26", "Syrian rebels", "captured", "Test Wire"]


def test_quotes_show_each_event_s_evidence() -> None:
    assert "a war monitor said" not in rendered(PICTURE)
    capture = row(rendered(PICTURE, quotes=True), "Events by date", "2024-11-26")
    assert capture[1] == (
        "Non-state actor overtakes territory “Rebels captured the town of Saraqib on Tuesday, "
        "a war monitor said.”"
    )


def test_limit_caps_each_events_table_and_says_so() -> None:
    # Three days apart: events of one kind, place and actors within two days are one event.
    many = tuple(_event(n, event_date=dt.date(2024, 11, 3 * n - 2)) for n in range(1, 11))
    text = rendered(replace(PICTURE, events=many), limit=3)
    assert [r[0] for r in table_rows(text, "Events by date")] == [
        "2024-11-01",
        "2024-11-04",
        "2024-11-07",
    ]
    assert "7 more events not shown; export for all" in text


def test_an_empty_picture_renders() -> None:
    text = rendered(Picture())
    assert "0 reports" in text
    assert "no dated events" in text
    for title in ("Events by date", "Actors and who backs whom", "Who holds what"):
        assert table_rows(text, title) == []


@pytest.mark.parametrize(
    ("precision", "shown"),
    [("day", "2024-12-04"), ("week", "week of 2024-12-04"), ("month", "2024-12"), ("year", "2024")],
)
def test_dates_are_shown_as_precisely_as_reported(precision: str, shown: str) -> None:
    event = _event(1, event_date=dt.date(2024, 12, 4), date_precision=precision)
    [only] = table_rows(rendered(replace(PICTURE, events=(event,))), "Events by date")
    assert only[0] == shown
