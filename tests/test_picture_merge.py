"""Tests for sitroom.picture.merge: reports of one event, in and across reports, become one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import factories
from factories import doc
from sitroom.ids import content_id
from sitroom.picture.ledger import MergedEvent
from sitroom.picture.merge import match_events, merge_events
from sitroom.records import Actor, Document, Event, Location

ALEPPO = Location("Aleppo", 170063, 36.2021, 37.1343, "SY", "Aleppo", 1)
ANADAN = Location("Anadan", 173193, 36.2937, 37.0443, "SY", "Aleppo", 1)  # ~13 km from Aleppo
HAMA = Location("Hama", 170017, 35.1318, 36.7578, "SY", "Hama", 1)
IDLIB = Location("Idlib", 169389, 35.9306, 36.6339, "SY", "Idlib", 1)
IDLIB_REGION = Location("Idlib Governorate", 169388, 35.75, 36.6, "SY", "Idlib", 3)
SYRIA = Location("Syria", 163843, 35.0, 38.0, "SY", None, 3)
DAMASCUS = Location("Damascus", 170654, 33.5102, 36.2913, "SY", "Damascus", 1)

DEC = {day: dt.date(2024, 12, day) for day in range(1, 32)}
CAPTURE = ("Battles", "Non-state actor overtakes territory", "FIGHT")
CLASH = ("Battles", "Armed clash", "FIGHT")
AIRSTRIKE = ("Explosions/Remote violence", "Air/drone strike", "AERIAL")


# A capture of Aleppo as one report tells it; the id hashes every given field.
event = partial(
    factories.event,
    kind=CAPTURE,
    quote="rebels captured the city",
    event_date=DEC[5],
    date_precision="day",
    actor1="HTS",
    actor2="SYR-MIL",
    location=ALEPPO,
)


REUTERS = doc("Rebels captured Aleppo on Thursday after a swift offensive, Reuters said.", DEC[5])
AFP = doc("Syrian opposition fighters have taken control of most of Aleppo, AFP reports.", DEC[6])
AP = doc("Insurgents seized the city of Aleppo, the country's second largest, AP says.", DEC[7])
DOCS = {d.id: d for d in (REUTERS, AFP, AP)}


def test_two_reports_of_one_capture_merge_into_one_event() -> None:
    a = event(REUTERS)
    b = event(AFP, actor2=None, quote="fighters have taken control of most of Aleppo")
    [merged] = merge_events([a, b], documents=DOCS)
    assert merged.members == (a, b)
    assert merged.document_ids == (REUTERS.id, AFP.id)
    assert merged.location == ALEPPO and merged.event_date == DEC[5]
    assert "place:same" in merged.merged_on and "actors:overlap" in merged.merged_on
    assert "type:sub_event_type" in merged.merged_on and "date:same" in merged.merged_on


def test_merged_id_comes_from_the_earliest_report_and_survives_a_later_source() -> None:
    a, b = event(REUTERS), event(AFP)
    [first] = merge_events([b, a], documents=DOCS)
    assert first.id == content_id("merged-event", a.id)
    [later] = merge_events([a, b, event(AP)], documents=DOCS)
    assert later.id == first.id and len(later.members) == 3


def test_mentions_within_one_report_merge() -> None:
    a = event(REUTERS, start=0)
    b = event(REUTERS, start=60, actor1=None, actor2=None, quote="the fall of Aleppo")
    assert len(merge_events([a, b], documents=DOCS)) == 1


def test_clash_with_300_killed_and_airstrike_with_25_killed_stay_apart() -> None:
    clash = event(REUTERS, kind=CLASH, location=IDLIB, fatalities=300, actor2="SYR-MIL")
    strike = event(AFP, kind=AIRSTRIKE, location=IDLIB, fatalities=25, actor1="RUS-MIL")
    assert len(merge_events([clash, strike], documents=DOCS)) == 2


def test_far_apart_figures_on_a_weak_match_stay_apart() -> None:
    # Same type, but only the region and the week agree: 300 and 25 are two incidents.
    big = event(REUTERS, kind=CLASH, location=IDLIB_REGION, date_precision="week", fatalities=300)
    small = event(AFP, kind=CLASH, location=IDLIB, actor1=None, actor2=None, fatalities=25)
    assert match_events(big, small, actors={}) is None
    # Figures within the factor do not keep the same reports apart.
    near = event(AFP, kind=CLASH, location=IDLIB_REGION, date_precision="week", fatalities=280)
    hit = match_events(big, near, actors={})
    assert hit is not None and hit["fatalities"] == "close"


def test_far_apart_figures_on_a_close_match_are_one_event() -> None:
    # Same town, same day, same actors: the figures contradict each other (see reconcile).
    a = event(REUTERS, kind=CLASH, location=IDLIB, fatalities=300)
    b = event(AFP, kind=CLASH, location=IDLIB, fatalities=25)
    [merged] = merge_events([a, b], documents=DOCS)
    assert "fatalities:far" in merged.merged_on
    fatalities = merged.claim("fatalities")
    assert fatalities is not None and fatalities.verdict == "contradicted"


def test_two_figures_in_one_report_are_two_incidents() -> None:
    a = event(REUTERS, kind=AIRSTRIKE, location=IDLIB, fatalities=12)
    b = event(REUTERS, kind=AIRSTRIKE, location=IDLIB, fatalities=3, start=80)
    assert len(merge_events([a, b], documents=DOCS)) == 2


def test_background_event_never_merges_with_a_current_one() -> None:
    old = event(AFP, status="background", event_date=dt.date(2015, 6, 1), quote="in 2015")
    now = event(REUTERS)
    merged = merge_events([old, now], documents=DOCS)
    assert len(merged) == 2
    current = next(m for m in merged if m.status == "reported")
    assert all(c.verdict != "contradicted" for c in current.claims)


def test_country_precision_is_compatible_with_a_town_inside_it() -> None:
    a = event(REUTERS, location=ALEPPO)
    b = event(AFP, location=SYRIA)
    [merged] = merge_events([a, b], documents=DOCS)
    assert "place:region" in merged.merged_on
    assert merged.location == ALEPPO  # the most precise place stands for the event
    assert match_events(event(REUTERS, location=IDLIB_REGION), a, actors={}) is None


def test_places_within_25_km_match_and_farther_ones_do_not() -> None:
    assert match_events(event(REUTERS), event(AFP, location=ANADAN), actors={}) is not None
    assert match_events(event(REUTERS), event(AFP, location=DAMASCUS), actors={}) is None


def test_date_window_depends_on_precision() -> None:
    a = event(REUTERS, event_date=DEC[5])
    assert match_events(a, event(AFP, event_date=DEC[7]), actors={}) is not None
    assert match_events(a, event(AFP, event_date=DEC[10]), actors={}) is None
    week = event(AFP, event_date=DEC[10], date_precision="week")
    assert match_events(a, week, actors={}) is not None
    unknown = event(AFP, event_date=None, date_precision="unknown")
    assert match_events(a, unknown, actors={}) is not None


def test_disjoint_actors_do_not_merge_but_a_force_matches_its_state() -> None:
    a = event(REUTERS, actor1="HTS", actor2="SYR-MIL")
    b = event(AFP, actor1="SDF", actor2="TUR-MIL")
    assert match_events(a, b, actors={}) is None
    c = event(AFP, actor1="SYR-GOV", actor2=None)
    assert match_events(event(REUTERS, actor1="SYR-MIL", actor2=None), c, actors={}) is None
    actors = {"SYR-MIL": Actor("SYR-MIL", "Syrian army", parent="SYR-GOV")}
    hit = match_events(event(REUTERS, actor1="SYR-MIL", actor2=None), c, actors=actors)
    assert hit is not None and hit["actors"] == "overlap"


def test_shared_victims_are_no_shared_party() -> None:
    civilians = {"CIV-SY": Actor("CIV-SY", "Civilians (Syria)", kind="civilians")}
    a = event(REUTERS, actor1="SYR-MIL", actor2="CIV-SY")
    b = event(AFP, actor1="HTS", actor2="CIV-SY")
    # Two parties striking civilians of one country are two parties, not one agreeing pair.
    assert match_events(a, b, actors=civilians) is None
    unnamed = event(AFP, actor1=None, actor2="CIV-SY")
    hit = match_events(a, unnamed, actors=civilians)
    assert hit is not None and hit["actors"] == "one-missing"


def test_type_must_agree() -> None:
    assert match_events(event(REUTERS), event(AFP, kind=AIRSTRIKE), actors={}) is None
    plover_only = event(AFP, kind=(None, None, "FIGHT"))
    assert match_events(event(REUTERS), plover_only, actors={}) == {
        "type": "plover_type",
        "actors": "overlap",
        "place": "same",
        "date": "same",
        "fatalities": "unknown",
    }


def test_duplicates_and_remerging_change_nothing() -> None:
    events = [event(REUTERS), event(AFP), event(AP, location=HAMA)]
    once = merge_events(events, documents=DOCS)
    assert merge_events(events + events[::-1], documents=DOCS) == once
    members = [e for m in once for e in m.members]
    assert merge_events(members, documents=DOCS) == once


# -- properties ----------------------------------------------------------------------------

# Four reports; the last is published after all others and stands in for a new source.
POOL = [
    doc("Fighting raged across the north of the country on Thursday, witnesses said.", DEC[5]),
    doc("Fighting raged across the north of the country on Thursday, witnesses said. AFP", DEC[6]),
    doc("The army said it had repelled an attack and killed dozens of militants.", DEC[6]),
    doc("Residents reported heavy shelling overnight as government forces pushed back.", DEC[20]),
]
POOL_DOCS = {d.id: d for d in POOL}
PLACES = [ALEPPO, ANADAN, HAMA, IDLIB, IDLIB_REGION, SYRIA, None]
DATES = [(DEC[4], "day"), (DEC[5], "day"), (DEC[8], "day"), (DEC[2], "week"), (None, "unknown")]


@st.composite
def events(draw: st.DrawFn, documents: list[Document] = POOL[:3]) -> Event:
    date, precision = draw(st.sampled_from(DATES))
    status = draw(st.sampled_from(["reported", "claimed", "denied", "background"]))
    if status == "background":
        date, precision = dt.date(2015, 6, 1), "month"
    return event(
        draw(st.sampled_from(documents)),
        kind=draw(st.sampled_from([CAPTURE, CLASH, AIRSTRIKE, (None, None, "FIGHT")])),
        start=draw(st.integers(0, 3)) * 50,
        status=status,
        event_date=date,
        date_precision=precision,
        location=draw(st.sampled_from(PLACES)),
        actor1=draw(st.sampled_from([None, "HTS", "SYR-MIL"])),
        actor2=draw(st.sampled_from([None, "SYR-MIL", "SDF"])),
        fatalities=draw(st.sampled_from([None, 3, 25, 300])),
        claimed_by=draw(st.sampled_from([None, None, "HTS"])),
    )


def _partition(merged: tuple[MergedEvent, ...]) -> set[frozenset[str]]:
    return {frozenset(e.id for e in m.members) for m in merged}


@settings(max_examples=150, deadline=None)
@given(st.lists(events(), max_size=14), st.randoms(use_true_random=False))
def test_merging_is_independent_of_input_order(evs: list[Event], rnd: Any) -> None:
    shuffled = list(evs)
    rnd.shuffle(shuffled)
    assert merge_events(shuffled, documents=POOL_DOCS) == merge_events(evs, documents=POOL_DOCS)


@settings(max_examples=150, deadline=None)
@given(st.lists(events(), max_size=14))
def test_merging_is_idempotent(evs: list[Event]) -> None:
    once = merge_events(evs, documents=POOL_DOCS)
    assert merge_events(evs + evs, documents=POOL_DOCS) == once
    assert merge_events([e for m in once for e in m.members], documents=POOL_DOCS) == once
    assert sorted(e.id for m in once for e in m.members) == sorted({e.id for e in evs})
    assert len({m.id for m in once}) == len(once)


@settings(max_examples=150, deadline=None)
@given(st.lists(events(), max_size=14), events(documents=POOL[3:]))
def test_a_later_source_keeps_existing_ids(evs: list[Event], new: Event) -> None:
    before = merge_events(evs, documents=POOL_DOCS)
    after = {m.id: m for m in merge_events([*evs, new], documents=POOL_DOCS)}
    for old in before:
        assert old.id in after
        assert set(old.members) <= set(after[old.id].members)
        assert set(after[old.id].members) - set(old.members) <= {new}


@settings(max_examples=100, deadline=None)
@given(events(), events())
def test_matching_is_symmetric(a: Event, b: Event) -> None:
    assert match_events(a, b, actors={}) == match_events(b, a, actors={})
    if a.status == "background" and b.status != "background":
        assert match_events(a, b, actors={}) is None


def test_merged_events_are_plain_frozen_records() -> None:
    [merged] = merge_events([event(REUTERS)], documents=DOCS)
    assert dataclasses.is_dataclass(merged) and merged.merged_on == ()
    assert merged.id == content_id("merged-event", merged.members[0].id)
