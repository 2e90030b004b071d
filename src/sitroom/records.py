"""Typed records that flow between sitroom's stages.

Every record is a frozen dataclass. Conversion to JSON happens only at the edges (CLI, export,
API). Character offsets are Python string indices into ``Document.text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

# Vocabularies shared by stages, stored and exported as plain strings.
ACTOR_KINDS = (
    "state",
    "state_forces",
    "armed_group",
    "militia",
    "political",
    "person",
    "organisation",
    "civilians",
    "unknown",
)
# Kinds that bear arms: an attack on one is a battle, an attack by one is political violence,
# sending one is a deployment.
ARMED_KINDS = frozenset({"state_forces", "armed_group", "militia"})
EVENT_STATUSES = ("reported", "claimed", "denied", "planned", "background")
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")
# The note an event carries when its date is the day its report named before it, not one its
# own sentence gives: the merge may use such a date, but it proves no two tellings one incident.
DATE_TOLD_BEFORE = "told before (none in the sentence)"
# place_modifier: an adjective of place ('Syrian') or a place name inside another name ('Kentucky'
# State Police): it tells what a report concerns, and no event is located at it.
MENTION_KINDS = ("actor", "place", "place_modifier", "date", "quantity")
RELATION_PREDICATES = ("supports", "opposes", "allied_with", "part_of")
CONTROL_STATUSES = ("captured", "held", "contested", "advancing", "lost")


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact came from: a span of one document's text (chars) and its quote."""

    document_id: str
    start: int
    end: int
    quote: str
    # Char offset of the word that tells the event in this quote (an event's evidence only: an
    # incident told several times has one quote, and one trigger, per telling).
    trigger: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One report. ``id`` is a hash of the text; ``ref`` is the input's own id or path."""

    id: str
    ref: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. ``feature`` is 'country', 'admin1', 'admin2' (a US county), 'city',
    'facility' (an airport) or 'region' (a continent, sea or region spanning countries, whose
    ``country`` is ''); lat/lon in degrees."""

    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    country: str  # ISO 3166-1 alpha-2; '' for a region
    admin1: str | None = None  # first-level region name
    feature: str = "city"
    population: int = 0


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened. ``geo_precision`` (ACLED): 1 town, 2 near it or part of a region,
    3 region or country only. ``inferred``: not named where the event is told (the report's
    country for an incident whose sentence names no place), so it never places two events
    together."""

    name: str
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    country: str | None
    admin1: str | None
    geo_precision: int | None
    inferred: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an actor, a place, a date or a quantity (chars)."""

    document_id: str
    start: int
    end: int
    text: str
    kind: str  # one of MENTION_KINDS
    actor_id: str | None = None
    place: Place | None = None
    value: str | None = None  # resolved date (ISO) or number, as text


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor. ``id`` is a stable slug, e.g. 'SYR-GOV' or 'new:wagner-group'."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "unknown"
    country: str | None = None  # ISO 3166-1 alpha-2, where the actor belongs to one
    parent: str | None = None  # actor id this one is part of (forces -> state)


def lineage(actor_id: str, actors: Mapping[str, Actor]) -> set[str]:
    """An actor and the actors it is part of, through ``parent`` (forces -> state), as far as
    ``actors`` knows them."""
    chain = {actor_id}
    current = actors.get(actor_id)
    while current is not None and current.parent is not None and current.parent not in chain:
        chain.add(current.parent)
        current = actors.get(current.parent)
    return chain


def one_line(a: str, b: str, actors: Mapping[str, Actor]) -> bool:
    """Whether two actor ids are one actor or one part of the other (the US-led coalition and
    the US military), as far as ``actors`` knows them."""
    return a == b or a in lineage(b, actors) or b in lineage(a, actors)


@dataclass(frozen=True, slots=True)
class Event:
    """One event as one report tells it. Actor fields hold actor ids; dates are resolved."""

    id: str
    document_id: str
    status: str  # one of EVENT_STATUSES
    event_date: dt.date | None
    date_precision: str  # one of DATE_PRECISIONS
    event_type: str | None  # ACLED event type, None where it is not one of ACLED's kinds
    sub_event_type: str | None
    plover_type: str
    plover_mode: str | None
    actor1: str | None
    actor2: str | None
    assoc_actor_1: tuple[str, ...] = ()
    assoc_actor_2: tuple[str, ...] = ()
    location: Location | None = None
    fatalities: int | None = None
    fatalities_text: str | None = None
    trigger: str = ""
    claimed_by: str | None = None  # actor id of the party the report attributes the claim to
    evidence: tuple[Evidence, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Relation:
    """A dated, sourced edge of the alliance graph: subject <predicate> object."""

    subject: str
    predicate: str  # one of RELATION_PREDICATES
    object: str
    date: dt.date | None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class ControlClaim:
    """A report's claim of who holds, took or is advancing on a place, and when."""

    place: Location
    controller: str  # actor id
    status: str  # one of CONTROL_STATUSES
    date: dt.date | None
    date_precision: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything extracted from one document.

    ``events`` are the document's incidents (one per act told, each with every quote that tells
    it as evidence): what is stored, merged and exported; ``main_event`` is one of their ids.
    ``event_mentions`` are the event mentions as extracted, one per telling, each with its own
    type, arguments and quote, those that tell no incident (a habit, a wave of attacks) included;
    they are the pipeline's in-memory output for mention-level scoring and debugging, and
    ``strongest_mention`` is the id of the one ``main_event`` would pick among them. The store
    keeps incidents only: an Analysis built from stored rows has neither.
    """

    document: Document
    mentions: tuple[Mention, ...] = ()
    actors: tuple[Actor, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    control: tuple[ControlClaim, ...] = ()
    main_event: str | None = None
    event_mentions: tuple[Event, ...] = ()
    strongest_mention: str | None = None
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Picture:
    """The stored situation picture over all documents, as exports and reports read it."""

    documents: tuple[Document, ...] = ()
    actors: tuple[Actor, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    control: tuple[ControlClaim, ...] = ()
    main_events: dict[str, str | None] = field(default_factory=dict)  # document id -> event id
