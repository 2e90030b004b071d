"""The ``plover-jsonl`` export: one JSON object a line per event, in the PLOVER data model.

Fields: ``id``, ``date`` (ISO or null), ``event`` (PLOVER event type, e.g. ASSAULT), ``mode``
(PLOVER mode or null), ``context`` (PLOVER contexts; empty, sitroom does not assign them yet),
``source`` / ``target`` (actor names: actor1 and actor2), ``source_id`` / ``target_id`` (sitroom
actor ids), ``location`` ({name, country, lat, lon, geonameid} in degrees, or null),
``fatalities``, ``status`` (reported, claimed, denied, planned, background), ``text`` (the
primary evidence quote, else the trigger) and ``document_id``. Every event is written, background
ones included, so consumers filter on ``status``.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from sitroom.export._common import actor_name, actors_by_id, finite, iso
from sitroom.records import Actor, Event, Picture

PLOVER_FIELDS = (
    "id", "date", "event", "mode", "context", "source", "target", "source_id", "target_id",
    "location", "fatalities", "status", "text", "document_id",
)  # fmt: skip


def plover_record(event: Event, *, actors: dict[str, Actor]) -> dict[str, Any]:
    """One event as a PLOVER record; ``actors`` maps ids to records for the names."""
    location = event.location
    return {
        "id": event.id,
        "date": iso(event.event_date),
        "event": event.plover_type,
        "mode": event.plover_mode,
        "context": [],
        "source": actor_name(event.actor1, actors),
        "target": actor_name(event.actor2, actors),
        "source_id": event.actor1,
        "target_id": event.actor2,
        "location": None
        if location is None
        else {
            "name": location.name,
            "country": location.country,
            "lat": finite(location.latitude),
            "lon": finite(location.longitude),
            "geonameid": location.geonameid,
        },
        "fatalities": event.fatalities,
        "status": event.status,
        "text": event.evidence[0].quote if event.evidence else event.trigger,
        "document_id": event.document_id,
    }


def write_plover_jsonl(picture: Picture, out: TextIO) -> None:
    """Write one compact PLOVER JSON object a line, events ordered by id."""
    actors = actors_by_id(picture)
    for event in sorted(picture.events, key=lambda e: e.id):
        record = plover_record(event, actors=actors)
        out.write(json.dumps(record, ensure_ascii=False, allow_nan=False))
        out.write("\n")
