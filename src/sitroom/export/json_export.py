"""The native ``json`` export: the whole picture as one deterministic JSON object.

Its shape is pinned by ``schema/sitroom-export.schema.json``; bump ``SCHEMA_VERSION`` when a
field changes meaning or goes away (adding a section or field does not need a bump). Besides the
per-report records it holds the ledger across reports (merged events, their claims, control
timelines, alliances): a database's is read as stored, a Picture's in memory is built from its
records (``sitroom.picture``). Every section is written record by record from a
``sitroom.export.source.PictureReader``, so a stored picture is exported in bounded memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TextIO

from sitroom import __version__
from sitroom.export._common import (
    date_key,
    evidence_list,
    finite,
    indented,
    iso,
    location_to_dict,
)
from sitroom.export.source import PictureReader, flat, reader_of
from sitroom.picture.ledger import (
    AllianceEdge,
    ControlEntry,
    ControlTimeline,
    FieldClaim,
    Ledger,
    MergedEvent,
    SourceValue,
)
from sitroom.picture.summary import EventSummary, summarize
from sitroom.records import Actor, ControlClaim, Document, Event, Mention, Picture, Relation

SCHEMA_VERSION = 1


def document_to_dict(document: Document, main_event: str | None) -> dict[str, Any]:
    """One document's metadata (not its text) and the id of its main event."""
    return {
        "id": document.id,
        "ref": document.ref,
        "title": document.title,
        "source": document.source,
        "url": document.url,
        "published": iso(document.published),
        "main_event": main_event,
    }


def actor_to_dict(actor: Actor) -> dict[str, Any]:
    """One canonical actor."""
    return {
        "id": actor.id,
        "name": actor.name,
        "aliases": list(actor.aliases),
        "kind": actor.kind,
        "country": actor.country,
        "parent": actor.parent,
    }


def mention_to_dict(mention: Mention) -> dict[str, Any]:
    """One mention (chars); place fields are null unless it resolved to a gazetteer entry."""
    place = mention.place
    return {
        "document_id": mention.document_id,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "kind": mention.kind,
        "actor_id": mention.actor_id,
        "value": mention.value,
        "geonameid": place.geonameid if place else None,
        "latitude": finite(place.latitude) if place else None,
        "longitude": finite(place.longitude) if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
    }


def event_to_dict(event: Event) -> dict[str, Any]:
    """One event as one report tells it; actor fields hold actor ids."""
    return {
        "id": event.id,
        "document_id": event.document_id,
        "status": event.status,
        "event_date": iso(event.event_date),
        "date_precision": event.date_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "plover_type": event.plover_type,
        "plover_mode": event.plover_mode,
        "actor1": event.actor1,
        "assoc_actor_1": list(event.assoc_actor_1),
        "actor2": event.actor2,
        "assoc_actor_2": list(event.assoc_actor_2),
        "location": location_to_dict(event.location),
        "fatalities": event.fatalities,
        "fatalities_text": event.fatalities_text,
        "trigger": event.trigger,
        "claimed_by": event.claimed_by,
        "evidence": evidence_list(event.evidence),
        "notes": event.notes,
    }


def relation_to_dict(relation: Relation) -> dict[str, Any]:
    """One dated alliance-graph edge."""
    return {
        "subject": relation.subject,
        "predicate": relation.predicate,
        "object": relation.object,
        "date": iso(relation.date),
        "evidence": evidence_list(relation.evidence),
    }


def control_to_dict(claim: ControlClaim) -> dict[str, Any]:
    """One territorial-control claim."""
    return {
        "place": location_to_dict(claim.place),
        "controller": claim.controller,
        "status": claim.status,
        "date": iso(claim.date),
        "date_precision": claim.date_precision,
        "evidence": evidence_list(claim.evidence),
    }


