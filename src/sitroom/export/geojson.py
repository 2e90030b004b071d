"""The ``geojson`` export: events that have coordinates as an RFC 7946 FeatureCollection.

Points are ``[longitude, latitude]`` in WGS84 degrees. Events without coordinates (or with
coordinates out of range) are left out; control claims are not exported here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

from sitroom.export._common import actor_name, finite, indented, iso, named_actors, unique
from sitroom.export.source import PictureReader, reader_of
from sitroom.records import Actor, Event, Picture

log = logging.getLogger(__name__)


def event_feature(event: Event, *, actors: Mapping[str, Actor]) -> dict[str, Any] | None:
    """One event as a GeoJSON Point feature, or None where it has no usable coordinates."""
    location = event.location
    if location is None:
        return None
    lat, lon = finite(location.latitude), finite(location.longitude)
    if lat is None or lon is None:
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        log.warning("event %s: coordinates (%s, %s) out of range, left out", event.id, lat, lon)
        return None
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "id": event.id,
            "event_date": iso(event.event_date),
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "plover_type": event.plover_type,
            "status": event.status,
            "actor1": actor_name(event.actor1, actors),
            "actor2": actor_name(event.actor2, actors),
            "fatalities": event.fatalities,
            "location": location.name,
            "country": location.country,
            "geo_precision": location.geo_precision,
            "location_inferred": location.inferred,
            "document_ids": unique([event.document_id, *(e.document_id for e in event.evidence)]),
        },
    }


def _features(reader: PictureReader) -> Iterator[dict[str, Any]]:
    for batch in reader.events():
        actors = reader.actors_of(named_actors(batch))
        for event in batch:
            feature = event_feature(event, actors=actors)
            if feature is not None:
                yield feature


def picture_to_geojson(picture: Picture | PictureReader) -> dict[str, Any]:
    """The picture's located events as a FeatureCollection (plain data), ordered by id."""
    return {"type": "FeatureCollection", "features": list(_features(reader_of(picture)))}


def write_geojson(picture: Picture | PictureReader, out: TextIO) -> None:
    """Write the located events as an indented GeoJSON FeatureCollection, one feature at a
    time (the text of ``json.dump(picture_to_geojson(picture), indent=2)``)."""
    out.write('{\n  "type": "FeatureCollection",\n  "features": [')
    empty = True
    for feature in _features(reader_of(picture)):
        out.write(("\n    " if empty else ",\n    ") + indented(feature, 2))
        empty = False
    out.write("]\n}\n" if empty else "\n  ]\n}\n")
