"""Records of the merge and reconcile stages: merged events, the claim ledger, control, alliances.

A ``MergedEvent`` is one real-world event told by one or more reports; its ``claims`` say, field
by field, what each source reported and whether independent sources agree. The comparisons of
dates, places and actors that both stages apply live here too, so that "same event" (merge) and
"same claim" (reconcile) cannot drift apart.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from sitroom.geometry import haversine_km
from sitroom.records import Actor, Document, Event, Evidence, Location, one_line

VERDICTS = ("corroborated", "single-source", "contradicted")
# Fields the claim ledger compares across the reports of one event.
CLAIM_FIELDS = ("event_date", "location", "actor1", "actor2", "fatalities", "status", "event_type")


@dataclass(frozen=True, slots=True)
class MergeRules:
    """When two reports tell one event: distances in km, windows in days, Jaccard in 0..1."""

    max_km: float = 25.0
    # Two day-precision dates this many days apart still tell one event (reports lag, time zones).
    day_window: int = 2
    # Fatality figures this many times apart (on counts plus one) keep weakly matched events apart.
    fatality_factor: float = 4.0
    wire_jaccard: float = 0.8
    shingle_words: int = 5


DEFAULT_RULES = MergeRules()
# Which merge and reconcile rules built a stored picture (sitroom.store keeps it beside the
# picture): raise the number whenever a change to this package would build a different picture
# from the same stored events, so that stored pictures ask for `sitroom rebuild`.
RULES_VERSION = f"3 {DEFAULT_RULES!r}"


@dataclass(frozen=True, slots=True)
class SourceValue:
    """One report's value for one field of a merged event, with the sentence behind it."""

    value: str | None
    evidence: Evidence
    event_id: str
    source_group: str  # documents that are copies of one text share a group (wire copies)
    claimed_by: str | None = None  # actor id of the party the report attributes the claim to
    by_party: bool = False


@dataclass(frozen=True, slots=True)
class FieldClaim:
    """Every source's value for one field and the verdict over them (one of VERDICTS)."""

    field: str  # one of CLAIM_FIELDS
    values: tuple[SourceValue, ...]
    verdict: str
    agreed: tuple[SourceValue, ...] = ()  # the values two independent voices give alike


@dataclass(frozen=True, slots=True)
class FatalityRange:
    """Fatality figures across reports; ``best`` is the lowest figure not given by a party."""

    low: int
    best: int
    high: int
    low_docs: tuple[str, ...]
    best_docs: tuple[str, ...]
    high_docs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MergedEvent:
    """One real-world event. The fields are the best-supported values over ``members``."""

    id: str  # content_id("merged-event", first member's id); see sitroom.picture.merge
    members: tuple[Event, ...]
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
    merged_on: tuple[str, ...] = ()  # "family:level" features every pair of members shares
    claims: tuple[FieldClaim, ...] = ()
    fatality_range: FatalityRange | None = None

    def claim(self, field: str) -> FieldClaim | None:
        """The ledger entry for one of CLAIM_FIELDS, None where no report gives a value."""
        return next((c for c in self.claims if c.field == field), None)


@dataclass(frozen=True, slots=True)
class ControlEntry:
    """Reports that one actor holds, took, lost or advances on a place over a run of dates."""

    controller: str
    status: str  # one of CONTROL_STATUSES
    since: dt.date | None
    until: dt.date | None
    date_precision: str  # the finest precision among the reports
    document_ids: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    verdict: str  # one of VERDICTS


@dataclass(frozen=True, slots=True)
class ControlConflict:
    """Two entries that cannot both be true at the dates they give."""

    first: ControlEntry
    second: ControlEntry
    reason: str


@dataclass(frozen=True, slots=True)
class ControlTimeline:
    """Control of one place over time. ``key`` is 'geonameid:<id>' or 'name:<folded name>'."""

    key: str
    place: Location
    entries: tuple[ControlEntry, ...]
    conflicts: tuple[ControlConflict, ...] = ()


