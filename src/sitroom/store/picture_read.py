"""Reading the stored records and picture a bounded batch at a time, for the exports and the
report: every listing is a run of keyset queries (``(k1, k2) > (?, ?) ORDER BY k1, k2 LIMIT n``
on unique, non-null keys), so a reader holds one batch of rows however large the database is.

Plain SQL (row values, ``?`` placeholders) that SQLite and PostgreSQL both take. Text keys are
ordered as the database compares them: byte order under SQLite's default collation, which is
Python's order of ``str`` (UTF-8 keeps the order of code points); a PostgreSQL database must use
the "C" collation for the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sitroom.errors import StoreError
from sitroom.export.source import RecordCounts
from sitroom.picture.codec import decode
from sitroom.picture.ledger import AllianceEdge, ControlTimeline, MergedEvent
from sitroom.picture.summary import EventSummary
from sitroom.records import Actor, ControlClaim, Document, Event, Mention, Relation
from sitroom.store import rows
from sitroom.store.backend import Connection, Row
from sitroom.store.picture_queries import (
    EVERY_EVENT,
    LISTED_EVIDENCE,
    EventPage,
    add_dates,
    count_events,
    edge_listing,
    event_conditions,
    find_events,
    find_items,
    find_summaries,
    generation,
    in_chunks,
    is_current,
    merged_event,
    not_current,
)

if TYPE_CHECKING:
    from sitroom.store import Store

# Rows fetched per keyset query.
BATCH = 500
# A document's columns but its text, for listings (a Document with empty text).
_LISTED = "id, ref, '' AS text, title, source, url, published, main_event"

T = TypeVar("T")
K = TypeVar("K")


def keyset(
    conn: Connection,
    table: str,
    keys: Sequence[str],
    *,
    columns: str = "*",
    where: str = "",
    params: Sequence[object] = (),
    size: int = BATCH,
) -> Iterator[list[Row]]:
    """The rows of ``table`` passing ``where``, ordered by ``keys`` (unique and never null
    together), ``size`` rows a batch: each batch is one query starting after the last key."""
    order = ", ".join(keys)
    after = f"({order}) > ({', '.join('?' for _ in keys)})"
    last: tuple[object, ...] | None = None
    while True:
        conditions = [c for c in (where, after if last is not None else "") if c]
        sql = f"SELECT {columns} FROM {table}"
        if conditions:
            sql += " WHERE " + " AND ".join(f"({c})" for c in conditions)
        sql += f" ORDER BY {order} LIMIT ?"
        found = conn.execute(sql, [*params, *(last or ()), size]).fetchall()
        if found:
            yield found
        if len(found) < size:
            return
        last = tuple(found[-1][k.strip('"')] for k in keys)


def runs(items: Iterator[list[T]], key: Callable[[T], K]) -> Iterator[list[T]]:
    """Batches of items ordered by ``key`` regrouped into runs of equal keys (a run may span
    batches; only one run is held)."""
    run: list[T] = []
    for batch in items:
        for item in batch:
            if run and key(run[-1]) != key(item):
                yield run
                run = []
            run.append(item)
    if run:
        yield run


@dataclass(frozen=True, slots=True)
class ListedEdge:
    """An alliance edge with its first quotes and document ids only, and how many it has."""

    edge: AllianceEdge
    documents_total: int
    evidence_total: int


class StoredReader:
    """The stored records and picture of one read transaction, read in bounded batches.

    The listings come in batches (lists) in the order each method names; lookups by id read
    only the rows asked for.
    """

    def __init__(self, conn: Connection, *, size: int = BATCH) -> None:
        self._conn = conn
        self._size = size

    # -- per-report records ----------------------------------------------------------------

    def documents(self) -> Iterator[list[tuple[Document, str | None]]]:
        """Documents with their main event's id, by id."""
        for batch in keyset(self._conn, "documents", ("id",), size=self._size):
            yield [(rows.document_from_row(r), r["main_event"]) for r in batch]

    def actors(self) -> Iterator[list[Actor]]:
        """Canonical actors by id."""
        for batch in keyset(self._conn, "actors", ("id",), size=self._size):
            yield [rows.actor_from_row(r) for r in batch]

    def mention_runs(self) -> Iterator[list[Mention]]:
        """Each document's mentions (in the order saved), documents by id."""
        batches = keyset(self._conn, "mentions", ("document_id", "id"), size=self._size)
        for run in runs(batches, lambda r: r["document_id"]):
            yield [rows.mention_from_row(r) for r in run]

    def events(self, *, by_date: bool = False) -> Iterator[list[Event]]:
        """Events by id; ``by_date``: by date (undated last), then id."""
        if not by_date:
            yield from self._events(keys=("id",))
            return
        yield from self._events(keys=("event_date", "id"), where="event_date IS NOT NULL")
        yield from self._events(keys=("id",), where="event_date IS NULL")

    def _events(self, *, keys: Sequence[str], where: str = "") -> Iterator[list[Event]]:
        for batch in keyset(self._conn, "events", keys, where=where, size=self._size):
            evidence = rows.evidence_for(self._conn, "event_id", [r["id"] for r in batch])
            yield [rows.event_from_row(r, evidence.get(r["id"], ())) for r in batch]

    def record_counts(self) -> RecordCounts:
        """``count_records`` of the stored documents and events, as aggregate queries."""
        documents = self._conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        current = "status != 'background'"
        events, background, killed, first, last = self._conn.execute(
            "SELECT count(*), "
            "coalesce(sum(CASE WHEN status = 'background' THEN 1 ELSE 0 END), 0), "
            f"coalesce(sum(CASE WHEN {current} AND event_type != '' THEN fatalities END), 0), "
            f"min(CASE WHEN {current} THEN event_date END), "
            f"max(CASE WHEN {current} THEN event_date END) FROM events"
        ).fetchone()
        actors = self._conn.execute(
            "SELECT DISTINCT actor_id FROM event_actors WHERE actor_id != ''"
        ).fetchall()
        return RecordCounts(
            documents=int(documents),
            events=int(events),
            background=int(background),
            killed=int(killed),
            first=rows.from_iso(first),
            last=rows.from_iso(last),
            actors=frozenset(r[0] for r in actors),
        )

    def relation_runs(self) -> Iterator[list[Relation]]:
        """Relations in runs of one (subject, predicate, object), the runs in that order."""
        keys = ("subject", "predicate", "object", "id")
        batches = keyset(self._conn, "relations", keys, size=self._size)
        for run in runs(batches, lambda r: (r["subject"], r["predicate"], r["object"])):
            evidence = rows.evidence_for(self._conn, "relation_id", [r["id"] for r in run])
            yield [rows.relation_from_row(r, evidence.get(r["id"], ())) for r in run]

    def control_runs(self) -> Iterator[list[ControlClaim]]:
        """Control claims in runs of one place name, the runs by name; within a run by date
        (undated last), controller, document and place in it, as ``Store.control`` lists them."""
        batches = keyset(self._conn, "control", ("location_name", "id"), size=self._size)
        for run in runs(batches, lambda r: r["location_name"]):
            run.sort(
                key=lambda r: (
                    r["date"] is None, r["date"] or "", r["controller"], r["document_id"], r["seq"]
                )
            )  # fmt: skip
            evidence = rows.evidence_for(self._conn, "control_id", [r["id"] for r in run])
            yield [rows.control_from_row(r, evidence.get(r["id"], ())) for r in run]

    def linked_actor_ids(self) -> Iterator[str]:
        """Every actor id a relation names (subject or object), sorted, once each."""
        sql = (
            "SELECT id FROM (SELECT subject AS id FROM relations UNION "
            "SELECT object AS id FROM relations) AS linked"
        )
        for batch in keyset(self._conn, f"({sql}) AS ids", ("id",), size=self._size):
            yield from (r["id"] for r in batch)

    def documents_of(self, ids: Collection[str]) -> dict[str, Document]:
        """The stored documents among ``ids``, by id."""
        found = in_chunks(self._conn, "SELECT * FROM documents WHERE id IN", ids)
        return {r["id"]: rows.document_from_row(r) for r in found}

    def actors_of(self, ids: Collection[str]) -> dict[str, Actor]:
        """The canonical actors among ``ids``, by id."""
        found = in_chunks(self._conn, "SELECT * FROM actors WHERE id IN", ids)
        return {r["id"]: rows.actor_from_row(r) for r in found}

    # -- the picture across reports ----------------------------------------------------------

    def merged_events(self) -> Iterator[list[MergedEvent]]:
        """Merged events by date (undated last), then id (``picture_events.sort_key``)."""
        for batch in keyset(
            self._conn, "picture_events", ("sort_key",), columns="sort_key, record",
            size=self._size,
        ):  # fmt: skip
            yield [decode(MergedEvent, r["record"]) for r in batch]

    def control_timelines(self) -> Iterator[list[ControlTimeline]]:
        """Control timelines by place key."""
        for batch in keyset(self._conn, "picture_control", ("place_key",), size=self._size):
            yield [decode(ControlTimeline, r["record"]) for r in batch]

    def alliances(self) -> Iterator[list[AllianceEdge]]:
        """Alliance edges by subject, predicate, object."""
        keys = ("subject", "predicate", "object")
        for batch in keyset(self._conn, "picture_alliances", keys, size=self._size):
            yield [decode(AllianceEdge, r["record"]) for r in batch]

    def alliance_listings(self, evidence: int, **key: str | None) -> Iterator[list[ListedEdge]]:
        """Alliance edges by subject, predicate, object, each with its first ``evidence``
        quotes and document ids, and how many documents and quotes it has in all; ``key``:
        those with this ``subject``, ``predicate`` or ``object`` (None: any), on the primary
        key. Up to LISTED_EVIDENCE quotes come from the stored listing, more from the record."""
        keys = ("subject", "predicate", "object")
        given = [(k, v) for k, v in key.items() if v is not None]
        if any(k not in keys for k, _ in given):
            raise ValueError(f"alliance edges are keyed by {keys}, not {sorted(key)}")
        where = " AND ".join(f"{k} = ?" for k, _ in given)
        column = "listing" if evidence <= LISTED_EVIDENCE else "record"
        for batch in keyset(
            self._conn, "picture_alliances", keys, where=where, params=[v for _, v in given],
            columns=f"subject, predicate, object, {column}, documents_total, evidence_total",
            size=self._size,
        ):  # fmt: skip
            yield [
                ListedEdge(
                    edge_listing(decode(AllianceEdge, r[column]), evidence),
                    int(r["documents_total"]),
                    int(r["evidence_total"]),
                )
                for r in batch
            ]

    def generation(self) -> int:
        """The stored picture's generation (``picture_queries.generation``)."""
        return generation(self._conn)

    def overview(self, **filters: Any) -> dict[str, Any]:
        """``event_overview`` of the merged events passing ``filters``."""
        return event_overview(self._conn, **filters)

    def source_groups_of(self, document_ids: Collection[str]) -> Mapping[str, str]:
        """Document id -> wire-copy group, for the documents among ``document_ids``."""
        found = in_chunks(
            self._conn, "SELECT document_id, group_id FROM picture_sources WHERE document_id IN",
            document_ids,
        )  # fmt: skip
        return {r[0]: r[1] for r in found}

    # -- lookups the HTTP API answers from (one request, one read transaction) --------------

    def counts(self) -> tuple[int, int]:
        """How many documents and merged events are stored."""
        documents = self._conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        merged = self._conn.execute("SELECT count(*) FROM picture_events").fetchone()[0]
        return int(documents), int(merged)

    def find_events(self, **query: Any) -> EventPage[MergedEvent]:
        """A page of the merged events passing the filters (``picture_queries.find_events``)."""
        return find_events(self._conn, **query)

    def find_summaries(self, **query: Any) -> EventPage[EventSummary]:
        """The same page of the events' summaries (``picture_queries.find_summaries``)."""
        return find_summaries(self._conn, **query)

    def find_items(self, **query: Any) -> EventPage[str]:
        """The same page of the events' listing items, JSON (``picture_queries.find_items``)."""
        return find_items(self._conn, **query)

    def count_events(self, **filters: Any) -> int:
        """How many merged events pass the filters."""
        return count_events(self._conn, **filters)

    def merged_event(self, merged_id: str) -> MergedEvent | None:
        """The merged event with this id (by its primary key), or None."""
        return merged_event(self._conn, merged_id)

    def document_entries(self, ids: Collection[str]) -> dict[str, tuple[Document, str | None]]:
        """The stored documents among ``ids`` (without their text) with their main event's
        id, by id."""
        found = in_chunks(self._conn, f"SELECT {_LISTED} FROM documents WHERE id IN", ids)
        return {r["id"]: (rows.document_from_row(r), r["main_event"]) for r in found}

    def document_page(
        self, *, after: tuple[str, str] | None, limit: int
    ) -> list[tuple[Document, str | None]]:
        """Up to ``limit`` documents (without their text) with their main event's id, by ref
        and id, those after the (ref, id) ``after``: one keyset query on the ref index."""
        sql = f"SELECT {_LISTED} FROM documents"
        params: list[object] = []
        if after is not None:
            # "ref >= ?" bounds the scan of the ref index; the rest skips the rows up to ``after``
            sql += " WHERE ref >= ? AND (ref > ? OR id > ?)"
            params += [after[0], after[0], after[1]]
        found = self._conn.execute(f"{sql} ORDER BY ref, id LIMIT ?", [*params, limit])
        return [(rows.document_from_row(r), r["main_event"]) for r in found.fetchall()]

    def document_text(self, document_id: str) -> str | None:
        """A stored document's text, or None."""
        row = self._conn.execute(
            "SELECT text FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def place_spellings(self, geonameids: Collection[int]) -> dict[int, set[str]]:
        """Every text a report used for each gazetteer entry among ``geonameids`` (its place
        mentions), by geonameid."""
        found = in_chunks(
            self._conn,
            "SELECT DISTINCT place_geonameid, text FROM mentions WHERE kind = 'place' "
            "AND place_name IS NOT NULL AND place_geonameid IN",
            geonameids,
        )
        spellings: dict[int, set[str]] = {}
        for gid, text in found:
            spellings.setdefault(int(gid), set()).add(text)
        return spellings


@contextmanager
def stored_reader(store: Store, *, size: int = BATCH) -> Iterator[StoredReader]:
    """A reader over one read transaction of ``store`` (one snapshot for the whole read).

    Refuses a picture built by other rules, as ``Store.ledger`` does."""
    with store.state() as conn:
        if not is_current(conn):
            raise StoreError(not_current(conn, store.path))
        yield StoredReader(conn, size=size)


# The bins of the overview's counts over time, finest first; ``auto`` takes the finest that
# cuts the span of the listed days into at most MAX_BINS (a year and a day of days, about seven
# years of weeks, thirty of months), so the answer does not grow with the span of the dates.
BINS = ("day", "week", "month", "year")
MAX_BINS = 366


def bin_start(day: dt.date, size: str) -> dt.date:
    """The first day of the bin of ``size`` holding ``day`` (a week starts on Monday)."""
    if size == "week":
        return day - dt.timedelta(days=day.weekday())
    if size == "month":
        return day.replace(day=1)
    if size == "year":
        return day.replace(month=1, day=1)
    return day


def bin_count(first: dt.date, last: dt.date, size: str) -> int:
    """How many bins of ``size`` first..last spans."""
    if size == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    if size == "year":
        return last.year - first.year + 1
    step = 7 if size == "week" else 1
    return (bin_start(last, size) - bin_start(first, size)).days // step + 1


def auto_bin(first: dt.date, last: dt.date) -> str:
    """The finest bin that cuts first..last into at most MAX_BINS."""
    return next((s for s in BINS if bin_count(first, last, s) <= MAX_BINS), BINS[-1])


def binned(rows: Sequence[Row], size: str) -> list[dict[str, Any]]:
    """(date, type, status, count) rows by date, type and status summed into bins of
    ``size``: each row's date is its bin's first day. A row's date may be an ISO date's
    first 7 or 4 characters (a month's or year's rows grouped by the database)."""
    bins: dict[tuple[str, str, str], int] = {}
    for day, event_type, status, count in rows:
        start = bin_start(_first_day(str(day)), size).isoformat()
        key = (start, event_type, status)
        bins[key] = bins.get(key, 0) + int(count)
    # None (a PLOVER-only event's type) sorts first, as the database orders the day rows
    ordered = sorted(bins, key=lambda k: (k[0], k[1] is not None, k[1] or "", k[2]))
    return [{"date": k[0], "event_type": k[1], "status": k[2], "events": bins[k]} for k in ordered]


def event_overview(
    conn: Connection,
    *,
    bin: str = "auto",
    days_start: dt.date | None = None,
    days_end: dt.date | None = None,
    **filters: Any,
) -> dict[str, Any]:
    """What the page draws besides the events themselves, for the merged events passing
    ``filters`` (those of ``picture_queries.find_events``), as aggregate queries: how many
    there are, have coordinates, have each verdict; the first and last day of those not
    background; events per bin of days (``bin``: one of BINS, or ``auto``), type and status,
    the bins within ``days_start``..``days_end`` only (the dated events outside them counted
    as ``days_outside``); the types and actors named (for the filter menus); per country, the
    events with coordinates (not background) and the box around them (degrees)."""
    where, params = event_conditions(**filters)

    def select(
        columns: str, extra: str = "", tail: str = "", more: Sequence[object] = ()
    ) -> list[Row]:
        condition = f"{where} AND {extra}" if extra else where
        sql = f"SELECT {columns} FROM picture_events WHERE {condition} {tail}"
        return conn.execute(sql, [*params, *more]).fetchall()

    located = "latitude IS NOT NULL AND longitude IS NOT NULL"
    total = select("count(*)")[0][0]
    with_place = select("count(*)", located)[0][0]
    verdicts = select("verdict, count(*)", tail="GROUP BY verdict")

    def ends(extra: str, more: Sequence[object] = ()) -> tuple[str | None, str | None]:
        """The first and last event_date passing the filters and ``extra`` (each one step
        along the date index from an end, where min() and max() together scan it)."""
        low = select("event_date", extra, "ORDER BY event_date ASC LIMIT 1", more)
        high = select("event_date", extra, "ORDER BY event_date DESC LIMIT 1", more)
        return (low[0][0] if low else None), (high[0][0] if high else None)

    first, last = ends("event_date IS NOT NULL AND status != 'background'")
    window = ["event_date IS NOT NULL"]
    bounds: list[object] = []
    add_dates(window, bounds, days_start, days_end)
    listed = " AND ".join(window)
    size = bin
    if size == "auto":
        low, high = ends(listed, bounds)
        size = auto_bin(_day(low), _day(high)) if low is not None and high is not None else "day"
    # Months and years are grouped by the database (ISO dates' first 7 or 4 characters), so
    # their rows are as few as the answer's; days and weeks come by day.
    day = {"month": "substr(event_date, 1, 7)", "year": "substr(event_date, 1, 4)"}
    column = day.get(size, "event_date")
    days = select(
        f"{column}, event_type, status, count(*)",
        listed,
        f"GROUP BY {column}, event_type, status ORDER BY {column}, event_type, status",
        bounds,
    )
    outside = 0
    if bounds:
        dated = select("count(*)", "event_date IS NOT NULL")[0][0]
        outside = int(dated) - sum(int(r[3]) for r in days)
    types = {
        column: [
            r[0]
            for r in select(f"DISTINCT {column}", f"{column} IS NOT NULL", f"ORDER BY {column}")
        ]
        for column in ("event_type", "sub_event_type", "plover_type")
    }
    if where == EVERY_EVENT:  # every actor of a stored merged event: the primary key's index
        actors = conn.execute(
            "SELECT DISTINCT actor_id FROM picture_event_actors ORDER BY actor_id"
        ).fetchall()
    else:
        actors = conn.execute(
            "SELECT DISTINCT actor_id FROM picture_event_actors WHERE merged_id IN "
            f"(SELECT id FROM picture_events WHERE {where}) ORDER BY actor_id",
            params,
        ).fetchall()
    countries = select(
        "country, count(*), min(longitude), min(latitude), max(longitude), max(latitude)",
        f"{located} AND status != 'background'",
        "GROUP BY country ORDER BY count(*) DESC, country",
    )
    return {
        "total": total,
        "located": with_place,
        "verdicts": {r[0]: r[1] for r in verdicts if r[0] is not None},
        "dates": {"first": first, "last": last},
        "bin": size,
        "days": binned(days, size),
        "days_outside": outside,
        "types": types,
        "actors": [r[0] for r in actors],
        "countries": [
            {"country": r[0], "events": r[1], "bbox": [r[2], r[3], r[4], r[5]]} for r in countries
        ],
    }


def _day(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _first_day(text: str) -> dt.date:
    """An ISO date, or the first day of a month (YYYY-MM) or year (YYYY)."""
    return _day({4: f"{text}-01-01", 7: f"{text}-01"}.get(len(text), text))
