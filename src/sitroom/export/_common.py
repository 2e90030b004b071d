"""Helpers shared by the export formats: dates, locations, evidence, actor names as plain data."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from sitroom.records import Actor, Evidence, Location, Picture


def iso(date: dt.date | None) -> str | None:
    """ISO 8601 date (YYYY-MM-DD) or None."""
    return date.isoformat() if date is not None else None


def finite(value: float | None) -> float | None:
    """The number, or None where it is missing or not finite (JSON has no NaN)."""
    if value is None or not math.isfinite(value):
        return None
    return value


def location_to_dict(location: Location | None) -> dict[str, Any] | None:
    """A location as plain data (degrees), or None."""
    if location is None:
        return None
    return {
        "name": location.name,
        "geonameid": location.geonameid,
        "latitude": finite(location.latitude),
        "longitude": finite(location.longitude),
        "country": location.country,
        "admin1": location.admin1,
        "geo_precision": location.geo_precision,
        "inferred": location.inferred,
    }


def evidence_to_dict(evidence: Evidence) -> dict[str, Any]:
    """One evidence span (chars) as plain data."""
    return {
        "document_id": evidence.document_id,
        "start": evidence.start,
        "end": evidence.end,
        "quote": evidence.quote,
    }


def evidence_list(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    """Evidence spans in their recorded order; the first is the primary one."""
    return [evidence_to_dict(e) for e in evidence]


def date_key(date: dt.date | None) -> tuple[int, str]:
    """Sort key that puts undated records last."""
    return (1, "") if date is None else (0, date.isoformat())


def actors_by_id(picture: Picture) -> dict[str, Actor]:
    """The picture's actors keyed by id."""
    return {actor.id: actor for actor in picture.actors}


def actor_name(actor_id: str | None, actors: dict[str, Actor]) -> str | None:
    """An actor's display name; an id with no actor record stands for itself."""
    if actor_id is None:
        return None
    actor = actors.get(actor_id)
    return actor.name if actor is not None else actor_id


def unique(items: Iterable[str]) -> list[str]:
    """Items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))
