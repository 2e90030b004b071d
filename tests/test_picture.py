"""Tests for sitroom.picture: one ledger from many reports, built from hand-made records."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

import factories
from factories import doc
from sitroom.errors import InputError
from sitroom.ids import content_id
from sitroom.picture import (
    build_ledger,
    compare_reports,
    find_document,
    picture_from_analyses,
    restrict,
)
from sitroom.picture.ledger import Ledger
from sitroom.records import (
    Actor,
    Analysis,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
    Mention,
    Picture,
    Relation,
)

IDLIB = Location("Idlib", 169389, 35.9306, 36.6339, "SY", "Idlib", 1)
HAMA = Location("Hama", 170017, 35.1318, 36.7578, "SY", "Hama", 1)
DEC = {day: dt.date(2024, 12, day) for day in range(1, 32)}
STRIKE = ("Explosions/Remote violence", "Air/drone strike", "ASSAULT")

WIRE_TEXT = (
    "Syrian and Russian warplanes struck residential parts of Idlib city on Monday, killing 11 "
    "people, according to a war monitor, while rebels pressed on toward Hama."
)


MONITOR = doc(WIRE_TEXT, DEC[2], "Global Desk", "reports/05_idlib_monitor.txt")
DEFENCE = doc(
    "At least 25 people were killed when Russian and Syrian warplanes bombed Idlib city on "
    "Monday, the civil defence said. The army holds Hama, the defence ministry said.",
    DEC[3],
    "Frontline Report",
    "reports/06_idlib_defence.txt",
)
COPY = doc(WIRE_TEXT + " (Reporting by Global Desk.)", DEC[3], "Daily", "wire.jsonl#3")
ACTORS = (
    Actor("MIL-RU", "Military Forces of Russia", kind="state_forces", parent="GOV-RU"),
    Actor("MIL-SY", "Military Forces of Syria", kind="state_forces", parent="GOV-SY"),
    Actor("HTS", "Hayat Tahrir al-Sham", kind="armed_group"),
    Actor("GOV-RU", "Government of Russia", kind="state"),
)


def event(document: Document, **fields: Any) -> Event:
    """A strike on Idlib as one report tells it; the id hashes every field, as extraction does."""
    strike = dict(kind=STRIKE, event_date=DEC[2], date_precision="day", plover_mode="aerial")
    where = dict(actor1="MIL-RU", location=IDLIB, quote=document.text[:80])
    return factories.event(document, **{**strike, **where, **fields})


def control(document: Document, controller: str, status: str) -> ControlClaim:
    quote = f"{controller} {status} Hama"
    return ControlClaim(
        HAMA, controller, status, DEC[4], "day", (Evidence(document.id, 0, 9, quote),)
    )


def relation(document: Document, date: dt.date) -> Relation:
    return Relation("GOV-RU", "supports", "MIL-SY", date, (Evidence(document.id, 0, 5, "backs"),))


STRIKE_11 = event(MONITOR, fatalities=11, fatalities_text="11 people", claimed_by=None)
STRIKE_25 = event(DEFENCE, fatalities=25, fatalities_text="At least 25 people")
COPY_11 = event(COPY, fatalities=11, fatalities_text="11 people")
ADVANCE = event(
    MONITOR,
    event_type="Battles",
    sub_event_type="Armed clash",
    plover_type="FIGHT",
    actor1="HTS",
    location=HAMA,
    quote="rebels pressed on toward Hama",
)
PICTURE = Picture(
    documents=(MONITOR, DEFENCE, COPY),
    actors=ACTORS,
    events=(STRIKE_11, STRIKE_25, COPY_11, ADVANCE),
    relations=(relation(MONITOR, DEC[2]), relation(DEFENCE, DEC[3])),
    control=(control(MONITOR, "HTS", "captured"), control(DEFENCE, "MIL-SY", "held")),
    main_events={MONITOR.id: STRIKE_11.id, DEFENCE.id: STRIKE_25.id, COPY.id: COPY_11.id},
)


def strike(ledger: Ledger) -> Any:
    [found] = [e for e in ledger.events if e.sub_event_type == "Air/drone strike"]
    return found


# -- build_ledger --------------------------------------------------------------------------


def test_three_reports_of_one_strike_become_one_event_with_a_disputed_toll() -> None:
    ledger = build_ledger(PICTURE)
    merged = strike(ledger)
    assert set(merged.members) == {STRIKE_11, STRIKE_25, COPY_11}
    assert merged.id == content_id("merged-event", STRIKE_11.id)  # the earliest report's event
    claim = merged.claim("fatalities")
    assert claim is not None and claim.verdict == "contradicted"
    assert sorted(v.value or "" for v in claim.values) == ["11", "11", "25"]
    assert merged.fatality_range is not None
    assert (merged.fatality_range.low, merged.fatality_range.high) == (11, 25)
    assert merged.fatality_range.high_docs == (DEFENCE.id,)
    location = merged.claim("location")
    assert location is not None and location.verdict == "corroborated"


def test_the_wire_copy_is_one_source_with_its_original() -> None:
    ledger = build_ledger(PICTURE)
    assert ledger.source_groups[COPY.id] == ledger.source_groups[MONITOR.id] == MONITOR.id
    assert ledger.source_groups[DEFENCE.id] == DEFENCE.id
    without_defence = build_ledger(restrict(PICTURE, {MONITOR.id, COPY.id}))
    assert {c.verdict for c in strike(without_defence).claims} == {"single-source"}


def test_events_are_in_date_order_and_control_and_alliances_are_reconciled() -> None:
    ledger = build_ledger(PICTURE)
    assert len(ledger.events) == 2
    assert [e.event_date for e in ledger.events] == sorted(e.event_date for e in ledger.events)
    [hama] = ledger.control
    assert hama.key == "geonameid:170017"
    assert {e.verdict for e in hama.entries} == {"contradicted"}
    [conflict] = hama.conflicts
    assert {conflict.first.controller, conflict.second.controller} == {"HTS", "MIL-SY"}
    [edge] = ledger.alliances
    assert (edge.subject, edge.predicate, edge.object) == ("GOV-RU", "supports", "MIL-SY")
    assert (edge.first_seen, edge.last_seen) == (DEC[2], DEC[3])
    assert edge.document_ids == tuple(sorted((MONITOR.id, DEFENCE.id)))


def test_the_ledger_does_not_depend_on_the_order_records_were_stored_in() -> None:
    shuffled = Picture(
        documents=PICTURE.documents[::-1],
        actors=PICTURE.actors[::-1],
        events=PICTURE.events[::-1],
        relations=PICTURE.relations[::-1],
        control=PICTURE.control[::-1],
        main_events=PICTURE.main_events,
    )
    assert build_ledger(shuffled) == build_ledger(PICTURE)


def test_adding_a_later_report_needs_no_reanalysis_and_keeps_event_ids() -> None:
    before = build_ledger(restrict(PICTURE, {MONITOR.id}))
    after = build_ledger(PICTURE)
    assert strike(after).id == strike(before).id
    assert {e.id for e in before.events} <= {e.id for e in after.events}


def test_an_empty_picture_has_an_empty_ledger() -> None:
    assert build_ledger(Picture()) == Ledger((), (), (), {})


# -- restrict, picture_from_analyses, find_document ----------------------------------------


def test_restrict_keeps_only_what_the_documents_report() -> None:
    mention = Mention(DEFENCE.id, 0, 4, "Hama", "place")
    part = restrict(dataclasses.replace(PICTURE, mentions=(mention,)), {MONITOR.id})
    assert part.documents == (MONITOR,)
    assert part.events == (STRIKE_11, ADVANCE)
    assert part.mentions == ()
    assert [r.evidence[0].document_id for r in part.relations] == [MONITOR.id]
    assert [c.controller for c in part.control] == ["HTS"]
    assert part.main_events == {MONITOR.id: STRIKE_11.id}
    assert part.actors == PICTURE.actors


def test_picture_from_analyses_keeps_one_record_per_actor_id() -> None:
    first = Analysis(MONITOR, actors=ACTORS[:2], events=(STRIKE_11,), main_event=STRIKE_11.id)
    second = Analysis(DEFENCE, actors=ACTORS[1:], events=(STRIKE_25,))
    picture = picture_from_analyses([first, second])
    assert picture.documents == (MONITOR, DEFENCE)
    assert [a.id for a in picture.actors] == sorted(a.id for a in ACTORS)
    assert picture.events == (STRIKE_11, STRIKE_25)
    assert picture.main_events == {MONITOR.id: STRIKE_11.id, DEFENCE.id: None}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (MONITOR.id, MONITOR),
        ("reports/06_idlib_defence.txt", DEFENCE),
        ("06_idlib_defence.txt", DEFENCE),
        ("05_idlib_monitor", MONITOR),
        ("wire.jsonl#3", COPY),
        (COPY.id[:8], COPY),
    ],
)
def test_find_document_by_id_ref_name_stem_or_id_prefix(key: str, expected: Document) -> None:
    assert find_document(PICTURE.documents, key) == expected


def test_find_document_names_the_key_when_nothing_or_several_match() -> None:
    with pytest.raises(InputError, match=r"^nope: no stored report"):
        find_document(PICTURE.documents, "nope")
    with pytest.raises(InputError, match="no stored report"):
        find_document(PICTURE.documents, MONITOR.id[:3])  # too short to be an id prefix
    twin = dataclasses.replace(DEFENCE, id="f" * 16, ref="other/06_idlib_defence.txt")
    with pytest.raises(InputError, match="matches several stored reports"):
        find_document([*PICTURE.documents, twin], "06_idlib_defence")


# -- compare_reports -----------------------------------------------------------------------


def test_compare_two_reports_splits_shared_and_own_events() -> None:
    comparison = compare_reports(PICTURE, MONITOR.id, DEFENCE.id)
    assert (comparison.first, comparison.second) == (MONITOR, DEFENCE)
    assert not comparison.same_source
    [shared] = comparison.shared
    assert set(shared.members) == {STRIKE_11, STRIKE_25}  # the copy is not part of it
    fatalities = shared.claim("fatalities")
    assert fatalities is not None and fatalities.verdict == "contradicted"
    assert [e.members for e in comparison.only_first] == [(ADVANCE,)]
    assert comparison.only_second == ()
    [hama] = comparison.control
    assert len(hama.conflicts) == 1


def test_compare_a_wire_copy_with_its_original_is_one_source() -> None:
    comparison = compare_reports(PICTURE, MONITOR.id, COPY.id)
    assert comparison.same_source
    [shared] = comparison.shared
    assert {c.verdict for c in shared.claims} == {"single-source"}


def test_compare_refuses_a_document_the_picture_does_not_hold() -> None:
    with pytest.raises(InputError, match="no such document"):
        compare_reports(PICTURE, MONITOR.id, "missing")
