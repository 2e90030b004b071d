"""The plover-jsonl export against the current PLOVER manual's data fields and names (written
down here), and PLOVER 0.5's names as an option for the 0.5 gold files."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from sitroom.export.plover import contexts, current_type_and_mode
from sitroom.records import Picture
from test_export import make_picture, render_with

# The current manual's event types (no FIGHT, DEMAND, DISAPPROVE or INVESTIGATE any more).
EVENT_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip
# Its data fields: lists for event, mode and context; entity lists for actor and recipient.
FIELDS = {
    "event": list, "mode": list, "context": list, "actor": list, "recipient": list,
    "event_loc": (dict, type(None)), "size": dict,
}  # fmt: skip
ENTITY_FIELDS = {"name", "country"}
CONTEXTS = {
    "military", "political", "diplomatic", "economic", "legal", "terrorism", "election",
    "refugee", "cbrn", "rights", "government", "cyber", "resource", "religion",
}  # fmt: skip


def _picture() -> Picture:
    picture = make_picture()
    battle = next(e for e in picture.events if e.event_type == "Battles")
    old = dataclasses.replace(
        battle, id="ev-old-names", plover_type="FIGHT", plover_mode="artillery"
    )
    scold = dataclasses.replace(
        battle, id="ev-disapprove", plover_type="DISAPPROVE", plover_mode=None, event_type=None,
        sub_event_type=None,
    )  # fmt: skip
    return dataclasses.replace(picture, events=(*picture.events, old, scold))


def _records(**options: object) -> dict[str, dict[str, object]]:
    lines = render_with(_picture(), "plover-jsonl", **options).splitlines()
    return {r["id"]: r for r in map(json.loads, lines)}


def test_records_have_the_current_manual_s_fields() -> None:
    for record in _records().values():
        for name, kind in FIELDS.items():
            assert isinstance(record[name], kind), name
        assert set(record["event"]) <= EVENT_TYPES  # type: ignore[arg-type]
        assert set(record["context"]) <= CONTEXTS  # type: ignore[arg-type]
        for entity in [*record["actor"], *record["recipient"]]:  # type: ignore[misc]
            assert set(entity) >= ENTITY_FIELDS
            assert entity["country"] is None or re.fullmatch(r"[A-Z]{3}", entity["country"])
        location = record["event_loc"]
        if location is not None:
            assert re.fullmatch(r"[A-Z]{3}", location["country"])  # type: ignore[index]
        assert "dead" in record["size"]  # type: ignore[operator]


def test_old_names_become_the_current_ones() -> None:
    records = _records()
    assert records["ev-old-names"]["event"] == ["ASSAULT"]
    assert records["ev-old-names"]["mode"] == ["heavy-weapons"]
    assert records["ev-old-names"]["context"] == ["military"]
    assert records["ev-disapprove"]["event"] == ["ACCUSE"]
    assert current_type_and_mode("FIGHT", "small-arms") == ("ASSAULT", "firearms")
    assert current_type_and_mode("DEMAND", None) == ("REQUEST", None)
    assert contexts("ASSAULT", "Chemical weapon") == ["military", "cbrn"]


def test_plover_05_names_as_an_option() -> None:
    records = _records(names="0.5")
    old = records["ev-old-names"]
    assert (old["event"], old["mode"], old["context"]) == ("FIGHT", "artillery", "military")
    assert old["source"] == [{"actorText": "Military Forces of Syria", "code": "SYR-GOV"}]
    assert "text" in old and "date" in old


def test_an_unknown_name_set_is_an_error() -> None:
    from sitroom.errors import ExportError

    with pytest.raises(ExportError, match=r"names must be one of current, 0\.5"):
        render_with(_picture(), "plover-jsonl", names="0.6")
