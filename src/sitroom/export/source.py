"""What the exports and the report read: a picture's records and ledger as batches.

``PictureReader`` is met by ``sitroom.store.picture_read.StoredReader`` (a database, read a
bounded batch at a time, so a writer holds one batch however large the store is) and by
``MemoryReader`` (a Picture in memory, its ledger built when first asked for). A writer that
keeps to the orders named here writes the same bytes from either.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol, TypeVar

from sitroom.export._common import date_key
from sitroom.picture import build_ledger
from sitroom.picture.ledger import AllianceEdge, ControlTimeline, Ledger, MergedEvent
from sitroom.records import Actor, ControlClaim, Document, Event, Mention, Picture, Relation

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RecordCounts:
    """What the report counts of the per-report records (``PictureReader.record_counts``)."""

    documents: int
    events: int
    background: int  # events with status background
    killed: int  # fatalities over the events with an ACLED type, background left out
    first: dt.date | None  # the span of the dated events, background left out
    last: dt.date | None
    actors: frozenset[str]  # every actor some event names (actor1, actor2, associated)


def count_records(documents: int, events: Iterable[Event]) -> RecordCounts:
    """The counts of ``documents`` documents and these events (the meaning of
    ``PictureReader.record_counts``)."""
    total = background = killed = 0
    first: dt.date | None = None
    last: dt.date | None = None
    actors: set[str] = set()
    for event in events:
        total += 1
        named = (event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2)
        actors.update(x for x in named if x)
        if event.status == "background":
            background += 1
            continue
        if event.event_type:
            killed += event.fatalities or 0
        if event.event_date:
            first = min(first or event.event_date, event.event_date)
            last = max(last or event.event_date, event.event_date)
    return RecordCounts(documents, total, background, killed, first, last, frozenset(actors))


class PictureReader(Protocol):
    """A picture's records and ledger in batches (lists), in the orders each method names."""

    def documents(self) -> Iterator[list[tuple[Document, str | None]]]:
        """Documents with their main event's id, by id."""
        ...

    def actors(self) -> Iterator[list[Actor]]:
        """Canonical actors by id."""
        ...

    def mention_runs(self) -> Iterator[list[Mention]]:
        """Each document's mentions, documents by id (within a run, in any order)."""
        ...

    def events(self, *, by_date: bool = False) -> Iterator[list[Event]]:
        """Events by id; ``by_date``: by date (undated last), then id."""
        ...

    def record_counts(self) -> RecordCounts:
        """How many documents and events there are, and what the report sums over the events
        (``count_records``), without reading each event."""
        ...

    def relation_runs(self) -> Iterator[list[Relation]]:
        """Relations in runs of one (subject, predicate, object), the runs in that order."""
        ...

    def control_runs(self) -> Iterator[list[ControlClaim]]:
        """Control claims in runs of one place name, the runs by name; within a run by date
        (undated last), controller, document and place in it (a Picture's own order)."""
        ...

    def linked_actor_ids(self) -> Iterator[str]:
        """Every actor id a relation names, sorted, once each."""
        ...

    def documents_of(self, ids: Collection[str]) -> Mapping[str, Document]:
        """The documents among ``ids``, by id."""
        ...

    def actors_of(self, ids: Collection[str]) -> Mapping[str, Actor]:
        """The canonical actors among ``ids``, by id."""
        ...

    def merged_events(self) -> Iterator[list[MergedEvent]]:
        """Merged events by date (undated last), then id."""
        ...

    def control_timelines(self) -> Iterator[list[ControlTimeline]]:
        """Control timelines by place key."""
        ...

    def alliances(self) -> Iterator[list[AllianceEdge]]:
        """Alliance edges by subject, predicate, object."""
        ...

    def source_groups_of(self, document_ids: Collection[str]) -> Mapping[str, str]:
        """Document id -> wire-copy group, for (at least) the documents among ``document_ids``."""
        ...


def _runs(items: Iterable[T], key: Callable[[T], object]) -> Iterator[list[T]]:
    for _, run in itertools.groupby(items, key=key):
        yield list(run)


class MemoryReader:
    """A ``PictureReader`` over a Picture in memory; ``ledger``: its ledger, else built from
    the picture when first asked for."""

    def __init__(self, picture: Picture, ledger: Ledger | None = None) -> None:
        self.picture = picture
        self._ledger = ledger

    @cached_property
    def ledger(self) -> Ledger:
        """The picture's ledger (``sitroom.picture.build_ledger``)."""
        return self._ledger or build_ledger(self.picture)

    @cached_property
    def _documents(self) -> dict[str, Document]:
        return {d.id: d for d in self.picture.documents}

    @cached_property
    def _actors(self) -> dict[str, Actor]:
        return {a.id: a for a in self.picture.actors}

    def documents(self) -> Iterator[list[tuple[Document, str | None]]]:
        docs = sorted(self.picture.documents, key=lambda d: d.id)
        yield [(d, self.picture.main_events.get(d.id)) for d in docs]

    def actors(self) -> Iterator[list[Actor]]:
        yield sorted(self.picture.actors, key=lambda a: a.id)

    def mention_runs(self) -> Iterator[list[Mention]]:
        def doc(m: Mention) -> str:
            return m.document_id

        return _runs(sorted(self.picture.mentions, key=doc), doc)

    def events(self, *, by_date: bool = False) -> Iterator[list[Event]]:
        if by_date:
            yield sorted(self.picture.events, key=lambda e: (date_key(e.event_date), e.id))
        else:
            yield sorted(self.picture.events, key=lambda e: e.id)

    def record_counts(self) -> RecordCounts:
        return count_records(len(self.picture.documents), self.picture.events)

    def relation_runs(self) -> Iterator[list[Relation]]:
        def edge(r: Relation) -> tuple[str, str, str]:
            return (r.subject, r.predicate, r.object)

        return _runs(sorted(self.picture.relations, key=edge), edge)

    def control_runs(self) -> Iterator[list[ControlClaim]]:
        # sorted() is stable: a run keeps the picture's order (Store.picture gives the one above)
        def name(c: ControlClaim) -> str:
            return c.place.name

        return _runs(sorted(self.picture.control, key=name), name)

    def linked_actor_ids(self) -> Iterator[str]:
        linked = {r.subject for r in self.picture.relations}
        return iter(sorted(linked | {r.object for r in self.picture.relations}))

    def documents_of(self, ids: Collection[str]) -> Mapping[str, Document]:
        return self._documents

    def actors_of(self, ids: Collection[str]) -> Mapping[str, Actor]:
        return self._actors

    def merged_events(self) -> Iterator[list[MergedEvent]]:
        yield list(self.ledger.events)

    def control_timelines(self) -> Iterator[list[ControlTimeline]]:
        yield list(self.ledger.control)

    def alliances(self) -> Iterator[list[AllianceEdge]]:
        yield list(self.ledger.alliances)

    def source_groups_of(self, document_ids: Collection[str]) -> Mapping[str, str]:
        return self.ledger.source_groups


def reader_of(picture: Picture | PictureReader, ledger: Ledger | None = None) -> PictureReader:
    """A reader over ``picture``: a reader as it is, a Picture in memory (with its ``ledger``
    where the caller has built it)."""
    if isinstance(picture, Picture):
        return MemoryReader(picture, ledger)
    return picture


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """The items in lists of ``size`` (the last one shorter), in order."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def flat(batches: Iterable[list[T]]) -> Iterator[T]:
    """The items of the batches, in order."""
    for batch in batches:
        yield from batch
