"""Tests for sitroom.store.held_groups: the groups a rebuild's batch holds until it writes them."""

from __future__ import annotations

import datetime as dt

import factories
from sitroom.picture.blocking import BlockIndex
from sitroom.picture.ledger import DEFAULT_RULES
from sitroom.picture.merge import visit_key
from sitroom.records import Event, Location
from sitroom.store.held_groups import HeldGroup, HeldGroups
from sitroom.store.merge_update import key_id

_DAY = dt.date(2024, 12, 1)
_ALEPPO = Location("Aleppo", 2, 36.20, 37.15, "SY", "Aleppo", 1)
_INDEX = BlockIndex(DEFAULT_RULES)


def _event(text: str) -> Event:
    return factories.event(
        factories.doc(text, published=_DAY),
        kind=("Battles", "Armed clash", "FIGHT"),
        quote=text,
        event_date=_DAY,
        date_precision="day",
        location=_ALEPPO,
    )


def _group(*events: Event) -> HeldGroup:
    return HeldGroup(sorted((visit_key(e, _DAY), e) for e in events), None)


def _probes(event: Event) -> list[int]:
    return [key_id(k) for k in _INDEX.probe_keys(event)]


def test_a_held_group_is_found_under_its_first_members_keys_and_covers_its_stale_rows() -> None:
    first, second = _event("Clashes in Aleppo."), _event("Fighting in Aleppo.")
    held = HeldGroups(_INDEX)
    assert not held
    held.put("m1", _group(first, second))
    assert held and held.covers("m1") and not held.covers("m2")
    assert held.under(_probes(second)) == {"m1"}
    assert held.of_event == {first.id: "m1", second.id: "m1"}
    assert held.last == max(visit_key(e, _DAY) for e in (first, second))


def test_a_dropped_group_is_found_no_more_and_its_rows_go_when_written() -> None:
    first, second = _event("Clashes in Aleppo."), _event("Fighting in Aleppo.")
    held = HeldGroups(_INDEX)
    held.put("m1", _group(first, second))
    held.drop("m1")
    held.put("m2", _group(second))
    assert held.covers("m1") and "m1" not in held.groups
    assert held.under(_probes(second)) == {"m2"}
    assert held.of_event == {second.id: "m2"}
    groups, gone = held.take()
    assert set(groups) == {"m2"} and gone == {"m1", "m2"}
    assert not held and not held.covers("m2") and held.under(_probes(second)) == set()
