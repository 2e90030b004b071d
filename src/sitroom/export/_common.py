"""Helpers shared by the export formats: dates, locations, evidence, actor names as plain data."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

from sitroom.records import Actor, Event, Evidence, Location


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


def named_actors(events: Iterable[Event]) -> set[str]:
    """Every actor id the events name: both sides, their associates and who claims them."""
    return {
        a
        for e in events
        for a in (e.actor1, e.actor2, *e.assoc_actor_1, *e.assoc_actor_2, e.claimed_by)
        if a
    }


def actor_name(actor_id: str | None, actors: Mapping[str, Actor]) -> str | None:
    """An actor's display name; an id with no actor record stands for itself."""
    if actor_id is None:
        return None
    actor = actors.get(actor_id)
    return actor.name if actor is not None else actor_id


def indented(value: object, level: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it where it sits ``level`` levels deep in a
    larger document (its first line not indented: the caller places it)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    # Strings in JSON hold no raw newline, so every newline starts a line to indent.
    return text.replace("\n", "\n" + "  " * level)


def unique(items: Iterable[str]) -> list[str]:
    """Items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))
