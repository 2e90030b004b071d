"""Helpers shared by the export formats: dates, locations, evidence, actor names as plain data."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from json.encoder import encode_basestring
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
    """``value`` as ``json.dumps(indent=2, ensure_ascii=False, allow_nan=False)`` writes it
    where it sits ``level`` levels deep in a larger document (its first line not indented: the
    caller places it). The same text, written without the standard library's pure-Python
    indenting encoder (the exports' slowest step): JSON-ready plain data only."""
    parts: list[str] = []
    _write_indented(value, "  " * level, parts)
    return "".join(parts)


def _write_indented(value: object, indent: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        parts.append(float.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = indent + "  "
        opening = "{\n" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"keys must be str here, not {type(key).__name__}")
            parts.append(opening + encode_basestring(key) + ": ")
            _write_indented(item, inner, parts)
            opening = ",\n" + inner
        parts.append("\n" + indent + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = indent + "  "
        opening = "[\n" + inner
        for item in value:
            parts.append(opening)
            _write_indented(item, inner, parts)
            opening = ",\n" + inner
        parts.append("\n" + indent + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def unique(items: Iterable[str]) -> list[str]:
    """Items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))
