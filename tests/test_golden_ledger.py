"""The ledger on the bundled example reports: the fact sheet's disputes and corroborations.

``examples/README.md`` plants a casualty dispute (D1), a control dispute (D2), a wire copy (R1)
and an event told by several outlets (E2). The whole pipeline runs into a database, and the
ledger is built from what is stored, as ``sitroom report`` and ``sitroom export`` build it.
Checks that the extraction cannot pass yet are strict xfails naming the cause, so they fail
loudly (XPASS) once it can.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitroom.api import analyze
from sitroom.picture import build_ledger, find_document
from sitroom.picture.ledger import Ledger, MergedEvent
from sitroom.pipeline import Resources
from sitroom.records import Picture
from sitroom.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports"
IDLIB, HAMA, ALEPPO, DAMASCUS, HOMS = 169389, 170017, 170063, 170654, 169577
CAPTURE = "Non-state actor overtakes territory"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def picture(resources: Resources, tmp_path_factory: pytest.TempPathFactory) -> Picture:
    db = tmp_path_factory.mktemp("golden-ledger") / "examples.db"
    result = analyze([EXAMPLES], db=db)
    assert not result.errors and len(result.analyses) == 12
    with Store.open(db, read_only=True) as store:
        return store.picture()


@pytest.fixture(scope="module")
def ledger(picture: Picture) -> Ledger:
    return build_ledger(picture)


def doc_id(picture: Picture, stem: str) -> str:
    return find_document(picture.documents, stem).id


def at(event: MergedEvent, geonameid: int) -> bool:
    return event.location is not None and event.location.geonameid == geonameid


def test_d1_the_idlib_strike_of_2_december_has_a_disputed_toll(
    picture: Picture, ledger: Ledger
) -> None:
    monitor, defence = (
        doc_id(picture, "05_idlib_strikes_monitor"),
        doc_id(picture, "06_idlib_strikes_civil_defence"),
    )
    disputed = []
    for event in ledger.events:
        claim = event.claim("fatalities")
        if at(event, IDLIB) and event.event_date == dt.date(2024, 12, 2) and claim:
            values = {(v.evidence.document_id, v.value) for v in claim.values}
            if {(monitor, "11"), (defence, "25")} <= values:
                disputed.append(claim.verdict)
                # "Syrian and Russian warplanes" (05) and "Russian and Syrian warplanes" (06)
                # name one pair of actors in two orders: not a dispute over who struck
                actor = event.claim("actor1")
                assert actor is not None and actor.verdict == "corroborated"
    assert disputed == ["contradicted"]


def test_d2_control_of_hama_on_4_december_is_disputed_by_07_and_08(
    picture: Picture, ledger: Ledger
) -> None:
    rebels, army = doc_id(picture, "07_rebels_enter_hama"), doc_id(picture, "08_army_holds_hama")
    [hama] = [t for t in ledger.control if t.key == f"geonameid:{HAMA}"]
    clashes = [
        c
        for c in hama.conflicts
        if {rebels, army} <= {*c.first.document_ids, *c.second.document_ids}
        and any(e.since and e.since <= dt.date(2024, 12, 4) for e in (c.first, c.second))
    ]
    assert clashes
    assert all(e.verdict == "contradicted" for c in clashes for e in (c.first, c.second))


def test_d2_is_resolved_by_09_the_army_lost_hama_on_5_december(
    picture: Picture, ledger: Ledger
) -> None:
    later = doc_id(picture, "09_hama_falls")
    [hama] = [t for t in ledger.control if t.key == f"geonameid:{HAMA}"]
    lost = [e for e in hama.entries if e.status == "lost" and later in e.document_ids]
    assert [(e.controller, e.since) for e in lost] == [("MIL-SY", dt.date(2024, 12, 5))]
    # a day after the army's claim to hold the city: a sequence, not a contradiction
    assert all(e.verdict != "contradicted" for e in lost)


def test_advancing_on_a_town_beside_its_capture_is_no_contradiction(ledger: Ledger) -> None:
    for timeline in ledger.control:
        for conflict in timeline.conflicts:
            statuses = {conflict.first.status, conflict.second.status}
            assert "advancing" not in statuses, (timeline.place.name, conflict.reason)
    [homs] = [t for t in ledger.control if t.key == f"geonameid:{HOMS}"]
    assert homs.conflicts == ()


def test_background_never_contradicts_a_current_event(ledger: Ledger) -> None:
    """04 recalls the government's 2016 recapture of eastern Aleppo ('the following year')."""
    recaptures = [
        m for e in ledger.events for m in e.members if m.trigger == "recapture" and at(e, ALEPPO)
    ]
    assert recaptures and all(m.status == "background" for m in recaptures)
    assert all(m.event_date and m.event_date.year == 2016 for m in recaptures)
    for event in ledger.events:
        statuses = {m.status == "background" for m in event.members}
        assert len(statuses) == 1, event.id  # never merged with a current event


def test_r1_the_damascus_capture_told_by_11_and_its_wire_copy_12_is_one_source(
    picture: Picture, ledger: Ledger
) -> None:
    wire, copy = (
        doc_id(picture, "11_damascus_falls"),
        doc_id(picture, "12_damascus_falls_republished"),
    )
    assert ledger.source_groups[wire] == ledger.source_groups[copy]
    [damascus] = [
        e
        for e in ledger.events
        if at(e, DAMASCUS) and e.sub_event_type == CAPTURE and {wire, copy} <= set(e.document_ids)
    ]
    assert damascus.event_date == dt.date(2024, 12, 8)
    assert damascus.claims and not any(c.verdict == "corroborated" for c in damascus.claims)
    location = damascus.claim("location")
    assert location is not None and location.verdict == "single-source"
    assert {v.evidence.document_id for v in location.values} == {wire, copy}


def test_e2_the_capture_of_aleppo_is_corroborated(ledger: Ledger) -> None:
    groups = ledger.source_groups
    captures = [
        e
        for e in ledger.events
        if at(e, ALEPPO)
        and e.sub_event_type == CAPTURE
        and e.status != "background"
        and e.event_date is not None
        and dt.date(2024, 11, 29) <= e.event_date <= dt.date(2024, 12, 1)
    ]
    corroborated = [
        e
        for e in captures
        if len({groups[d] for d in e.document_ids}) >= 2
        and (claim := e.claim("location")) is not None
        and claim.verdict == "corroborated"
    ]
    assert corroborated, [(e.event_date, e.document_ids) for e in captures]
