"""Queries over the stored picture's tables (schema version 5): the rules version that built
it, reading it back, and the record loaders and lookups ``stored_picture`` updates it with."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sitroom.picture.codec import decode, decoder
from sitroom.picture.ledger import (
    RULES_VERSION,
    AllianceEdge,
    ControlTimeline,
    Ledger,
    MergedEvent,
)
from sitroom.picture.merge import VisitKey
from sitroom.picture.summary import EventSummary
from sitroom.records import Actor, ControlClaim, Document, Event, Relation
from sitroom.store import rows
from sitroom.store.backend import Connection, Row

RULES_KEY = "picture_rules"
VISIT_COLUMNS = "published, document_id, start, event_id"
VISIT = f"({VISIT_COLUMNS})"

# -- the rules version -----------------------------------------------------------------------


def rules_version(conn: Connection) -> str | None:
    """The rules version that built the stored picture; None where none was built."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (RULES_KEY,)).fetchone()
    return None if row is None else str(row[0])


# What ``picture_rules`` says while ``Store.rebuild`` streams the records through the update
# (committing a batch at a time): readers refuse the picture until it is done, saves in between
# update the part built so far (a picture of the reports it holds, as any order of arrival
# gives), and a rebuild that stopped half-way is resumed by the next ``sitroom rebuild``.
REBUILDING = f"rebuilding {RULES_VERSION}"


def is_current(conn: Connection) -> bool:
    """Whether the stored picture was built by this sitroom's rules (an empty store's is)."""
    if rules_version(conn) == RULES_VERSION:
        return True
    return conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None


def set_rules(conn: Connection, value: str = RULES_VERSION) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (RULES_KEY, value),
    )


def not_current(conn: Connection, name: str) -> str:
    """What a reader refusing the stored picture says (``is_current`` is False)."""
    built = rules_version(conn)
    if built == REBUILDING:
        why = "is being rebuilt (or a rebuild stopped before its end)"
    else:
        why = f"was built by other rules ({built or 'none: an older schema'})"
    return f"{name}: the stored picture {why}; run `sitroom rebuild --db {name}` to rebuild it"


# -- the picture's generation ------------------------------------------------------------------

# Raised by every change of the stored picture (each report's update, a rebuild), in the same
# transaction: an answer computed from the picture holds as long as the generation it was
# computed at (the server keeps its overviews so; sitroom.web.server).
GENERATION_KEY = "picture_generation"


def generation(conn: Connection) -> int:
    """The stored picture's generation (0 before any change)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
    return 0 if row is None else int(row[0])


def next_generation(conn: Connection) -> None:
    """Raise the generation (inside the transaction that changes the picture)."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (GENERATION_KEY, str(generation(conn) + 1)),
    )


# -- lazy lookups ----------------------------------------------------------------------------


V = TypeVar("V")


class _Lookup(Mapping[str, V]):
    """A table read one key at a time, as the rules ask for it (``table.key`` -> row)."""

    def __init__(
        self,
        conn: Connection,
        table: str,
        key: str,
        convert: Callable[[Row], V],
    ) -> None:
        self._conn = conn
        self._from = f"FROM {table}"
        self._key = key
        self._convert = convert
        self._cache: dict[str, V | None] = {}

    def __getitem__(self, key: str) -> V:
        if key not in self._cache:
            sql = f"SELECT * {self._from} WHERE {self._key} = ?"
            row = self._conn.execute(sql, (key,)).fetchone()
            self._cache[key] = None if row is None else self._convert(row)
        found = self._cache[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self._conn.execute(f"SELECT {self._key} {self._from}"))

    def __len__(self) -> int:
        return int(self._conn.execute(f"SELECT count(*) {self._from}").fetchone()[0])


def actors_lookup(conn: Connection) -> Mapping[str, Actor]:
    """Canonical actors by id."""
    return _Lookup(conn, "actors", "id", rows.actor_from_row)


def groups_lookup(conn: Connection) -> Mapping[str, str]:
    """Document id -> wire-copy group."""
    return _Lookup(conn, "picture_sources", "document_id", lambda r: str(r["group_id"]))


# -- reading ---------------------------------------------------------------------------------


