"""The ``plover-jsonl`` export: one JSON object a line per event, in the data fields and names of
the current PLOVER manual (the one POLECAT is coded in), or of PLOVER 0.5 with ``names="0.5"``.

Current (``CURRENT_FIELDS``): ``id``; ``event_date`` and ``story_date`` (ISO or null);
``event``, ``mode`` and ``context`` as lists; ``actor`` and ``recipient`` as lists of entity
objects ({name, id (sitroom's), country (ISO 3166 alpha-3 or null), type}); ``event_loc``
({place_name, country (alpha-3), admin1, lat, lon, geonameid} or null); ``size`` ({dead});
``event_text`` (the primary evidence quote, else the trigger), then sitroom's ``status``
(reported, claimed, denied, planned, background) and ``document_id``. 0.5 names map to the
current ones (FIGHT is ASSAULT, DEMAND REQUEST, DISAPPROVE ACCUSE; mode small-arms is firearms,
artillery heavy-weapons) by ``data/plover_names.yaml``, which also says which contexts follow
from an event's type. 0.5 (``OLD_FIELDS``), as the 0.5 gold files: ``date``, ``event`` and
``mode`` as strings, ``context`` a comma-joined string, ``source``/``target`` lists of
{actorText, code}, ``text``. Every event is written, background ones included, so consumers
filter on ``status``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any, TextIO

from sitroom.errors import ExportError
from sitroom.export._common import actor_name, finite, iso, named_actors
from sitroom.export.acled import iso3
from sitroom.export.source import PictureReader, reader_of
from sitroom.knowledge import loader
from sitroom.knowledge.loader import Overrides
from sitroom.records import Actor, Document, Event, Picture

CURRENT_FIELDS = (
    "id", "event_date", "story_date", "event", "mode", "context", "actor", "recipient",
    "event_loc", "size", "event_text", "status", "document_id",
)  # fmt: skip
OLD_FIELDS = (
    "id", "date", "event", "mode", "context", "source", "target", "location", "fatalities",
    "text", "status", "document_id",
)  # fmt: skip
NAME_SETS = ("current", "0.5")


@functools.cache
def _names(overrides: Overrides = ()) -> dict[str, Any]:
    data = loader.load("plover_names.yaml", overrides)
    try:
        return {
            "types": dict(data["event_types"]),
            "modes": {k: dict(v) for k, v in data["modes"].items()},
            "by_type": {k: list(v) for k, v in data["contexts"]["by_event_type"].items()},
            "by_sub": {k: list(v) for k, v in data["contexts"]["by_sub_event_type"].items()},
        }
    except (KeyError, TypeError, AttributeError) as e:
        raise ExportError(f"{data.source}: malformed: {e!r}") from e


def current_type_and_mode(
    plover_type: str, mode: str | None, overrides: Overrides = ()
) -> tuple[str, str | None]:
    """The current manual's event type and mode for a PLOVER 0.5 pair."""
    names = _names(overrides)
    event = names["types"].get(plover_type, plover_type)
    modes = names["modes"].get(event, {})
    if event != plover_type and plover_type in modes:
        return event, modes[plover_type]  # the old type is a mode now (DISAPPROVE -> ACCUSE)
    return event, modes.get(mode, mode) if mode else None


def contexts(event_type: str, sub_event_type: str | None, overrides: Overrides = ()) -> list[str]:
    """The PLOVER contexts an event's current type and ACLED sub-event type imply."""
    names = _names(overrides)
    found = [*names["by_type"].get(event_type, ()), *names["by_sub"].get(sub_event_type, ())]
    return list(dict.fromkeys(found))


def _entity(actor_id: str, actors: Mapping[str, Actor]) -> dict[str, Any]:
    actor = actors.get(actor_id)
    country = actor.country if actor else None
    return {
        "name": actor_name(actor_id, actors),
        "id": actor_id,
        "country": iso3(country) if country else None,
        "type": actor.kind if actor else "unknown",
    }


def _text(event: Event) -> str:
    return event.evidence[0].quote if event.evidence else event.trigger


def plover_record(
    event: Event,
    *,
    actors: Mapping[str, Actor],
    documents: Mapping[str, Document] | None = None,
    overrides: Overrides = (),
) -> dict[str, Any]:
    """One event as a record in the current PLOVER manual's fields."""
    location = event.location
    kind, mode = current_type_and_mode(event.plover_type, event.plover_mode, overrides)
    document = (documents or {}).get(event.document_id)
    side1 = [event.actor1, *event.assoc_actor_1] if event.actor1 else list(event.assoc_actor_1)
    side2 = [event.actor2, *event.assoc_actor_2] if event.actor2 else list(event.assoc_actor_2)
    return {
        "id": event.id,
        "event_date": iso(event.event_date),
        "story_date": iso(document.published) if document else None,
        "event": [kind],
        "mode": [mode] if mode else [],
        "context": contexts(kind, event.sub_event_type, overrides),
        "actor": [_entity(a, actors) for a in side1],
        "recipient": [_entity(a, actors) for a in side2],
        "event_loc": None
        if location is None
        else {
            "place_name": location.name,
            "country": iso3(location.country) if location.country else None,
            "admin1": location.admin1,
            "lat": finite(location.latitude),
            "lon": finite(location.longitude),
            "geonameid": location.geonameid,
        },
        "size": {"dead": event.fatalities},
        "event_text": _text(event),
        "status": event.status,
        "document_id": event.document_id,
    }


def plover_05_record(
    event: Event, *, actors: Mapping[str, Actor], overrides: Overrides = ()
) -> dict[str, Any]:
    """One event as a record in PLOVER 0.5's fields and names, as its gold files have them."""
    location = event.location

    def side(actor_id: str | None) -> list[dict[str, Any]]:
        return [{"actorText": actor_name(actor_id, actors), "code": actor_id}] if actor_id else []

    kind, _ = current_type_and_mode(event.plover_type, event.plover_mode, overrides)
    return {
        "id": event.id,
        "date": iso(event.event_date),
        "event": event.plover_type,
        "mode": event.plover_mode or "",
        "context": ", ".join(contexts(kind, event.sub_event_type, overrides)),
        "source": side(event.actor1),
        "target": side(event.actor2),
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
        "text": _text(event),
        "status": event.status,
        "document_id": event.document_id,
    }


def write_plover_jsonl(
    picture: Picture | PictureReader,
    out: TextIO,
    *,
    names: str = "current",
    overrides: Overrides = (),
) -> None:
    """Write one compact PLOVER JSON object a line, events ordered by id, a batch of events at
    a time; ``names`` "0.5" writes PLOVER 0.5's fields and names."""
    if names not in NAME_SETS:
        raise ExportError(f"names must be one of {', '.join(NAME_SETS)}, not {names!r}")
    reader = reader_of(picture)
    for batch in reader.events():
        actors = reader.actors_of(named_actors(batch))
        documents = reader.documents_of({e.document_id for e in batch})
        for event in batch:
            if names == "current":
                record = plover_record(
                    event, actors=actors, documents=documents, overrides=overrides
                )
            else:
                record = plover_05_record(event, actors=actors, overrides=overrides)
            out.write(json.dumps(record, ensure_ascii=False, allow_nan=False))
            out.write("\n")
