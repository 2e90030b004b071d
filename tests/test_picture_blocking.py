"""Tests for sitroom.picture.blocking: the blocked merge is the exhaustive merge, only faster."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import factories
from factories import doc
from sitroom.picture.blocking import BlockIndex
from sitroom.picture.ledger import DEFAULT_RULES, MergeRules
from sitroom.picture.merge import match_events, merge_events, merge_events_exhaustive
from sitroom.records import Actor, Analysis, Event, Location
from sitroom.store import Store

DOCS = [
    doc(f"Report {i}: fighting went on in the region, officials said.", published)
    for i, published in enumerate(
        [dt.date(2024, 12, 1), dt.date(2024, 12, 3), dt.date(2024, 12, 9), None, None]
    )
]
DOCUMENTS = {d.id: d for d in DOCS}
ACTORS = {
    a.id: a
    for a in (
        Actor("SYR", "Syria", kind="state"),
        Actor("SYR-MIL", "Syrian army", kind="state_forces", parent="SYR"),
        Actor("HTS", "HTS", kind="armed_group"),
        Actor("UNK-AG", "Unidentified armed group", kind="armed_group"),
    )
}
KINDS = [
    ("Battles", "Armed clash", "FIGHT"),
    ("Battles", "Non-state actor overtakes territory", "FIGHT"),
    ("Explosions/Remote violence", "Air/drone strike", "AERIAL"),
    (None, None, "FIGHT"),
]
# Points around a cell corner near 36N 37E and near the antimeridian and a pole, so that "near"
# pairs fall in different cells; a few named towns share geonameids.
CENTRES = [(36.0, 37.0), (36.2, 37.15), (-0.1, 179.95), (0.05, -179.9), (88.9, 10.0), (70.0, 20.0)]


@st.composite
def locations(draw: st.DrawFn) -> Location | None:
    shape = draw(st.sampled_from(["none", "town", "town", "town", "region", "inferred", "bare"]))
    country = draw(st.sampled_from(["SY", "SY", "TR", None]))
    admin1 = draw(st.sampled_from(["Aleppo", "Idlib", None]))
    gid = draw(st.sampled_from([None, 0, 1, 2, 3]))
    if shape == "none":
        return None
    if shape == "bare":
        name = draw(st.sampled_from(["Anadan", "anadan ", "Hama"]))
        return Location(name, gid, None, None, country, admin1, 1)
    lat, lon = draw(st.sampled_from(CENTRES))
    lat += draw(st.floats(-0.15, 0.15))
    lon += draw(st.floats(-0.2, 0.2))
    if shape == "region":
        return Location("Region", gid, lat, lon, country, admin1, 3)
    precision = 1 if shape == "town" else draw(st.sampled_from([1, 3]))
    return Location("Town", gid, lat, lon, country, admin1, precision, shape == "inferred")


@st.composite
def events(draw: st.DrawFn) -> Event:
    precision = draw(st.sampled_from(["day", "day", "week", "month", "year", "unknown"]))
    day = dt.date(2024, 12, 1) + dt.timedelta(days=draw(st.integers(-8, 8)))
    dated = draw(st.booleans()) or precision != "unknown"
    return factories.event(
        draw(st.sampled_from(DOCS)),
        kind=draw(st.sampled_from(KINDS)),
        quote="x",
        start=draw(st.integers(0, 3)) * 10,
        status=draw(st.sampled_from(["reported", "reported", "claimed", "planned", "background"])),
        event_date=day if dated else None,
        date_precision=precision,
        location=draw(locations()),
        actor1=draw(st.sampled_from([None, "HTS", "SYR-MIL", "UNK-AG"])),
        actor2=draw(st.sampled_from([None, "SYR", "HTS"])),
        fatalities=draw(st.sampled_from([None, 3, 4, 40])),
    )


RULES = st.sampled_from([DEFAULT_RULES, MergeRules(max_km=60.0, day_window=5), MergeRules(0.5)])


@settings(max_examples=300, deadline=None)
@given(st.lists(events(), max_size=30), RULES, st.randoms(use_true_random=False))
def test_blocked_merge_is_the_exhaustive_merge_in_any_order(
    evs: list[Event], rules: MergeRules, rnd: Any
) -> None:
    expected = merge_events_exhaustive(evs, documents=DOCUMENTS, actors=ACTORS, rules=rules)
    shuffled = list(evs)
    rnd.shuffle(shuffled)
    assert merge_events(shuffled, documents=DOCUMENTS, actors=ACTORS, rules=rules) == expected


@settings(max_examples=300, deadline=None)
@given(events(), events(), RULES)
def test_a_pair_that_matches_is_always_a_candidate(a: Event, b: Event, rules: MergeRules) -> None:
    index = BlockIndex(rules)
    index.add(0, a)
    if match_events(a, b, actors=ACTORS, rules=rules) is not None:
        assert index.candidates(b) == [0]


def test_far_apart_events_are_not_candidates() -> None:
    index = BlockIndex(DEFAULT_RULES)
    aleppo = Location("Aleppo", 170063, 36.2021, 37.1343, "SY", "Aleppo", 1)
    damascus = Location("Damascus", 170654, 33.5102, 36.2913, "SY", "Damascus", 1)
    kind = ("Battles", "Armed clash", "FIGHT")
    day = dt.date(2024, 12, 5)
    first = factories.event(DOCS[0], kind=kind, event_date=day, date_precision="day")
    index.add(0, _at(first, aleppo))
    assert index.candidates(_at(first, damascus)) == []
    later = factories.event(DOCS[1], kind=kind, event_date=day + dt.timedelta(days=30))
    assert index.candidates(_at(later, aleppo)) == []
    assert index.candidates(_at(first, aleppo)) == [0]


def _at(event: Event, location: Location) -> Event:
    return Event(**{**{f: getattr(event, f) for f in Event.__slots__}, "location": location})


def test_re_adding_a_stored_report_loads_and_rebuilds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitroom.api
    import sitroom.picture

    db = tmp_path / "picture.db"
    document = DOCS[0]
    with Store.open(db) as store:
        store.save(Analysis(document=document))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("nothing should be loaded or rebuilt")

    for module, name in [
        (sitroom.api, "resources_for"),
        (sitroom.picture, "build_ledger"),
        (sitroom.picture, "merge_events"),
    ]:
        monkeypatch.setattr(module, name, refuse)
    result = sitroom.api.analyze(documents=[document], db=db)
    assert result.analyses == () and result.already_stored == (document.ref,)