def merged_events(
    conn: Connection, where: str = "", params: Sequence[object] = ()
) -> Iterator[MergedEvent]:
    """Stored merged events by date (undated last), then id, one at a time."""
    sql = "SELECT record FROM picture_events"
    if where:
        sql += f" WHERE {where}"
    for row in conn.execute(sql + " ORDER BY sort_key", params):
        yield decode(MergedEvent, row[0])


def control_timelines(conn: Connection) -> Iterator[ControlTimeline]:
    """Stored control timelines by place key."""
    for row in conn.execute("SELECT record FROM picture_control ORDER BY place_key"):
        yield decode(ControlTimeline, row[0])


def alliance_edges(conn: Connection) -> Iterator[AllianceEdge]:
    """Stored alliance edges by subject, predicate, object."""
    for row in conn.execute(
        "SELECT record FROM picture_alliances ORDER BY subject, predicate, object"
    ):
        yield decode(AllianceEdge, row[0])


# Quotes (and document ids) an alliance edge's stored listing keeps (picture_alliances.listing):
# what /api/relations sends of each edge unless asked for more.
LISTED_EVIDENCE = 3


def edge_listing(edge: AllianceEdge, evidence: int = LISTED_EVIDENCE) -> AllianceEdge:
    """The edge with its first ``evidence`` quotes and document ids only."""
    return replace(
        edge, document_ids=edge.document_ids[:evidence], evidence=edge.evidence[:evidence]
    )


def sort_key(event: MergedEvent) -> str:
    """The key merged events are listed in: by date, undated last, then id (an API cursor)."""
    day = event.event_date.isoformat() if event.event_date is not None else ""
    return f"{0 if day else 1}|{day}|{event.id}"


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EventPage(Generic[T]):
    """One page of merged events (or their summaries), the number matching in all, and the
    cursor after the page."""

    events: tuple[T, ...]
    total: int
    next: str | None  # pass as ``after`` for the next page; None after the last one


def find_events(
    conn: Connection,
    *,
    after: str | None = None,
    limit: int = 100,
    offset: int = 0,
    **filters: Any,
) -> EventPage[MergedEvent]:
    """Stored merged events passing every filter given (those of ``event_conditions``), as
    indexed queries; ``after`` is the ``next`` of the page before (keyset pagination)."""
    return _find(conn, "record", MergedEvent, after=after, limit=limit, offset=offset, **filters)


def find_summaries(
    conn: Connection,
    *,
    after: str | None = None,
    limit: int = 100,
    offset: int = 0,
    **filters: Any,
) -> EventPage[EventSummary]:
    """``find_events``'s page of the events' stored summaries (``picture_events.summary``):
    what a listing sends, without decoding the members and claims."""
    return _find(conn, "summary", EventSummary, after=after, limit=limit, offset=offset, **filters)


def find_items(
    conn: Connection,
    *,
    after: str | None = None,
    limit: int = 100,
    offset: int = 0,
    total: int | None = None,
    **filters: Any,
) -> EventPage[str]:
    """``find_events``'s page of the events' stored listing items (``picture_events.item``,
    JSON as the API sends it); ``total``: the number matching, if known (``count_events``)."""
    return _find(
        conn, "item", None, after=after, limit=limit, offset=offset, total=total, **filters
    )


def count_events(conn: Connection, **filters: Any) -> int:
    """How many stored merged events pass the filters."""
    where, params = event_conditions(**filters)
    return int(
        conn.execute(f"SELECT count(*) FROM picture_events WHERE {where}", params).fetchone()[0]
    )


