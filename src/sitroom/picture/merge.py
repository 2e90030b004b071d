"""Reports of one real-world event, within a report and across reports, become one MergedEvent.

Two events are the same when nothing vetoes it (background vs current status, different event
types, disjoint actors, places apart, dates a window apart, very different fatality figures on
a weak match) and at least two of place, date and actors positively agree.

Events are visited in a canonical order: their document's publication date (unknown last), then
document id, position in the text and event id. Each joins the best-matching group all of whose
members it matches (complete link), or starts a group. Sorting makes the result independent of
input order; visiting in publication order means a report published after all the others can
join a group but never reshapes the groups formed before it.

Ids: a merged event's id is ``content_id("merged-event", first.id)``, ``first`` being its first
member in that order (the earliest report's event). A source published later joining an event
keeps its id; only a back-filled report published before all of its members changes it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

from sitroom.ids import content_id
from sitroom.picture.blocking import BlockIndex
from sitroom.picture.ledger import (
    DEFAULT_RULES,
    FieldClaim,
    MergedEvent,
    MergeRules,
    date_gap,
    place_match,
    related,
)
from sitroom.picture.reconcile import fatality_range, field_claims, independent_sources
from sitroom.records import DATE_PRECISIONS, Actor, Document, Event

T = TypeVar("T", bound=Hashable)

# Feature families and their levels, strongest first; a merged event reports, per family, the
# weakest level over all pairs of its members. Weights rank candidate groups for a new event.
_LEVELS: dict[str, tuple[str, ...]] = {
    "type": ("sub_event_type", "event_type", "plover_type"),
    "actors": ("overlap", "one-missing"),
    "place": ("same", "near", "region", "unknown"),
    "date": ("same", "days", "period", "unknown"),
    "fatalities": ("same", "close", "far", "unknown"),
}
_WEIGHTS: dict[str, tuple[int, ...]] = {
    "type": (2, 1, 0),
    "actors": (2, 0),
    "place": (3, 2, 1, 0),
    "date": (3, 2, 1, 0),
    "fatalities": (1, 0, 0, 0),
}
# At least this many of place (same or near), date (known, in window) and actors (overlapping)
# must agree: a shared event type alone does not make two reports one event.
_MIN_STRONG = 2

Levels = dict[str, str]


def _type_level(a: Event, b: Event) -> str | None:
    if a.event_type is not None and b.event_type is not None:
        if a.event_type != b.event_type:
            return None
        same_sub = a.sub_event_type is not None and a.sub_event_type == b.sub_event_type
        return "sub_event_type" if same_sub else "event_type"
    return "plover_type" if a.plover_type == b.plover_type else None


def _actor_set(event: Event) -> set[str]:
    ids = {event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2}
    return {a for a in ids if a is not None}


def _parties(event: Event, actors: Mapping[str, Actor]) -> set[str]:
    return {x for x in _actor_set(event) if x not in actors or actors[x].kind != "civilians"}


def _actor_level(a: Event, b: Event, actors: Mapping[str, Actor]) -> str | None:
    # Victims are no party that tells one event from another: two strikes on two towns both
    # kill civilians of the country (records.ACTOR_KINDS' "civilians").
    ours, theirs = _parties(a, actors), _parties(b, actors)
    if not ours or not theirs:
        return "one-missing"
    return "overlap" if any(related(x, y, actors) for x in ours for y in theirs) else None


def _date_level(a: Event, b: Event, rules: MergeRules) -> str | None:
    gap = date_gap(a.event_date, a.date_precision, b.event_date, b.date_precision)
    if gap is None:
        return "unknown"
    if gap > rules.day_window:
        return None
    if a.date_precision == b.date_precision == "day":
        return "same" if gap == 0 else "days"
    return "period"


def _fatality_level(a: Event, b: Event, rules: MergeRules) -> str:
    if a.fatalities is None or b.fatalities is None:
        return "unknown"
    if a.fatalities == b.fatalities:
        return "same"
    low, high = sorted((a.fatalities, b.fatalities))
    return "far" if (high + 1) / (low + 1) >= rules.fatality_factor else "close"


def match_events(
    a: Event, b: Event, *, actors: Mapping[str, Actor], rules: MergeRules = DEFAULT_RULES
) -> Levels | None:
    """The level of each feature family (see _LEVELS) where two events tell one, else None."""
    if (a.status == "background") != (b.status == "background"):
        return None
    # A threat or plan is its own event, not an early report of the act it announces.
    if (a.status == "planned") != (b.status == "planned"):
        return None
    # Cheapest tests first: most pairs fail on type or date.
    kind = _type_level(a, b)
    if kind is None:
        return None
    date = _date_level(a, b, rules)
    if date is None:
        return None
    place = place_match(a.location, b.location, max_km=rules.max_km)
    if place is None:
        return None
    who = _actor_level(a, b, actors)
    if who is None:
        return None
    strong = (place in ("same", "near")) + (date != "unknown") + (who == "overlap")
    if strong < _MIN_STRONG:
        return None
    fatalities = _fatality_level(a, b, rules)
    if fatalities in ("close", "far") and a.document_id == b.document_id:
        return (
            None  # a report giving two figures tells two incidents; it does not contradict itself
        )
    if fatalities == "far" and not (strong == 3 and date in ("same", "days")):
        return None  # "300 killed" and "25 killed" are one event only if all else agrees closely
    return {"type": kind, "actors": who, "place": place, "date": date, "fatalities": fatalities}


def weakest(a: Levels, b: Levels) -> Levels:
    return {f: max(a[f], b[f], key=_LEVELS[f].index) for f in _LEVELS}


def _join(
    event: Event, cluster: Sequence[Event], *, actors: Mapping[str, Actor], rules: MergeRules
) -> Levels | None:
    """Weakest levels between ``event`` and every member of a group; None if one does not match."""
    joined: Levels | None = None
    for member in cluster:
        levels = match_events(member, event, actors=actors, rules=rules)
        if levels is None:
            return None
        joined = levels if joined is None else weakest(joined, levels)
    return joined


def _score(levels: Levels) -> int:
    return sum(_WEIGHTS[f][_LEVELS[f].index(levels[f])] for f in _LEVELS)


VisitKey = tuple[dt.date, str, int, str]


def visit_key(event: Event, published: dt.date | None) -> VisitKey:
    """Where an event comes in the merge's visiting order: its document's publication date
    (``published``; unknown last), document id, first evidence offset (chars), event id."""
    start = min((ev.start for ev in event.evidence), default=0)
    return (published or dt.date.max, event.document_id, start, event.id)


def _canonical(events: Sequence[Event], documents: Mapping[str, Document]) -> list[Event]:
    """Events without duplicate ids, in visiting order (publication date, document, offset)."""
    unique: dict[str, Event] = {}
    for event in sorted(events, key=lambda e: (e.id, repr(e))):
        unique.setdefault(event.id, event)

    def key(event: Event) -> VisitKey:
        document = documents.get(event.document_id)
        return visit_key(event, document.published if document else None)

    return sorted(unique.values(), key=key)


def _pick(
    members: Sequence[Event],
    value: Callable[[Event], T | None],
    groups: Mapping[str, str],
    rank: Callable[[T], int] | None = None,
) -> T | None:
    """The value most independent sources give (after ``rank``, lower first); ties: the value
    more of the members tell, then the earliest."""
    support: defaultdict[T, set[str]] = defaultdict(set)
    told: defaultdict[T, int] = defaultdict(int)
    first: dict[T, int] = {}
    for i, event in enumerate(members):
        found = value(event)
        if found is not None:
            support[found].add(groups.get(event.document_id, event.document_id))
            told[found] += 1
            first.setdefault(found, i)
    if not support:
        return None
    return min(
        support, key=lambda v: (rank(v) if rank else 0, -len(support[v]), -told[v], first[v])
    )


def merged_event(
    members: Sequence[Event],
    levels: Levels | None,
    *,
    groups: Mapping[str, str],
    actors: Mapping[str, Actor],
    rules: MergeRules,
    known_claims: tuple[int, Sequence[FieldClaim]] | None = None,
) -> MergedEvent:
    """The merged event of a group's ``members`` (in visiting order) linked at ``levels``;
    ``known_claims``: the claims of its first members, where the rest were appended to them
    (``field_claims``' ``known``)."""
    dated = _pick(
        members,
        lambda e: (e.event_date, e.date_precision) if e.event_date else None,
        groups,
        rank=lambda d: DATE_PRECISIONS.index(d[1]) if d[1] in DATE_PRECISIONS else 9,
    )
    # A named place before an inferred one of the same precision.
    location = _pick(
        members, lambda e: e.location, groups, rank=lambda p: (p.geo_precision or 9) + p.inferred
    )
    fatalities = fatality_range(members)
    return MergedEvent(
        id=content_id("merged-event", members[0].id),
        members=tuple(members),
        document_ids=tuple(dict.fromkeys(e.document_id for e in members)),
        status=_pick(members, lambda e: e.status, groups) or members[0].status,
        event_date=dated[0] if dated else None,
        date_precision=dated[1] if dated else "unknown",
        event_type=_pick(members, lambda e: e.event_type, groups),
        sub_event_type=_pick(members, lambda e: e.sub_event_type, groups),
        plover_type=_pick(members, lambda e: e.plover_type, groups) or members[0].plover_type,
        actor1=_pick(members, lambda e: e.actor1, groups),
        actor2=_pick(members, lambda e: e.actor2, groups),
        location=location,
        fatalities=fatalities.best if fatalities else None,
        merged_on=tuple(f"{f}:{levels[f]}" for f in _LEVELS) if levels else (),
        claims=field_claims(members, groups=groups, actors=actors, rules=rules, known=known_claims),
        fatality_range=fatalities,
    )


def best_group(
    event: Event,
    candidates: Iterable[tuple[T, Sequence[Event]]],
    *,
    actors: Mapping[str, Actor],
    rules: MergeRules,
) -> tuple[T, Levels] | None:
    """The candidate group (key, members) ``event`` joins: the best score, the first on a tie;
    with the levels it joins at. None where it joins none."""
    best: tuple[int, T, Levels] | None = None
    for key, members in candidates:
        joined = _join(event, members, actors=actors, rules=rules)
        if joined is not None and (best is None or _score(joined) > best[0]):
            best = (_score(joined), key, joined)
    return None if best is None else (best[1], best[2])


def link_levels(
    members: Sequence[Event], *, actors: Mapping[str, Actor], rules: MergeRules
) -> Levels | None:
    """The weakest levels over every pair of a group's members (None for one member), as the
    merge records them member by member; None also where a pair does not match."""
    levels: Levels | None = None
    for i, member in enumerate(members[1:], start=1):
        joined = _join(member, members[:i], actors=actors, rules=rules)
        if joined is None:
            return None
        levels = joined if levels is None else weakest(levels, joined)
    return levels


def _add(
    clusters: list[list[Event]],
    links: list[Levels | None],
    event: Event,
    candidates: Iterable[int],
    *,
    actors: Mapping[str, Actor],
    rules: MergeRules,
) -> int:
    """Join ``event`` to the best-scoring candidate group (lowest index on a tie), or start one;
    the index of its group."""
    best = best_group(event, ((i, clusters[i]) for i in candidates), actors=actors, rules=rules)
    if best is None:
        clusters.append([event])
        links.append(None)
        return len(clusters) - 1
    i, joined = best
    clusters[i].append(event)
    previous = links[i]
    links[i] = joined if previous is None else weakest(previous, joined)
    return i


def merge_events(
    events: Sequence[Event],
    *,
    documents: Mapping[str, Document],
    actors: Mapping[str, Actor] | None = None,
    groups: Mapping[str, str] | None = None,
    rules: MergeRules = DEFAULT_RULES,
) -> tuple[MergedEvent, ...]:
    """Group events that tell one real-world event; one MergedEvent per group, claims included.

    ``documents`` (id -> Document) gives publication order and wire copies; ``actors`` (id ->
    Actor), where given, lets a force match the state it is part of; ``groups`` (document id ->
    source group, from ``independent_sources``) saves recomputing them when the caller has them.
    An event is tried only against the groups that ``sitroom.picture.blocking`` finds for it,
    which are all the groups it could match; the result is that of ``merge_events_exhaustive``.
    """
    return _merge(events, documents, actors, groups, rules, blocked=True)


def merge_events_exhaustive(
    events: Sequence[Event],
    *,
    documents: Mapping[str, Document],
    actors: Mapping[str, Actor] | None = None,
    groups: Mapping[str, str] | None = None,
    rules: MergeRules = DEFAULT_RULES,
) -> tuple[MergedEvent, ...]:
    """The reference merge: every event tried against every group (quadratic). The tests hold
    ``merge_events`` to it; nothing else should call it."""
    return _merge(events, documents, actors, groups, rules, blocked=False)


def _merge(
    events: Sequence[Event],
    documents: Mapping[str, Document],
    actors: Mapping[str, Actor] | None,
    groups: Mapping[str, str] | None,
    rules: MergeRules,
    *,
    blocked: bool,
) -> tuple[MergedEvent, ...]:
    actors = actors or {}
    if groups is None:
        groups = independent_sources(documents, rules=rules)
    clusters: list[list[Event]] = []
    links: list[Levels | None] = []
    index = BlockIndex(rules)
    for event in _canonical(events, documents):
        candidates = index.candidates(event) if blocked else range(len(clusters))
        i = _add(clusters, links, event, candidates, actors=actors, rules=rules)
        if blocked and len(clusters[i]) == 1:
            # A group is found by its first member's keys: an event that matches a group
            # matches every member, the first one included.
            index.add(i, event)
    return tuple(
        merged_event(members, levels, groups=groups, actors=actors, rules=rules)
        for members, levels in zip(clusters, links, strict=True)
    )
