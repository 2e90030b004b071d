"""Conversions between sitroom records and SQLite rows: dates as ISO text, tuples as JSON text."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence

from sitroom.errors import StoreError
from sitroom.records import (
    Actor,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
    Mention,
    Place,
    Relation,
)
from sitroom.store.backend import Connection, Row

DOCUMENT_COLUMNS = ("id", "ref", "text", "title", "source", "url", "published", "main_event")
MENTION_COLUMNS = (
    "document_id", "seq", "start", '"end"', "text", "kind", "actor_id", "value",
    "place_name", "place_geonameid", "place_latitude", "place_longitude", "place_country",
    "place_admin1", "place_feature", "place_population",
)  # fmt: skip
ACTOR_COLUMNS = ("name", "aliases", "kind", "country", "parent")
_LOCATION_COLUMNS = (
    "location_name", "geonameid", "latitude", "longitude", "country", "admin1", "geo_precision",
    "location_inferred",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "document_id", "seq", "status", "event_date", "date_precision", "event_type",
    "sub_event_type", "plover_type", "plover_mode", "actor1", "actor2", "assoc_actor_1",
    "assoc_actor_2", *_LOCATION_COLUMNS, "fatalities", "fatalities_text", "trigger",
    "claimed_by", "notes",
)  # fmt: skip
RELATION_COLUMNS = ("document_id", "seq", "subject", "predicate", "object", "date")
CONTROL_COLUMNS = (
    "document_id", "seq", *_LOCATION_COLUMNS, "controller", "status", "date", "date_precision",
)  # fmt: skip
# Bound parameters per IN (...) list, well under SQLite's limit.
CHUNK = 500
EVIDENCE_COLUMNS = ("seq", "document_id", "start", '"end"', "quote", '"trigger"')


def add_bbox(
    where: list[str], params: list[object], bbox: tuple[float, float, float, float]
) -> None:
    """Conditions on ``latitude`` and ``longitude`` columns for a box (west, south, east, north)
    in degrees; west > east is a box across the antimeridian."""
    west, south, east, north = bbox
    where.append("latitude BETWEEN ? AND ?")
    params += [south, north]
    if west <= east:
        where.append("longitude BETWEEN ? AND ?")
        params += [west, east]
    else:
        where.append("(longitude >= ? OR longitude <= ?)")
        params += [west, east]


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """An INSERT statement with one placeholder per column."""
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def iso(value: dt.date | None) -> str | None:
    """A date as ISO text (a datetime keeps only its date)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def from_iso(value: str | None) -> dt.date | None:
    """ISO text back to a date."""
    return None if value is None else dt.date.fromisoformat(value)


def to_json(values: Sequence[str]) -> str:
    """A tuple of strings as JSON text."""
    return json.dumps(list(values), ensure_ascii=False)


def from_json(text: str) -> tuple[str, ...]:
    """JSON text back to a tuple of strings."""
    return tuple(json.loads(text))


def document_row(document: Document, main_event: str | None) -> tuple[object, ...]:
    """Values for DOCUMENT_COLUMNS."""
    d = document
    return (d.id, d.ref, d.text, d.title, d.source, d.url, iso(d.published), main_event)