def _find(
    conn: Connection,
    column: str,
    record_type: type[T] | None,
    /,
    *,
    after: str | None,
    limit: int,
    offset: int,
    total: int | None = None,
    **filters: Any,
) -> EventPage[T]:
    """A page of ``column`` (decoded as ``record_type``; None: the stored text as it is)."""
    where, params = event_conditions(**filters)
    count = count_events(conn, **filters) if total is None else total
    # Past the last match every page is empty; the bound keeps any offset within the database's
    # integers (an API client may send 2**70).
    offset = min(offset, count)
    if after is not None:
        where += " AND sort_key > ?"
        params.append(after)
    # The page's keys first, from the filter's index alone where it holds sort_key (every
    # filter's does); then only those rows are read. Sorting the matching rows themselves read
    # every match whole (a box holding thousands of events: 14.5 ms against 0.8 ms at 10,020
    # reports).
    keys, keys_params = _page_keys(filters, after, limit, offset)
    found = conn.execute(
        f"SELECT sort_key, {column} FROM picture_events WHERE sort_key IN ({keys}) "
        "ORDER BY sort_key",
        keys_params,
    ).fetchall()
    if record_type is None:
        events = tuple(r[1] for r in found)
    else:
        read = decoder(record_type)
        events = tuple(read(json.loads(r[1])) for r in found)
    more = (
        len(found) == limit
        and conn.execute(
            f"SELECT 1 FROM picture_events WHERE {where} AND sort_key > ? LIMIT 1",
            [*params, found[-1][0]],
        ).fetchone()
    )
    return EventPage(events, count, found[-1][0] if more else None)


# The columns a type filter (``kind``) matches, each indexed with sort_key.
KIND_COLUMNS = ("event_type", "sub_event_type", "plover_type")


def _page_keys(
    filters: Mapping[str, Any], after: str | None, limit: int, offset: int
) -> tuple[str, list[object]]:
    """The query of a page's sort keys (and its parameters). A type filter matches any of three
    columns: the page is the first keys of the union of each column's first keys, each read in
    order from that column's index, instead of sorting every match of the three (22,065 events
    of one type at 30,000 reports: 20-50 ms against under 5)."""
    kind = filters.get("kind")
    where, params = event_conditions(**{**filters, "kind": None})
    if after is not None:
        where += " AND sort_key > ?"
        params.append(after)
    if kind is None:
        sql = (
            f"SELECT sort_key FROM picture_events WHERE {where} ORDER BY sort_key LIMIT ? OFFSET ?"
        )
        return sql, [*params, limit, offset]
    parts = [
        f"SELECT sort_key FROM (SELECT sort_key FROM picture_events WHERE {column} = ? AND "
        f"{where} ORDER BY sort_key LIMIT ?) AS by_{column}"
        for column in KIND_COLUMNS
    ]
    sql = " UNION ".join(parts) + " ORDER BY sort_key LIMIT ? OFFSET ?"
    per_part = [kind, *params, limit + offset]
    return sql, [*per_part * len(KIND_COLUMNS), limit, offset]


EVERY_EVENT = "1 = 1"  # the condition of ``event_conditions`` with no filter set


