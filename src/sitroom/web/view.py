"""What the HTTP API answers, in JSON-ready pieces: ``StoredView`` reads them from the stored
picture by indexed queries within one read transaction (what the server serves), ``View`` from a
Picture and its ledger in memory (the meaning the stored answers are held to by the tests).

Both shape their answers with the same functions; they differ only in how they find the events,
actors, documents, groups and place names an answer needs.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sitroom.export.json_export import (
    actor_to_dict,
    alliance_to_dict,
    document_to_dict,
    event_to_dict,
    listing_item,
    source_value_to_dict,
    timeline_to_dict,
)
from sitroom.export.source import flat
from sitroom.picture import build_ledger
from sitroom.picture.ledger import (
    AllianceEdge,
    ControlTimeline,
    Ledger,
    MergedEvent,
    fold_name,
    overall_verdict,
)
from sitroom.picture.summary import EventSummary, summarize
from sitroom.records import Document, Event, Picture
from sitroom.store import Store
from sitroom.store.picture_queries import LISTED_EVIDENCE, EventPage, edge_listing
from sitroom.store.picture_read import StoredReader, stored_reader
from sitroom.web.errors import ApiError

T = TypeVar("T")

VERDICT_ORDER = ("contradicted", "corroborated", "single-source")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What ``GET /api/events`` asks for; None means any. ``bbox`` is (west, south, east, north)."""

    start: dt.date | None = None
    end: dt.date | None = None
    type: str | None = None
    actor: str | None = None
    country: str | None = None
    status: str | None = None
    verdict: str | None = None
    bbox: tuple[float, float, float, float] | None = None


def _actor_ids(event: Event) -> set[str]:
    ids = {event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2}
    ids.discard(None)
    return ids  # type: ignore[return-value]


def _in_bbox(event: MergedEvent, bbox: tuple[float, float, float, float]) -> bool:
    where = event.location
    if where is None or where.latitude is None or where.longitude is None:
        return False
    west, south, east, north = bbox
    if not south <= where.latitude <= north:
        return False
    if west <= east:
        return west <= where.longitude <= east
    return where.longitude >= west or where.longitude <= east  # across the antimeridian


def matches(event: MergedEvent, wanted: EventFilter) -> bool:
    """Whether a merged event passes every filter that is set: the meaning that ``find_events``
    (indexed queries) is held to by tests/test_store_picture.py."""
    if wanted.start is not None or wanted.end is not None:
        if event.event_date is None:
            return False
        if wanted.start is not None and event.event_date < wanted.start:
            return False
        if wanted.end is not None and event.event_date > wanted.end:
            return False
    if wanted.type is not None and wanted.type not in (
        event.event_type,
        event.sub_event_type,
        event.plover_type,
    ):
        return False
    if wanted.actor is not None and not any(wanted.actor in _actor_ids(m) for m in event.members):
        return False
    country = event.location.country if event.location else None
    if wanted.country is not None and country != wanted.country.upper():
        return False
    if wanted.status is not None and event.status != wanted.status:
        return False
    if wanted.verdict is not None and overall_verdict(event) != wanted.verdict:
        return False
    return wanted.bbox is None or _in_bbox(event, wanted.bbox)


def _query(wanted: EventFilter) -> dict[str, Any]:
    """The filter as the keyword arguments of ``picture_queries.find_events``."""
    return {
        "start": wanted.start,
        "end": wanted.end,
        "kind": wanted.type,
        "actor": wanted.actor,
        "country": wanted.country.upper() if wanted.country is not None else None,
        "status": wanted.status,
        "verdict": wanted.verdict,
        "bbox": wanted.bbox,
    }


def find_events(
    store: Store, wanted: EventFilter, *, after: str | None, limit: int, offset: int
) -> EventPage[MergedEvent]:
    """The stored merged events passing the filter, one page, as indexed queries."""
    with stored_reader(store) as reader:
        return StoredView(reader).find_events(wanted, after=after, limit=limit, offset=offset)


def event_overview(store: Store, wanted: EventFilter, **binning: Any) -> dict[str, Any]:
    """Counts, events per bin of days and type, the types and actors named and where the
    events are, for the stored merged events passing the filter; ``binning``: ``bin``,
    ``days_start``, ``days_end`` (``picture_read.event_overview``)."""
    with stored_reader(store) as reader:
        return reader.overview(**_query(wanted), **binning)


