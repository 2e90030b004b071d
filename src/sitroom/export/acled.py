"""The ``acled-csv`` export: one row per event in ACLED's public column layout.

Rows are the events that carry an ACLED ``event_type`` and are not ``background``; PLOVER-only
events (a diplomatic request, say) have no ACLED row. Claimed, denied and planned events are kept
and marked in ``tags``. Unknown fatalities are written as 0, as ACLED does. ``event_id_cnty`` is
sitroom's own event id (so rows join the JSON export); ``admin2``, ``admin3``, ``source_scale``
and ``timestamp`` are left empty because sitroom does not know them.
"""

from __future__ import annotations

import csv
import functools
import logging
from typing import Any, TextIO

from sitroom.export._common import actor_name, actors_by_id, date_key, unique
from sitroom.records import Actor, Document, Event, Picture

log = logging.getLogger(__name__)

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip

# ACLED's codebook: 1 day, 2 week, 3 month or coarser.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3, "unknown": 3}

# ACLED's disorder type follows the sub-event type where the event type alone is ambiguous.
DISORDER_BY_SUB_EVENT = {
    "Excessive force against protesters": "Political violence; Demonstrations",
    "Peaceful protest": "Demonstrations",
    "Protest with intervention": "Demonstrations",
    "Violent demonstration": "Demonstrations",
    "Mob violence": "Political violence",
}
DISORDER_BY_EVENT = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence",
    "Strategic developments": "Strategic developments",
}

# sitroom actor kind -> ACLED inter code (1 state forces ... 8 external/other forces).
INTER_BY_KIND = {
    "state": 1,
    "state_forces": 1,
    "armed_group": 2,
    "militia": 3,
    "civilians": 7,
    "political": 8,
    "person": 8,
    "organisation": 8,
    "unknown": 8,
}
EXTERNAL_FORCES = 8
CIVILIANS = 7

# UN subregion (as countrystatecity names it) -> ACLED region; a few countries sit elsewhere.
ACLED_REGION_BY_SUBREGION = {
    "Eastern Africa": "Eastern Africa",
    "Middle Africa": "Middle Africa",
    "Northern Africa": "Northern Africa",
    "Southern Africa": "Southern Africa",
    "Western Africa": "Western Africa",
    "Caribbean": "Caribbean",
    "Central America": "Central America",
    "Northern America": "North America",
    "South America": "South America",
    "Central Asia": "Caucasus and Central Asia",
    "Eastern Asia": "East Asia",
    "South-Eastern Asia": "Southeast Asia",
    "Southern Asia": "South Asia",
    "Western Asia": "Middle East",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}
ACLED_REGION_BY_COUNTRY = {
    "AM": "Caucasus and Central Asia",
    "AZ": "Caucasus and Central Asia",
    "GE": "Caucasus and Central Asia",
    "IR": "Middle East",
    "MX": "Central America",
    "AQ": "Antarctica",
}


@functools.lru_cache(maxsize=512)
def country_info(iso2: str) -> tuple[str, int | None, str]:
    """(name, ISO 3166-1 numeric code, ACLED region) of an alpha-2 code; unknown codes echo back."""
    code = iso2.strip().upper()
    # Imported here: the country list is loaded lazily and only the CSV export needs it.
    import countrystatecity_countries as csc

    country = csc.get_country_by_code(code)
    if country is None:
        log.warning("unknown country code %r in ACLED export", iso2)
        return code, None, ""
    try:
        numeric: int | None = int(country.numeric_code)
    except (TypeError, ValueError):
        numeric = None
    region = ACLED_REGION_BY_COUNTRY.get(code) or ACLED_REGION_BY_SUBREGION.get(
        country.subregion or "", ""
    )
    return country.name, numeric, region


def disorder_type(event_type: str, sub_event_type: str | None) -> str:
    """ACLED's disorder type for an event and sub-event type ('' when unknown)."""
    if sub_event_type in DISORDER_BY_SUB_EVENT:
        return DISORDER_BY_SUB_EVENT[sub_event_type]
    return DISORDER_BY_EVENT.get(event_type, "")


def inter_code(actor: Actor | None, event_country: str | None) -> int | None:
    """ACLED inter code; a state's forces acting outside their country count as external (8)."""
    if actor is None:
        return None
    code = INTER_BY_KIND.get(actor.kind, EXTERNAL_FORCES)
    foreign = actor.country and event_country and actor.country.upper() != event_country.upper()
    if code == 1 and foreign:
        return EXTERNAL_FORCES
    return code