def add_dates(
    where: list[str], params: list[object], start: dt.date | None, end: dt.date | None
) -> None:
    """Conditions on ``event_date`` from ``start`` to ``end`` (inclusive; None: open)."""
    if start is not None:
        where.append("event_date >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("event_date <= ?")
        params.append(end.isoformat())


def event_conditions(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    kind: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    status: str | None = None,
    verdict: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> tuple[str, list[object]]:
    """The WHERE condition on ``picture_events`` (and its parameters) for the filters given;
    "1 = 1" where none is set. ``kind`` matches the ACLED type, sub-event type or PLOVER type;
    ``actor`` any actor a source names; ``bbox`` is (west, south, east, north) in degrees (west >
    east: across the antimeridian)."""
    where: list[str] = []
    params: list[object] = []
    for column, value in (("status", status), ("verdict", verdict), ("country", country)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    add_dates(where, params, start, end)
    if kind is not None:
        where.append("(" + " OR ".join(f"{c} = ?" for c in KIND_COLUMNS) + ")")
        params += [kind] * len(KIND_COLUMNS)
    if actor is not None:
        where.append("id IN (SELECT merged_id FROM picture_event_actors WHERE actor_id = ?)")
        params.append(actor)
    if bbox is not None:
        rows.add_bbox(where, params, bbox)
    return " AND ".join(where) or EVERY_EVENT, params


def merged_event(conn: Connection, merged_id: str) -> MergedEvent | None:
    """The stored merged event with this id, or None."""
    row = conn.execute("SELECT record FROM picture_events WHERE id = ?", (merged_id,)).fetchone()
    return None if row is None else decode(MergedEvent, row[0])


def source_groups(conn: Connection) -> dict[str, str]:
    """Document id -> wire-copy group id."""
    return dict(conn.execute("SELECT document_id, group_id FROM picture_sources").fetchall())


def stored_ledger(conn: Connection) -> Ledger:
    """The stored picture as a Ledger (held in memory whole)."""
    return Ledger(
        events=tuple(merged_events(conn)),
        control=tuple(control_timelines(conn)),
        alliances=tuple(alliance_edges(conn)),
        source_groups=source_groups(conn),
    )


# -- helpers -----------------------------------------------------------------------------------


def visit_of_row(row: Sequence[object]) -> VisitKey:
    published, document_id, start, event_id = row
    return (dt.date.fromisoformat(str(published)), str(document_id), int(str(start)), str(event_id))


def member_visits(conn: Connection, merged_id: str) -> dict[str, VisitKey]:
    """Event id -> visiting position, for the stored members of a merged event: one indexed
    read of its member rows, where asking each member's document for its publication date
    would be a read a member (pages scattered over the documents of years)."""
    return {
        str(r[3]): visit_of_row(r)
        for r in conn.execute(
            f"SELECT {VISIT_COLUMNS} FROM picture_members WHERE merged_id = ?", (merged_id,)
        )
    }


def visit_row(key: VisitKey) -> tuple[str, str, int, str]:
    return (key[0].isoformat(), key[1], key[2], key[3])


def in_chunks(conn: Connection, sql: str, values: Iterable[object], *, close: str = "") -> Rows:
    """Run ``sql (?, ...)`` over the values in chunks; the rows of all chunks."""
    items = sorted(set(values), key=repr)
    found: list[Row] = []
    for i in range(0, len(items), rows.CHUNK):
        batch = items[i : i + rows.CHUNK]
        marks = ", ".join("?" for _ in batch)
        found += conn.execute(f"{sql} ({marks}){close}", batch).fetchall()
    return Rows(found)


class Rows(list[Row]):
    """Rows, with ``fetchall`` like a cursor's."""

    def fetchall(self) -> list[Row]:
        return list(self)


def document(conn: Connection, document_id: str) -> Document | None:
    row = conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
    return None if row is None else rows.document_from_row(row)


def published_of(conn: Connection, document_id: str) -> dt.date | None:
    row = conn.execute("SELECT published FROM documents WHERE id = ?", (document_id,)).fetchone()
    return None if row is None else rows.from_iso(row[0])


def events_where(conn: Connection, sql: str, params: Sequence[object]) -> list[Event]:
    found = conn.execute(sql, params).fetchall()
    evidence = rows.evidence_for(conn, "event_id", [r["id"] for r in found])
    return [rows.event_from_row(r, evidence.get(r["id"], ())) for r in found]


def events_by_id(conn: Connection, ids: Sequence[str]) -> list[Event]:
    found = in_chunks(conn, "SELECT * FROM events WHERE id IN", ids)
    evidence = rows.evidence_for(conn, "event_id", [r["id"] for r in found])
    return [rows.event_from_row(r, evidence.get(r["id"], ())) for r in found]


def control_claims(
    conn: Connection,
    where: str | None,
    params: Sequence[object] = (),
    *,
    ids: Sequence[int] | None = None,
) -> list[tuple[int, ControlClaim]]:
    if ids is not None:
        found = list(in_chunks(conn, "SELECT * FROM control WHERE id IN", ids))
    else:
        sql = "SELECT * FROM control" + (f" WHERE {where}" if where else "")
        found = conn.execute(sql, params).fetchall()
    evidence = rows.evidence_for(conn, "control_id", [r["id"] for r in found])
    return [(r["id"], rows.control_from_row(r, evidence.get(r["id"], ()))) for r in found]


def control_document(conn: Connection, control_id: int) -> str:
    row = conn.execute("SELECT document_id FROM control WHERE id = ?", (control_id,)).fetchone()
    return "" if row is None else str(row[0])


def relations_where(
    conn: Connection, where: str | None, params: Sequence[object] = ()
) -> list[tuple[str, Relation]]:
    sql = "SELECT * FROM relations" + (f" WHERE {where}" if where else "")
    found = conn.execute(sql, params).fetchall()
    evidence = rows.evidence_for(conn, "relation_id", [r["id"] for r in found])
    return [(r["document_id"], rows.relation_from_row(r, evidence.get(r["id"], ()))) for r in found]