def _documents(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for document, main_event in flat(reader.documents()):
        yield document_to_dict(document, main_event)


def _actors(reader: PictureReader) -> Iterator[dict[str, Any]]:
    return (actor_to_dict(a) for a in flat(reader.actors()))


def _mention_key(m: Mention) -> tuple[str, int, int, str, str]:
    return (m.document_id, m.start, m.end, m.kind, m.text)


def _mentions(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for run in reader.mention_runs():
        yield from (mention_to_dict(m) for m in sorted(run, key=_mention_key))


def _events(reader: PictureReader) -> Iterator[dict[str, Any]]:
    return (event_to_dict(e) for e in flat(reader.events()))


def _relation_key(r: Relation) -> tuple[str, str, str, tuple[int, str], str]:
    first = r.evidence[0] if r.evidence else None
    return (r.subject, r.predicate, r.object, date_key(r.date), repr(first))


def _relations(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for run in reader.relation_runs():
        yield from (relation_to_dict(r) for r in sorted(run, key=_relation_key))


def _control_key(c: ControlClaim) -> tuple[str, str, str, tuple[int, str], str, str]:
    first = c.evidence[0] if c.evidence else None
    geonameid = "" if c.place.geonameid is None else f"{c.place.geonameid:012d}"
    return (c.place.name, geonameid, c.controller, date_key(c.date), c.status, repr(first))


def _control(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for run in reader.control_runs():
        yield from (control_to_dict(c) for c in sorted(run, key=_control_key))


# To add a section, append (name, builder) here or to LEDGER_SECTIONS and extend the schema.
SECTIONS: tuple[tuple[str, Callable[[PictureReader], Iterator[dict[str, Any]]]], ...] = (
    ("documents", _documents),
    ("actors", _actors),
    ("mentions", _mentions),
    ("events", _events),
    ("relations", _relations),
    ("control", _control),
)


# -- the ledger: merged events, their claims, control over time, alliances ------------------


def source_value_to_dict(value: SourceValue) -> dict[str, Any]:
    """One report's value for one field, with its quote and whose claim it is."""
    return {
        "document_id": value.evidence.document_id,
        "quote": value.evidence.quote,
        "value": value.value,
        "claimed_by": value.claimed_by,
        "by_party": value.by_party,
        "source_group": value.source_group,
        "event_id": value.event_id,
    }


def field_claim_to_dict(event: MergedEvent, claim: FieldClaim) -> dict[str, Any]:
    """One field of a merged event: every source's value and the verdict over them."""
    return {
        "subject": "event",
        "subject_id": event.id,
        "entry": None,
        "field": claim.field,
        "verdict": claim.verdict,
        "values": [source_value_to_dict(v) for v in claim.values],
    }


def control_claim_to_dict(
    timeline: ControlTimeline, index: int, groups: Mapping[str, str]
) -> dict[str, Any]:
    """One control-timeline entry as a claim: who holds (took, lost...) the place, per source."""
    entry = timeline.entries[index]
    value = f"{entry.controller} {entry.status}"
    return {
        "subject": "control",
        "subject_id": timeline.key,
        "entry": index,
        "field": "control",
        "verdict": entry.verdict,
        "values": [
            {
                "document_id": ev.document_id,
                "quote": ev.quote,
                "value": value,
                "claimed_by": None,
                "by_party": False,
                "source_group": groups.get(ev.document_id, ev.document_id),
                "event_id": None,
            }
            for ev in entry.evidence
        ],
    }


def merged_event_to_dict(event: MergedEvent, groups: Mapping[str, str]) -> dict[str, Any]:
    """One real-world event over its reports; ``sources`` counts independent source groups."""
    return summary_to_dict(summarize(event), groups)


def listing_item(
    event: EventSummary, groups: Mapping[str, str], names: Mapping[str, str]
) -> dict[str, Any]:
    """An item of the API's event listing: the export's merged event, with its overall verdict,
    actor names and a quote; ``groups``: document id -> wire-copy group, ``names``: actor id ->
    name (at least those the event needs)."""
    data = summary_to_dict(event, groups)
    data["verdict"] = event.verdict
    data["actor1_name"] = names.get(event.actor1) if event.actor1 else None
    data["actor2_name"] = names.get(event.actor2) if event.actor2 else None
    data["quote"] = event.quote
    return data


def compact_json(value: Any) -> str:
    """JSON as the API sends it (no spaces, no ASCII escapes; NaN refused)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def summary_to_dict(event: EventSummary, groups: Mapping[str, str]) -> dict[str, Any]:
    """``merged_event_to_dict`` of the merged event a listing's summary is of."""
    span = event.fatality_range
    return {
        "id": event.id,
        "members": list(event.members),
        "document_ids": list(event.document_ids),
        "sources": len({groups.get(d, d) for d in event.document_ids}),
        "merged_on": list(event.merged_on),
        "status": event.status,
        "event_date": iso(event.event_date),
        "date_precision": event.date_precision,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "plover_type": event.plover_type,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "location": location_to_dict(event.location),
        "fatalities": event.fatalities,
        "fatality_range": None
        if span is None
        else {
            "low": span.low,
            "best": span.best,
            "high": span.high,
            "low_documents": list(span.low_docs),
            "best_documents": list(span.best_docs),
            "high_documents": list(span.high_docs),
        },
    }


def control_entry_to_dict(entry: ControlEntry) -> dict[str, Any]:
    """Reports of one controller and status at a place over a run of dates."""
    return {
        "controller": entry.controller,
        "status": entry.status,
        "since": iso(entry.since),
        "until": iso(entry.until),
        "date_precision": entry.date_precision,
        "document_ids": list(entry.document_ids),
        "evidence": evidence_list(entry.evidence),
        "verdict": entry.verdict,
    }


def timeline_to_dict(timeline: ControlTimeline) -> dict[str, Any]:
    """Control of one place over time; a conflict names two entries by their index."""
    entries = list(timeline.entries)
    return {
        "key": timeline.key,
        "place": location_to_dict(timeline.place),
        "entries": [control_entry_to_dict(e) for e in entries],
        "conflicts": [
            {
                "first": entries.index(c.first),
                "second": entries.index(c.second),
                "reason": c.reason,
            }
            for c in timeline.conflicts
        ],
    }


def alliance_to_dict(edge: AllianceEdge) -> dict[str, Any]:
    """One subject <predicate> object edge over all reports of it."""
    return {
        "subject": edge.subject,
        "predicate": edge.predicate,
        "object": edge.object,
        "first_seen": iso(edge.first_seen),
        "last_seen": iso(edge.last_seen),
        "document_ids": list(edge.document_ids),
        "evidence": evidence_list(edge.evidence),
    }


def _merged_events(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for batch in reader.merged_events():
        groups = reader.source_groups_of({d for e in batch for d in e.document_ids})
        yield from (merged_event_to_dict(e, groups) for e in batch)


def _claims(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for event in flat(reader.merged_events()):
        for claim in event.claims:
            yield field_claim_to_dict(event, claim)
    for batch in reader.control_timelines():
        documents = {ev.document_id for t in batch for e in t.entries for ev in e.evidence}
        groups = reader.source_groups_of(documents)
        for timeline in batch:
            for index in range(len(timeline.entries)):
                yield control_claim_to_dict(timeline, index, groups)


def _control_timeline(reader: PictureReader) -> Iterator[dict[str, Any]]:
    return (timeline_to_dict(t) for t in flat(reader.control_timelines()))


def _alliances(reader: PictureReader) -> Iterator[dict[str, Any]]:
    return (alliance_to_dict(e) for e in flat(reader.alliances()))


# Sections of the ledger across reports: stored (sitroom.store) or built from a Picture in memory.
LEDGER_SECTIONS: tuple[tuple[str, Callable[[PictureReader], Iterator[dict[str, Any]]]], ...] = (
    ("merged_events", _merged_events),
    ("claims", _claims),
    ("control_timeline", _control_timeline),
    ("alliances", _alliances),
)


def picture_to_dict(
    picture: Picture | PictureReader, *, ledger: Ledger | None = None
) -> dict[str, Any]:
    """The whole picture as JSON-ready plain data, every list in a stable order.

    ``ledger`` is the picture's ledger where the caller has built it already.
    """
    data: dict[str, Any] = _head()
    for name, records in _sections(reader_of(picture, ledger)):
        data[name] = list(records)
    return data


def _head() -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "generator": f"sitroom {__version__}"}


def _sections(reader: PictureReader) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    for name, build in (*SECTIONS, *LEDGER_SECTIONS):
        yield name, build(reader)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


def write_json(
    picture: Picture | PictureReader, out: TextIO, *, ledger: Ledger | None = None
) -> None:
    """Write the picture as one indented UTF-8 JSON object, one record at a time: the text is
    ``json.dump(picture_to_dict(picture), indent=2)``'s, but only one record is held as data.
    ``ledger``: a Picture's ledger where the caller has built it; else it is built here."""
    out.write(_dumps(_head())[:-2])  # without the closing "\n}"
    for name, records in _sections(reader_of(picture, ledger)):
        out.write(f",\n  {_dumps(name)}: [")
        empty = True
        for record in records:
            out.write(("\n    " if empty else ",\n    ") + indented(record, 2))
            empty = False
        out.write("]" if empty else "\n  ]")
    out.write("\n}\n")