@dataclass(frozen=True, slots=True)
class AllianceEdge:
    """All reports of one subject <predicate> object edge, with the dates they span."""

    subject: str
    predicate: str  # one of RELATION_PREDICATES
    object: str
    first_seen: dt.date | None
    last_seen: dt.date | None
    document_ids: tuple[str, ...]
    evidence: tuple[Evidence, ...]


# -- comparing values: merge (same event?) and reconcile (same claim?) ---------------------


@functools.lru_cache(maxsize=1 << 14)
def date_span(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """First and last day a resolved date may stand for at its precision (kept: the merge asks
    for the same few dates' spans hundreds of thousands of times)."""
    if precision == "day":
        return day, day
    if precision == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    # A week date is the week's Monday (sitroom.extract.dates) or a publication date standing in for
    # an undated event (sitroom.extract); a week either side covers both readings.
    week = dt.timedelta(days=6)
    return day - week, day + week


def date_gap(
    a: dt.date | None, a_precision: str, b: dt.date | None, b_precision: str
) -> int | None:
    """Days between the spans of two dates, 0 where they overlap; None where either is unknown."""
    if a is None or b is None:
        return None
    a0, a1 = date_span(a, a_precision)
    b0, b1 = date_span(b, b_precision)
    return max(0, (b0 - a1).days, (a0 - b1).days)


def fold_name(name: str) -> str:
    """A name as a comparison key: case and runs of space folded."""
    return " ".join(name.casefold().split())


def _contains(region: Location, place: Location) -> bool:
    """Whether a region- or country-precision location holds ``place`` (same country/admin1)."""
    if region.geo_precision != 3 or region.country is None or region.country != place.country:
        return False
    if region.admin1 is None:  # a country
        return True
    return place.admin1 is not None and fold_name(region.admin1) == fold_name(place.admin1)


def place_match(a: Location | None, b: Location | None, *, max_km: float) -> str | None:
    """'same', 'near' (≤ max_km), 'region' (one holds the other), 'unknown', or None: apart."""
    if a is None or b is None:
        return "unknown"
    if a.inferred or b.inferred:
        # An inferred place (the report's country) says only which war: never "same".
        same_country = a.country is not None and a.country == b.country
        return "region" if same_country else None
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return "same"
    if a.geo_precision == 3 or b.geo_precision == 3:
        # A region's centroid says nothing about where in it the event was.
        return "region" if _contains(a, b) or _contains(b, a) else None
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return "same" if fold_name(a.name) == fold_name(b.name) else "unknown"
    near = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= max_km
    return "near" if near else None


def related(a: str, b: str, actors: Mapping[str, Actor]) -> bool:
    """Whether two actor ids can be one actor: the same, one part of the other (forces ->
    state), or one an unidentified actor of the same kind ("an armed group" vs "HTS")."""
    if one_line(a, b, actors):
        return True
    first, second = actors.get(a), actors.get(b)
    if first is None or second is None:
        return False
    unnamed = unidentified(first) or unidentified(second)
    non_state = {first.kind, second.kind} <= {"armed_group", "militia"}
    return unnamed and (first.kind == second.kind or non_state)


def unidentified(actor: Actor) -> bool:
    """The knowledge base's stand-ins for an actor a report does not name."""
    return "unidentified" in actor.name.lower()


def overall_verdict(event: MergedEvent) -> str:
    """'contradicted' if any field is, else 'corroborated' if any field is, else single-source."""
    verdicts = {c.verdict for c in event.claims}
    return next((v for v in ("contradicted", "corroborated") if v in verdicts), "single-source")


@dataclass(frozen=True, slots=True)
class Ledger:
    """The picture across reports: merged events with their claims, control and alliances."""

    events: tuple[MergedEvent, ...]  # by date (undated last), then id
    control: tuple[ControlTimeline, ...]
    alliances: tuple[AllianceEdge, ...]
    source_groups: Mapping[str, str]  # document id -> source group (wire copies share one)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two reports side by side: events both tell, events only one tells, control of places."""

    first: Document
    second: Document
    same_source: bool  # copies of one text (or one text twice): agreement is not corroboration
    shared: tuple[MergedEvent, ...]
    only_first: tuple[MergedEvent, ...]
    only_second: tuple[MergedEvent, ...]
    control: tuple[ControlTimeline, ...]
