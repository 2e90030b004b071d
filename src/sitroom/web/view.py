"""The web's read model: the stored picture and its ledger, built once per database revision.

The ledger is computed from the stored per-report records (see ``sitroom.picture``); building it
for every request would repeat the merge, so the server keeps the last one and rebuilds it only
when the database has changed (another report stored, by this server or by ``sitroom analyze``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sitroom.export.json_export import (
    actor_to_dict,
    alliance_to_dict,
    document_to_dict,
    event_to_dict,
    merged_event_to_dict,
    source_value_to_dict,
    timeline_to_dict,
)
from sitroom.picture import build_ledger
from sitroom.picture.ledger import Ledger, MergedEvent, fold_name, overall_verdict
from sitroom.records import Document, Event, Picture
from sitroom.store import Store
from sitroom.store.picture_queries import EventPage
from sitroom.store.picture_read import stored_reader
from sitroom.web.errors import ApiError

log = logging.getLogger(__name__)

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
) -> EventPage:
    """The stored merged events passing the filter, one page, as indexed queries."""
    return store.find_events(**_query(wanted), after=after, limit=limit, offset=offset)


def event_overview(store: Store, wanted: EventFilter) -> dict[str, Any]:
    """Counts, events per day and type, the types and actors named and where the events are,
    for the stored merged events passing the filter (``picture_read.event_overview``)."""
    with stored_reader(store) as reader:
        return reader.overview(**_query(wanted))


class View:
    """One revision of the picture, with the JSON-ready pieces the endpoints hand out."""

    def __init__(
        self, picture: Picture, revision: tuple[int, ...], *, ledger: Ledger | None = None
    ) -> None:
        self.revision = revision
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

    def event_summary(self, event: MergedEvent) -> dict[str, Any]:
        """The export's merged event, with its overall verdict, actor names and a quote."""
        data = merged_event_to_dict(event, self.ledger.source_groups)
        data["verdict"] = overall_verdict(event)
        data["actor1_name"] = self.names.get(event.actor1) if event.actor1 else None
        data["actor2_name"] = self.names.get(event.actor2) if event.actor2 else None
        first = event.members[0].evidence if event.members else ()
        data["quote"] = first[0].quote if first else None
        return data

    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        """One merged event with every field's claim and every source's report, or None."""
        event = self._events.get(event_id)
        if event is None:
            return None
        data = self.event_summary(event)
        data["claims"] = [
            {
                "field": c.field,
                "verdict": c.verdict,
                "values": [source_value_to_dict(v) for v in c.values],
            }
            for c in event.claims
        ]
        data["reports"] = [
            {"event": event_to_dict(m), "document": self.document_summary(m.document_id)}
            for m in event.members
        ]
        return data

    def document_summary(self, document_id: str) -> dict[str, Any] | None:
        document = self.documents.get(document_id)
        if document is None:
            return None
        return document_to_dict(document, self.picture.main_events.get(document_id))

    def document_detail(self, document_id: str) -> dict[str, Any] | None:
        """A report's metadata and text, or None."""
        summary = self.document_summary(document_id)
        if summary is None:
            return None
        return {**summary, "text": self.documents[document_id].text}

    def document_list(self) -> list[dict[str, Any]]:
        return [document_to_dict(d, self.picture.main_events.get(d.id)) for d in _by_ref(self)]

    def actors(self) -> list[dict[str, Any]]:
        return [actor_to_dict(a) for a in self.picture.actors]

    def relations(self) -> list[dict[str, Any]]:
        return [alliance_to_dict(e) for e in self.ledger.alliances]

    def control(self, place: str | None) -> list[dict[str, Any]]:
        """Control timelines, all or those of one place: a name reports use for it, or its key."""
        timelines = self.ledger.control
        if place is not None:
            wanted = fold_name(place)
            keys = self._place_names.get(wanted, set()) | {place}
            timelines = tuple(
                t for t in timelines if t.key in keys or fold_name(t.place.name) == wanted
            )
        return [timeline_to_dict(t) for t in timelines]

    def geojson(self, events: Iterable[MergedEvent]) -> dict[str, Any]:
        """A FeatureCollection of the events that have coordinates."""
        features = []
        groups: Mapping[str, str] = self.ledger.source_groups
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
                        "verdict": overall_verdict(e),
                        "fatalities": e.fatalities,
                        "sources": len({groups.get(d, d) for d in e.document_ids}),
                        "place": where.name,
                        "place_inferred": where.inferred,
                        "actor1_name": self.names.get(e.actor1) if e.actor1 else None,
                        "actor2_name": self.names.get(e.actor2) if e.actor2 else None,
                    },
                }
            )
        return {"type": "FeatureCollection", "features": features}


def _by_ref(view: View) -> list[Document]:
    return sorted(view.documents.values(), key=lambda d: (d.ref, d.id))


class ViewCache:
    """The latest View of a store; a newer one is prepared aside while readers keep the last.

    Rebuilding the ledger of a large database takes minutes; no reader waits for it. When the
    store's revision moves, one background thread builds the new View over its own connection
    and swaps it in; until then readers get the last good View. Only before the first View
    does a reader wait, for at most ``wait_s`` seconds (then a 503 error).
    """

    def __init__(self, store: Store, *, wait_s: float = 60.0) -> None:
        self._store = store
        self._wait_s = wait_s
        self._building = threading.Lock()  # held by whoever is building a View
        self._view: View | None = None

    def get(self) -> View:
        """The current View, or the last good one while a newer one is being built."""
        revision = self._store.revision()
        view = self._view
        if view is not None and view.revision == revision:
            return view
        if view is not None:
            if self._building.acquire(blocking=False):
                threading.Thread(
                    target=self._build, args=(revision,), name="sitroom-view", daemon=True
                ).start()
            return view
        return self.refresh()

    def refresh(self) -> View:
        """Build the View of the store as it is now and serve it from here on (the writer waits).

        Waits at most ``wait_s`` seconds for a build already under way.
        """
        if not self._building.acquire(timeout=self._wait_s):
            raise ApiError(503, f"the picture is still being prepared after {self._wait_s:g} s")
        return self._build(self._store.revision())

    def _build(self, revision: tuple[int, ...]) -> View:
        """Build a View tagged ``revision``; the caller holds ``_building``, released here."""
        try:
            current = self._view
            if current is not None and current.revision == revision:
                return current
            picture, ledger = self._picture()
            self._view = View(picture, revision, ledger=ledger)
            return self._view
        except Exception:
            log.exception("the picture could not be rebuilt; serving the last one")
            if self._view is None:
                raise
            return self._view
        finally:
            self._building.release()

    def _picture(self) -> tuple[Picture, Ledger]:
        """The stored records and picture, read over a connection of its own where the store is
        a file, so the shared one stays free for the revision checks of other readers."""
        if self._store.path == ":memory:":
            return self._store.picture_with_ledger()
        with Store.open(self._store.path, read_only=True) as own:
            return own.picture_with_ledger()
