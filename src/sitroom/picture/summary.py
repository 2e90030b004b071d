"""What a listing of merged events shows of each one (an item of ``GET /api/events``, a GeoJSON
feature): the merged event's fields without its members' records and its claims.

The stored picture keeps this record beside the whole merged event (``picture_events.summary``),
so a page of events decodes only what it sends: a merged event's record repeats every member's
event with its evidence and every field's claims, often a hundred times the summary's size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sitroom.picture.ledger import FatalityRange, MergedEvent, overall_verdict
from sitroom.records import Location


@dataclass(frozen=True, slots=True)
class EventSummary:
    """A merged event as listings show it: its members' ids, its overall verdict and the first
    quote of its first member in place of the members' records and the claims."""

    id: str
    members: tuple[str, ...]  # the member events' ids, in the merged event's order
    document_ids: tuple[str, ...]
    status: str
    event_date: dt.date | None
    date_precision: str
    event_type: str | None
    sub_event_type: str | None
    plover_type: str
    actor1: str | None
    actor2: str | None
    location: Location | None
    fatalities: int | None
    merged_on: tuple[str, ...]
    fatality_range: FatalityRange | None
    verdict: str  # overall_verdict of the merged event
    quote: str | None  # the first evidence quote of the first member, if any


def summarize(event: MergedEvent) -> EventSummary:
    """The listing's summary of one merged event."""
    first = event.members[0].evidence if event.members else ()
    return EventSummary(
        id=event.id,
        members=tuple(m.id for m in event.members),
        document_ids=event.document_ids,
        status=event.status,
        event_date=event.event_date,
        date_precision=event.date_precision,
        event_type=event.event_type,
        sub_event_type=event.sub_event_type,
        plover_type=event.plover_type,
        actor1=event.actor1,
        actor2=event.actor2,
        location=event.location,
        fatalities=event.fatalities,
        merged_on=event.merged_on,
        fatality_range=event.fatality_range,
        verdict=overall_verdict(event),
        quote=first[0].quote if first else None,
    )
