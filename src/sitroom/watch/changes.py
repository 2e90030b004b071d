"""What changed in the picture between two polls: a compact snapshot of the ledger (ids and key
fields) is kept after each poll, and the next one is compared with it.

Merged event ids follow their earliest member, which a newly arrived report can change, so
events are matched across snapshots by the report events they share, not by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sitroom.picture.ledger import ControlTimeline, Ledger, MergedEvent
from sitroom.watch.state import Change

CHANGE_KINDS = (
    "new-event",
    "fatalities-revised",
    "control-change",
    "new-contradiction",
    "contradiction-resolved",
    "new-actor",
    "new-relation",
)
# A place's controller is whoever last held or took it.
_HOLDING = ("captured", "held")

Snapshot = dict[str, Any]


def snapshot(
    ledger: Ledger, actors: Mapping[str, str], *, place_names: Mapping[int, set[str]] | None = None
) -> Snapshot:
    """The ledger's ids and key fields, as JSON-ready data; ``actors`` maps id -> name,
    ``place_names`` a geonameid -> the names reports gave it ("Hama" for GeoNames' "Ḩamāh")."""
    place_names = place_names or {}
    groups = ledger.source_groups
    events = {}
    contradictions = []
    for event in ledger.events:
        events[event.id] = {
            "members": sorted(m.id for m in event.members),
            "date": _iso(event.event_date),
            "type": event.sub_event_type or event.event_type or event.plover_type,
            "place": event.location.name if event.location else None,
            "admin1": event.location.admin1 if event.location else None,
            "fatalities": event.fatalities,
            "documents": sorted(event.document_ids),
            "sources": len({groups.get(d, d) for d in event.document_ids}),
        }
        for claim in event.claims:
            if claim.verdict == "contradicted":
                contradictions.append(_event_contradiction(event, claim.field, claim.values))
    for timeline in ledger.control:
        for conflict in timeline.conflicts:
            pair = sorted((conflict.first.controller, conflict.second.controller))
            contradictions.append(
                {
                    "field": "control",
                    "key": f"control:{timeline.key}:{'|'.join(pair)}",
                    "members": [f"control:{timeline.key}:{'|'.join(pair)}"],
                    "about": f"control of {timeline.place.name}",
                    "values": pair,
                    "actors": pair,
                    "documents": sorted(
                        {*conflict.first.document_ids, *conflict.second.document_ids}
                    ),
                }
            )
    return {
        "events": events,
        "control": {
            t.key: c for t in ledger.control if (c := _controller(t, place_names)) is not None
        },
        "contradictions": contradictions,
        "actors": dict(sorted(actors.items())),
        "relations": {
            f"{e.subject} {e.predicate} {e.object}": sorted(e.document_ids)
            for e in ledger.alliances
        },
    }


def diff(old: Snapshot | None, new: Snapshot) -> list[Change]:
    """The changes from ``old`` (None: an empty picture) to ``new``, in CHANGE_KINDS order."""
    old = old or {}
    names: dict[str, str] = {**old.get("actors", {}), **new.get("actors", {})}
    changes = _event_changes(old.get("events", {}), new["events"])
    changes += _control_changes(old.get("control", {}), new["control"], names)
    changes += _contradiction_changes(old.get("contradictions", []), new["contradictions"], names)
    for actor_id, name in new["actors"].items():
        if actor_id not in old.get("actors", {}):
            changes.append(Change("new-actor", actor_id, f"New actor: {name}", {"actor": actor_id,
                                  "name": name}))  # fmt: skip
    for key, documents in new["relations"].items():
        if key not in old.get("relations", {}):
            subject, predicate, obj = key.split(" ", 2)
            summary = f"{names.get(subject, subject)} {predicate} {names.get(obj, obj)}"
            detail = {"subject": subject, "predicate": predicate, "object": obj}
            changes.append(Change("new-relation", key, summary, detail, tuple(documents)))
    order = {kind: i for i, kind in enumerate(CHANGE_KINDS)}
    return sorted(changes, key=lambda c: order[c.kind])


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _event_contradiction(event: MergedEvent, field: str, values: Any) -> dict[str, Any]:
    shown = sorted({v.value or "?" for v in values})
    actors = sorted({a for m in event.members for a in (m.actor1, m.actor2) if a})
    return {
        "field": field,
        "key": f"{event.id}:{field}",
        "members": sorted(m.id for m in event.members),
        "about": f"{event.sub_event_type or event.event_type or 'event'}"
        + (f" at {event.location.name}" if event.location else "")
        + (f" on {event.event_date.isoformat()}" if event.event_date else ""),
        "values": shown,
        "actors": actors,
        "documents": sorted({v.evidence.document_id for v in values}),
    }


def _controller(
    timeline: ControlTimeline, place_names: Mapping[int, set[str]]
) -> dict[str, Any] | None:
    holding = [e for e in timeline.entries if e.status in _HOLDING]
    if not holding:
        return None
    latest = max(holding, key=lambda e: (e.until or e.since or dt.date.min, e.since or dt.date.min))
    return {
        "place": timeline.place.name,
        "names": sorted(place_names.get(timeline.place.geonameid or -1, set())),
        "admin1": timeline.place.admin1,
        "country": timeline.place.country,
        "controller": latest.controller,
        "status": latest.status,
        "since": _iso(latest.since),
        "documents": sorted(latest.document_ids),
    }


def _matches(members: list[str], pool: Mapping[str, Any]) -> list[str]:
    wanted = set(members)
    return [k for k, v in pool.items() if wanted.intersection(v["members"])]


def _event_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    out: list[Change] = []
    for key, event in new.items():
        before = _matches(event["members"], old)
        docs = tuple(event["documents"])
        if not before:
            toll = f", {event['fatalities']} killed" if event["fatalities"] is not None else ""
            where = f" at {event['place']}" if event["place"] else ""
            when = f" on {event['date']}" if event["date"] else ""
            sources = f"{event['sources']} source{'s' if event['sources'] != 1 else ''}"
            summary = f"New event: {event['type']}{where}{when}{toll} ({sources})"
            out.append(Change("new-event", key, summary, dict(event), docs))
            continue
        previous = {old[k]["fatalities"] for k in before} - {None}
        figure = event["fatalities"]
        if figure is not None and previous and figure not in previous:
            was = "/".join(str(n) for n in sorted(previous))
            where = f" at {event['place']}" if event["place"] else ""
            summary = f"Fatalities revised{where}: {figure} (was {was})"
            detail = {**event, "previous": sorted(previous)}
            out.append(Change("fatalities-revised", key, summary, detail, docs))
    return out


def _control_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], names: Mapping[str, str]
) -> list[Change]:
    out = []
    for key, now in new.items():
        before = old.get(key)
        if before is not None and before["controller"] == now["controller"]:
            continue
        who = names.get(now["controller"], now["controller"])
        was = (
            ""
            if before is None
            else (f" (was {names.get(before['controller'], before['controller'])})")
        )
        summary = f"Control: {now['place']} {now['status']} by {who}{was}"
        detail = {**now, "previous": None if before is None else before["controller"]}
        out.append(Change("control-change", key, summary, detail, tuple(now["documents"])))
    return out


def _contradiction_changes(
    old: list[dict[str, Any]], new: list[dict[str, Any]], names: Mapping[str, str]
) -> list[Change]:
    def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return a["field"] == b["field"] and bool(set(a["members"]) & set(b["members"]))

    def shown(values: list[str]) -> str:
        return " vs ".join(names.get(v, v) for v in values)

    out = []
    for item in new:
        if not any(same(item, o) for o in old):
            values = shown(item["values"])
            summary = f"New contradiction on {item['field']} ({item['about']}): {values}"
            out.append(Change("new-contradiction", item["key"], summary, item,
                              tuple(item["documents"])))  # fmt: skip
    for item in old:
        if not any(same(item, n) for n in new):
            summary = f"Contradiction resolved on {item['field']} ({item['about']})"
            out.append(Change("contradiction-resolved", item["key"], summary, item,
                              tuple(item["documents"])))  # fmt: skip
    return out