def document_from_row(row: Row) -> Document:
    """A Document from a documents row."""
    return Document(
        id=row["id"],
        ref=row["ref"],
        text=row["text"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
        published=from_iso(row["published"]),
    )


def mention_row(mention: Mention, seq: int) -> tuple[object, ...]:
    """Values for MENTION_COLUMNS."""
    m, p = mention, mention.place
    place: tuple[object, ...] = (None,) * 8
    if p is not None:
        place = (
            p.name, p.geonameid, p.latitude, p.longitude, p.country, p.admin1, p.feature,
            p.population,
        )  # fmt: skip
    return (m.document_id, seq, m.start, m.end, m.text, m.kind, m.actor_id, m.value, *place)


def mention_from_row(row: Row) -> Mention:
    """A Mention from a mentions row."""
    place = None
    if row["place_name"] is not None:
        place = Place(
            geonameid=row["place_geonameid"],
            name=row["place_name"],
            latitude=row["place_latitude"],
            longitude=row["place_longitude"],
            country=row["place_country"],
            admin1=row["place_admin1"],
            feature=row["place_feature"],
            population=row["place_population"],
        )
    return Mention(
        document_id=row["document_id"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        kind=row["kind"],
        actor_id=row["actor_id"],
        place=place,
        value=row["value"],
    )


def actor_row(actor: Actor) -> tuple[object, ...]:
    """Values for ACTOR_COLUMNS."""
    a = actor
    return (a.name, to_json(a.aliases), a.kind, a.country, a.parent)


def actor_from_row(row: Row, *, actor_id: str | None = None) -> Actor:
    """An Actor from an actors or document_actors row."""
    return Actor(
        id=actor_id if actor_id is not None else row["id"],
        name=row["name"],
        aliases=from_json(row["aliases"]),
        kind=row["kind"],
        country=row["country"],
        parent=row["parent"],
    )


def canonical_actor(versions: Sequence[Actor]) -> Actor:
    """One actor from the versions documents give of it, ordered by document id.

    The first version wins, so the result does not depend on the order reports were saved in;
    aliases only the later versions know are appended, in order, so none is lost.
    """
    first = versions[0]
    aliases = list(first.aliases)
    seen = set(aliases)
    for version in versions[1:]:
        for alias in version.aliases:
            if alias not in seen:
                seen.add(alias)
                aliases.append(alias)
    return Actor(first.id, first.name, tuple(aliases), first.kind, first.country, first.parent)


def _location_values(location: Location | None) -> tuple[object, ...]:
    if location is None:
        return (None,) * len(_LOCATION_COLUMNS)
    loc = location
    return (
        loc.name, loc.geonameid, loc.latitude, loc.longitude, loc.country, loc.admin1,
        loc.geo_precision, int(loc.inferred),
    )  # fmt: skip


def _location_from_row(row: Row) -> Location | None:
    if row["location_name"] is None:
        return None
    return Location(
        name=row["location_name"],
        geonameid=row["geonameid"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        country=row["country"],
        admin1=row["admin1"],
        geo_precision=row["geo_precision"],
        inferred=bool(row["location_inferred"]),
    )


def event_row(event: Event, seq: int) -> tuple[object, ...]:
    """Values for EVENT_COLUMNS."""
    e = event
    return (
        e.id, e.document_id, seq, e.status, iso(e.event_date), e.date_precision, e.event_type,
        e.sub_event_type, e.plover_type, e.plover_mode, e.actor1, e.actor2,
        to_json(e.assoc_actor_1), to_json(e.assoc_actor_2), *_location_values(e.location),
        e.fatalities, e.fatalities_text, e.trigger, e.claimed_by, e.notes,
    )  # fmt: skip


def event_actor_rows(event: Event) -> set[tuple[str, str, str]]:
    """(event id, actor id, role) for every actor the event names; duplicates collapse."""
    named = (("actor1", event.actor1), ("actor2", event.actor2))
    rows = {(event.id, a, role) for role, a in named if a is not None}
    rows.update((event.id, a, "assoc1") for a in event.assoc_actor_1)
    rows.update((event.id, a, "assoc2") for a in event.assoc_actor_2)
    return rows


def event_from_row(row: Row, evidence: tuple[Evidence, ...]) -> Event:
    """An Event from an events row and its evidence."""
    return Event(
        id=row["id"],
        document_id=row["document_id"],
        status=row["status"],
        event_date=from_iso(row["event_date"]),
        date_precision=row["date_precision"],
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        plover_type=row["plover_type"],
        plover_mode=row["plover_mode"],
        actor1=row["actor1"],
        actor2=row["actor2"],
        assoc_actor_1=from_json(row["assoc_actor_1"]),
        assoc_actor_2=from_json(row["assoc_actor_2"]),
        location=_location_from_row(row),
        fatalities=row["fatalities"],
        fatalities_text=row["fatalities_text"],
        trigger=row["trigger"],
        claimed_by=row["claimed_by"],
        evidence=evidence,
        notes=row["notes"],
    )


def relation_row(relation: Relation, document_id: str, seq: int) -> tuple[object, ...]:
    """Values for RELATION_COLUMNS."""
    r = relation
    return (document_id, seq, r.subject, r.predicate, r.object, iso(r.date))


def relation_from_row(row: Row, evidence: tuple[Evidence, ...]) -> Relation:
    """A Relation from a relations row and its evidence."""
    return Relation(
        subject=row["subject"],
        predicate=row["predicate"],
        object=row["object"],
        date=from_iso(row["date"]),
        evidence=evidence,
    )


def control_row(claim: ControlClaim, document_id: str, seq: int) -> tuple[object, ...]:
    """Values for CONTROL_COLUMNS."""
    c = claim
    return (
        document_id, seq, *_location_values(c.place), c.controller, c.status, iso(c.date),
        c.date_precision,
    )  # fmt: skip


def control_from_row(row: Row, evidence: tuple[Evidence, ...]) -> ControlClaim:
    """A ControlClaim from a control row and its evidence."""
    place = _location_from_row(row)
    if place is None:  # location_name is NOT NULL in the schema, so only corruption gets here
        raise StoreError(f"control row {row['id']} has no place")
    return ControlClaim(
        place=place,
        controller=row["controller"],
        status=row["status"],
        date=from_iso(row["date"]),
        date_precision=row["date_precision"],
        evidence=evidence,
    )


def evidence_row(evidence: Evidence, seq: int) -> tuple[object, ...]:
    """Values for EVIDENCE_COLUMNS (the owner column is added by the caller)."""
    ev = evidence
    return (seq, ev.document_id, ev.start, ev.end, ev.quote, ev.trigger)


def evidence_from_row(row: Row) -> Evidence:
    """An Evidence from an evidence row."""
    return Evidence(
        document_id=row["document_id"],
        start=row["start"],
        end=row["end"],
        quote=row["quote"],
        trigger=row["trigger"],
    )


def evidence_for(
    conn: Connection, owner: str, owner_ids: Sequence[object] | None
) -> dict[object, tuple[Evidence, ...]]:
    """Evidence grouped by owner id, in stored order; all owners of that kind when ids is None."""
    found: dict[object, list[Evidence]] = defaultdict(list)
    if owner_ids is None:
        batches: list[Sequence[object] | None] = [None]
    else:
        batches = [owner_ids[i : i + CHUNK] for i in range(0, len(owner_ids), CHUNK)]
    for batch in batches:
        if batch is None:
            sql, params = f"SELECT * FROM evidence WHERE {owner} IS NOT NULL", []
        else:
            marks = ", ".join("?" for _ in batch)
            sql, params = f"SELECT * FROM evidence WHERE {owner} IN ({marks})", list(batch)
        for row in conn.execute(sql + f" ORDER BY {owner}, seq", params):
            found[row[owner]].append(evidence_from_row(row))
    return {key: tuple(value) for key, value in found.items()}