class Kept:
    """Answers a server computed from the stored picture, by the picture's generation and the
    question: one computed from a picture holds until the picture changes, which raises its
    generation in the same transaction (a report stored, re-analysed, a rebuild). The last
    ``size`` questions are kept. What is kept: overviews (their aggregates read every merged
    event's index entries: 0.17 s at 30,000 reports), the number of events a filter matches
    (a page of events counts them all) and the counts /api/health gives."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, reader: StoredReader, question: Hashable, compute: Callable[[], T]) -> T:
        """The answer to ``question`` at the reader's generation, computed once."""
        key = (reader.generation(), question)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return cast(T, self._answers[key])
        found = compute()
        with self._lock:
            self._answers[key] = found
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)
        return found


class Overviews(Kept):
    """The overviews a server answered (``Kept``)."""

    def answer(self, store: Store, wanted: EventFilter, **binning: Any) -> dict[str, Any]:
        """``event_overview``, read from the picture once per generation."""
        with stored_reader(store) as reader:
            question = ("overview", wanted, tuple(sorted(binning.items())))
            return self.get(reader, question, lambda: reader.overview(**_query(wanted), **binning))


# -- the answers' shapes, shared by both views ------------------------------------------------


# An item of /api/events (the stored picture keeps each one ready: picture_events.item).
event_summary = listing_item


def event_detail(
    event: MergedEvent,
    groups: Mapping[str, str],
    names: Mapping[str, str],
    documents: Mapping[str, tuple[Document, str | None]],
) -> dict[str, Any]:
    """The summary with every field's claim and every source's report (``documents``: id ->
    the document and its main event's id, for the members' documents)."""
    data = event_summary(summarize(event), groups, names)
    data["claims"] = [
        {
            "field": c.field,
            "verdict": c.verdict,
            "values": [source_value_to_dict(v) for v in c.values],
        }
        for c in event.claims
    ]
    data["reports"] = [
        {"event": event_to_dict(m), "document": _document_summary(documents.get(m.document_id))}
        for m in event.members
    ]
    return data


def _document_summary(found: tuple[Document, str | None] | None) -> dict[str, Any] | None:
    return None if found is None else document_to_dict(*found)


def geojson(
    events: Iterable[EventSummary], groups: Mapping[str, str], names: Mapping[str, str]
) -> dict[str, Any]:
    """A FeatureCollection of the events that have coordinates."""
    features = []
    for e in events:
        where = e.location
        if where is None or where.latitude is None or where.longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": e.id,
                "geometry": {"type": "Point", "coordinates": [where.longitude, where.latitude]},
                "properties": {
                    "id": e.id,
                    "event_date": e.event_date.isoformat() if e.event_date else None,
                    "event_type": e.event_type,
                    "sub_event_type": e.sub_event_type,
                    "plover_type": e.plover_type,
                    "status": e.status,
                    "verdict": e.verdict,
                    "fatalities": e.fatalities,
                    "sources": len({groups.get(d, d) for d in e.document_ids}),
                    "place": where.name,
                    "place_inferred": where.inferred,
                    "actor1_name": names.get(e.actor1) if e.actor1 else None,
                    "actor2_name": names.get(e.actor2) if e.actor2 else None,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True, slots=True)
class EdgeFilter:
    """What ``GET /api/relations`` asks for: the edges of this subject, predicate and object
    (None: any), each with at most ``evidence`` of its quotes and documents."""

    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    evidence: int = LISTED_EVIDENCE

    def keeps(self, edge: AllianceEdge) -> bool:
        wanted = (self.subject, self.predicate, self.object)
        found = (edge.subject, edge.predicate, edge.object)
        return all(w is None or w == f for w, f in zip(wanted, found, strict=True))


def alliance_item(listed: AllianceEdge, documents: int, quotes: int) -> dict[str, Any]:
    """The export's alliance edge as listed (its first quotes and documents:
    ``edge_listing``) and how many it has in all (``documents_total``, ``evidence_total``): an
    edge told by every report would otherwise carry every report's quote."""
    data = alliance_to_dict(listed)
    data["documents_total"] = documents
    data["evidence_total"] = quotes
    return data


def named_timelines(
    timelines: Iterable[ControlTimeline], place: str, spelled: Collection[str]
) -> list[dict[str, Any]]:
    """The timelines of one place, asked for by a name reports use for it or by its key:
    ``spelled`` holds the keys of the gazetteer entries some report names ``place`` (folded)."""
    wanted = fold_name(place)
    keys = {*spelled, place}
    return [
        timeline_to_dict(t) for t in timelines if t.key in keys or fold_name(t.place.name) == wanted
    ]


def _geonameid(key: str) -> int | None:
    """The gazetteer entry of a timeline's key ('geonameid:<id>'), or None."""
    kind, _, value = key.partition(":")
    if kind != "geonameid":
        return None
    try:
        return int(value)
    except ValueError:
        return None