def interaction_code(inter1: int | None, inter2: int | None) -> str:
    """ACLED interaction: both inter codes, lower first; a sole actor pairs with 0."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return ""
    if len(codes) == 1:
        return f"{codes[0]}0"
    return f"{codes[0]}{codes[1]}"


def is_acled_row(event: Event) -> bool:
    """Whether an event becomes an ACLED row: it has an ACLED type and is not background."""
    return event.event_type is not None and event.status != "background"


def _actor(actor_id: str | None, actors: dict[str, Actor]) -> Actor | None:
    if actor_id is None:
        return None
    # An id without a record still gets a column value; its kind is unknown.
    return actors.get(actor_id) or Actor(id=actor_id, name=actor_id)


def _tags(event: Event, actors: dict[str, Actor]) -> str:
    tags = []
    if event.status != "reported":
        tags.append(f"status={event.status}")
    if event.claimed_by:
        tags.append(f"claimed by={actor_name(event.claimed_by, actors)}")
    return "; ".join(tags)


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def _coordinate(value: float | None) -> str:
    # ACLED publishes four decimals (about 11 m).
    return "" if value is None else f"{value:.4f}"


def acled_row(
    event: Event, *, actors: dict[str, Actor], documents: dict[str, Document]
) -> dict[str, Any]:
    """One ACLED row for an event, given the picture's actors and documents keyed by id."""
    event_type = event.event_type or ""
    location = event.location
    country = location.country if location else None
    a1, a2 = _actor(event.actor1, actors), _actor(event.actor2, actors)
    inter1, inter2 = inter_code(a1, country), inter_code(a2, country)
    name, numeric, region = country_info(country) if country else ("", None, "")
    doc_ids = unique([event.document_id, *(e.document_id for e in event.evidence)])
    sources = unique(
        (documents[d].source or documents[d].ref) if d in documents else d for d in doc_ids
    )
    civilian = inter2 == CIVILIANS or event_type == "Violence against civilians"
    notes = event.notes or (event.evidence[0].quote if event.evidence else "")
    date = event.event_date
    return {
        "event_id_cnty": event.id,
        "event_date": date.isoformat() if date else "",
        "year": date.year if date else "",
        "time_precision": TIME_PRECISION.get(event.date_precision, 3) if date else "",
        "disorder_type": disorder_type(event_type, event.sub_event_type),
        "event_type": event_type,
        "sub_event_type": event.sub_event_type or "",
        "actor1": a1.name if a1 else "",
        "assoc_actor_1": "; ".join(actor_name(a, actors) or a for a in event.assoc_actor_1),
        "inter1": _blank(inter1),
        "actor2": a2.name if a2 else "",
        "assoc_actor_2": "; ".join(actor_name(a, actors) or a for a in event.assoc_actor_2),
        "inter2": _blank(inter2),
        "interaction": interaction_code(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": _blank(numeric),
        "region": region,
        "country": name,
        "admin1": (location.admin1 or "") if location else "",
        "admin2": "",
        "admin3": "",
        "location": location.name if location else "",
        "latitude": _coordinate(location.latitude if location else None),
        "longitude": _coordinate(location.longitude if location else None),
        "geo_precision": _blank(location.geo_precision if location else None),
        "source": "; ".join(sources),
        "source_scale": "",
        "notes": " ".join(notes.split()),
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": _tags(event, actors),
        "timestamp": "",
    }


def write_acled_csv(picture: Picture, out: TextIO) -> None:
    """Write ACLED-layout CSV rows, ordered by event date (undated last), then id."""
    actors = actors_by_id(picture)
    documents = {d.id: d for d in picture.documents}
    events = sorted(
        (e for e in picture.events if is_acled_row(e)),
        key=lambda e: (date_key(e.event_date), e.id),
    )
    # "\n" line ends: the caller's text stream decides the platform's own.
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        row = acled_row(event, actors=actors, documents=documents)
        writer.writerow({column: neutralise_cell(column, value) for column, value in row.items()})


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns sitroom fills with numbers it formats itself; a negative degree stays a number.
_NUMBER_COLUMNS = frozenset({"latitude", "longitude"})


def neutralise_cell(column: str, value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: text starting like one gets a ``'``.

    Numbers are kept as they are: ints, and in ``_NUMBER_COLUMNS`` text that reads as a number
    (``-33.8688``), so coordinates in the southern and western hemispheres stay numeric.
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if column in _NUMBER_COLUMNS and _is_number(value):
        return value
    return "'" + value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text