def document_cursor(document: Document) -> str:
    """The ``next`` of a page of documents that ends with this one (its ref and id)."""
    return json.dumps([document.ref, document.id], ensure_ascii=False)


def document_after(cursor: str) -> tuple[str, str]:
    """The (ref, id) a documents cursor holds; a 422 error if it is none of ours."""
    refused = ApiError(422, "after must be the next of a page of documents")
    try:
        ref, document_id = json.loads(cursor)
    except (ValueError, TypeError):  # not JSON; not a pair
        raise refused from None
    # (no stored ref or id holds NUL, which PostgreSQL's text cannot)
    if not isinstance(ref, str) or not isinstance(document_id, str) or "\x00" in ref + document_id:
        raise refused
    return ref, document_id


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """One page of documents (without their text), by ref and id, and the cursor after it."""

    items: list[dict[str, Any]]
    next: str | None  # pass as ``after`` for the next page; None after the last one


# -- the stored picture ----------------------------------------------------------------------


class StoredView:
    """The API's answers read from the stored picture within one read transaction: each is
    indexed lookups by key, a keyset page, or a listing of one stored table (actors, alliance
    edges, control timelines); none reads the whole picture."""

    def __init__(self, reader: StoredReader) -> None:
        self._reader = reader

    def counts(self, kept: Kept | None = None) -> tuple[int, int]:
        """How many documents and merged events are stored (``kept``: once a generation)."""
        if kept is None:
            return self._reader.counts()
        return kept.get(self._reader, "counts", self._reader.counts)

    def find_items(
        self, wanted: EventFilter, *, after: str | None, limit: int, offset: int, kept: Kept
    ) -> EventPage[str]:
        """The page of ``find_summaries`` as the stored listing items (JSON, ready to send);
        the number matching counted once a generation (``kept``)."""
        query = _query(wanted)
        total = kept.get(
            self._reader, ("total", wanted), lambda: self._reader.count_events(**query)
        )
        return self._reader.find_items(
            **query, after=after, limit=limit, offset=offset, total=total
        )

    def find_events(
        self, wanted: EventFilter, *, after: str | None, limit: int, offset: int
    ) -> EventPage[MergedEvent]:
        """The merged events passing the filter, one page (``picture_queries.find_events``)."""
        return self._reader.find_events(**_query(wanted), after=after, limit=limit, offset=offset)

    def find_summaries(
        self, wanted: EventFilter, *, after: str | None, limit: int, offset: int
    ) -> EventPage[EventSummary]:
        """The same page as ``find_events``, of the events' stored summaries."""
        query = _query(wanted)
        return self._reader.find_summaries(**query, after=after, limit=limit, offset=offset)

    def _lookups(
        self, events: Sequence[MergedEvent | EventSummary]
    ) -> tuple[Mapping[str, str], dict[str, str]]:
        """The wire-copy groups of the events' documents and the names of their actors."""
        groups = self._reader.source_groups_of({d for e in events for d in e.document_ids})
        ids = {a for e in events for a in (e.actor1, e.actor2) if a}
        names = {a.id: a.name for a in self._reader.actors_of(ids).values()}
        return groups, names

    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        """One merged event with every field's claim and every source's report, or None."""
        event = self._reader.merged_event(event_id)
        if event is None:
            return None
        groups, names = self._lookups([event])
        documents = self._reader.document_entries({m.document_id for m in event.members})
        return event_detail(event, groups, names, documents)

    def geojson(self, events: Sequence[EventSummary]) -> dict[str, Any]:
        groups, names = self._lookups(events)
        return geojson(events, groups, names)

    def actors(self) -> list[dict[str, Any]]:
        return [actor_to_dict(a) for a in flat(self._reader.actors())]

    def relations(self, wanted: EdgeFilter) -> list[dict[str, Any]]:
        """The alliance edges asked for, by subject, predicate, object (the primary key)."""
        edges = self._reader.alliance_listings(
            wanted.evidence, subject=wanted.subject, predicate=wanted.predicate,
            object=wanted.object,
        )  # fmt: skip
        return [alliance_item(e.edge, e.documents_total, e.evidence_total) for e in flat(edges)]

    def control(self, place: str | None) -> list[dict[str, Any]]:
        """Control timelines, all or those of one place: a name reports use for it, or its key."""
        timelines = list(flat(self._reader.control_timelines()))
        if place is None:
            return [timeline_to_dict(t) for t in timelines]
        gids = {g for t in timelines if (g := _geonameid(t.key)) is not None}
        wanted = fold_name(place)
        spelled = {
            f"geonameid:{gid}"
            for gid, texts in self._reader.place_spellings(gids).items()
            if any(fold_name(text) == wanted for text in texts)
        }
        return named_timelines(timelines, place, spelled)

    def document_page(self, *, after: str | None, limit: int) -> DocumentPage:
        """Documents by ref and id (without their text), ``limit`` of them after ``after``."""
        start = document_after(after) if after is not None else None
        found = self._reader.document_page(after=start, limit=limit + 1)
        more = len(found) > limit
        found = found[:limit]
        return DocumentPage(
            [document_to_dict(d, main) for d, main in found],
            document_cursor(found[-1][0]) if more else None,
        )

    def documents_by_id(self, ids: Collection[str]) -> list[dict[str, Any]]:
        """The stored documents among ``ids`` (without their text), by ref and id."""
        found = self._reader.document_entries(set(ids))
        ordered = sorted(found.values(), key=lambda entry: (entry[0].ref, entry[0].id))
        return [document_to_dict(d, main) for d, main in ordered]

    def document_detail(self, document_id: str) -> dict[str, Any] | None:
        """A report's metadata and text, or None."""
        found = self._reader.document_entries({document_id}).get(document_id)
        text = self._reader.document_text(document_id)
        if found is None or text is None:
            return None
        return {**document_to_dict(*found), "text": text}


# -- the picture in memory: the meaning -------------------------------------------------------


class View:
    """The API's answers computed from a Picture and its ledger held whole in memory: what the
    server answered before the picture was stored, kept as the meaning ``StoredView`` is held
    to (tests/test_web_stored.py)."""

    def __init__(self, picture: Picture, ledger: Ledger | None = None) -> None:
        self.picture = picture
        self.ledger: Ledger = ledger or build_ledger(picture)
        self.names = {a.id: a.name for a in picture.actors}
        self.documents = {d.id: d for d in picture.documents}
        self._events = {e.id: e for e in self.ledger.events}
        # Reports name a place in their own spelling ("Hama" for GeoNames' "Ḩamāh"): any name a
        # report used for a gazetteer entry finds its timeline.
        self._place_names: dict[str, set[str]] = {}
        for m in picture.mentions:
            # a place modifier ('Syrian') is no spelling of its place's name
            if m.kind == "place" and m.place is not None and m.place.geonameid is not None:
                key = f"geonameid:{m.place.geonameid}"
                self._place_names.setdefault(fold_name(m.text), set()).add(key)

    def counts(self) -> tuple[int, int]:
        return len(self.documents), len(self.ledger.events)

    def event_summary(self, event: MergedEvent) -> dict[str, Any]:
        return event_summary(summarize(event), self.ledger.source_groups, self.names)

    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        event = self._events.get(event_id)
        if event is None:
            return None
        return event_detail(event, self.ledger.source_groups, self.names, self._entries())

    def _entries(self) -> dict[str, tuple[Document, str | None]]:
        main = self.picture.main_events
        return {d.id: (d, main.get(d.id)) for d in self.picture.documents}

    def document_detail(self, document_id: str) -> dict[str, Any] | None:
        document = self.documents.get(document_id)
        if document is None:
            return None
        summary = document_to_dict(document, self.picture.main_events.get(document_id))
        return {**summary, "text": document.text}

    def document_list(self) -> list[dict[str, Any]]:
        """Every document (without its text), by ref and id."""
        ordered = sorted(self.documents.values(), key=lambda d: (d.ref, d.id))
        return [document_to_dict(d, self.picture.main_events.get(d.id)) for d in ordered]

    def documents_by_id(self, ids: Collection[str]) -> list[dict[str, Any]]:
        wanted = set(ids)
        return [d for d in self.document_list() if d["id"] in wanted]

    def actors(self) -> list[dict[str, Any]]:
        return [actor_to_dict(a) for a in self.picture.actors]

    def relations(self, wanted: EdgeFilter) -> list[dict[str, Any]]:
        return [
            alliance_item(edge_listing(e, wanted.evidence), len(e.document_ids), len(e.evidence))
            for e in self.ledger.alliances
            if wanted.keeps(e)
        ]

    def control(self, place: str | None) -> list[dict[str, Any]]:
        timelines = self.ledger.control
        if place is None:
            return [timeline_to_dict(t) for t in timelines]
        return named_timelines(timelines, place, self._place_names.get(fold_name(place), set()))

    def geojson(self, events: Iterable[MergedEvent]) -> dict[str, Any]:
        summaries = (summarize(e) for e in events)
        return geojson(summaries, self.ledger.source_groups, self.names)
