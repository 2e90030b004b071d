"""Place mentions in a spaCy ``Doc``, linked to the gazetteer.

``sitroom.extract.toponyms`` finds the spans and their gazetteer readings; each is resolved here by
population and feature priors and the document's own geography (countries named, unambiguous
places, proximity: ``place_rules``), then by the learned model over the rules' readings
(``place_ranker``), and a name the gazetteer cannot place inside its qualifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sitroom.extract.place_features import NameSlot
from sitroom.extract.place_ranker import PlaceRanker, default_ranker
from sitroom.extract.place_rules import Rules, resolution_rules, resolve_by_rules
from sitroom.extract.toponyms import Demonyms, Toponym, recognise
from sitroom.geometry import distance_km
from sitroom.knowledge.folding import fold
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.knowledge.loader import Overrides
from sitroom.records import Location, Mention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


# Gazetteer features (Place.feature, not words) of places at one spot, which an event can be
# located at exactly: a town, an airport.
SPOT_FEATURES = frozenset({"city", "facility"})


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """What is known about a document's geography before reading it (ISO2 country hint)."""

    country: str | None = None


def precision_for(place: Place, *, near: bool) -> int:
    """ACLED geo-precision: 1 the town (or airport) itself, 2 near one or in a part of a region
    (a US county), 3 only a region or country."""
    if place.feature == "admin2":
        return 2
    if place.feature not in SPOT_FEATURES:
        return 3
    return 2 if near else 1


def is_near(doc: Doc, start: int, *, overrides: Overrides = ()) -> bool:
    """Whether the words before a place name starting at ``start`` (chars) say "near" or alike."""
    before = doc.char_span(max(0, start - 40), start, alignment_mode="expand")
    if before is None:
        return False
    words = [t.lower_ for t in before]
    return any(w in resolution_rules(overrides).near_words for w in words[-4:])


def find_places(
    doc: Doc,
    *,
    document_id: str,
    gazetteer: Gazetteer,
    context: PlaceContext | None = None,
    demonyms: Demonyms | None = None,
    every_toponym: bool = False,
    overrides: Overrides = (),
    ranker: PlaceRanker | Literal["packaged"] | None = "packaged",
) -> list[Mention]:
    """Place mentions (chars into ``doc.text``), each resolved to a ``Place`` or left ``None``.

    By default only the names of places an event can be located at are returned, and a
    continent, sea or region spanning countries is found (so that it is not read as a namesake
    village) but left ``None``. ``every_toponym`` adds what geoparsing gold sets also count as
    toponyms: adjectives of place ('Syrian', via ``demonyms``, a country adjective -> ISO2
    lookup), names inside organisation names ('New York' Times), regions resolved. Adjectives
    inform the resolution of other names either way. ``overrides``: the user's data files
    (``Config.overrides()``), for place_rules.yaml. Readings are ranked by the hand-set rules,
    then by ``ranker`` over them (the packaged learned model by default; the rules alone where
    it is None or unusable).
    """
    read = _read(doc, gazetteer, context, demonyms, overrides, ranker)
    if every_toponym:
        return [_mention(f, place, document_id, "place") for f, place in read]
    return [
        _mention(f, locatable(place), document_id, "place") for f, place in read if f.kind == "name"
    ]


@dataclass(frozen=True, slots=True)
class PlaceMentions:
    """A document's place mentions, from one reading: ``names`` of places (kind 'place', as
    ``find_places`` returns them but with continents, seas and regions spanning countries
    resolved: ``locatable`` says where an event may be located), and ``modifiers`` (kind
    'place_modifier'): adjectives of place ('Syrian') and names inside other names ('Kentucky'
    State Police), resolved where they can be, which tell what a report concerns, not where."""

    names: list[Mention]
    modifiers: list[Mention]


def read_places(
    doc: Doc, *, document_id: str, gazetteer: Gazetteer, demonyms: Demonyms, overrides: Overrides
) -> PlaceMentions:
    """``find_places``' names and the document's place modifiers, from one reading (chars;
    no country hint, the packaged ranker)."""
    read = _read(doc, gazetteer, None, demonyms, overrides, "packaged")
    return PlaceMentions(
        [_mention(f, p, document_id, "place") for f, p in read if f.kind == "name"],
        [_mention(f, p, document_id, "place_modifier") for f, p in read if f.kind != "name"],
    )


def _read(
    doc: Doc,
    gazetteer: Gazetteer,
    context: PlaceContext | None,
    demonyms: Demonyms | None,
    overrides: Overrides,
    ranker: PlaceRanker | Literal["packaged"] | None,
) -> list[tuple[Toponym, Place | None]]:
    """Every toponym of the document with its reading (None: unresolved)."""
    rules = resolution_rules(overrides)
    context = context or PlaceContext()
    hint = context.country.upper() if context.country else None
    found = recognise(doc, gazetteer, demonyms=demonyms, hint=context.country, overrides=overrides)
    if ranker == "packaged":
        ranker = default_ranker()
    slots = name_slots(found, overrides=overrides)
    if ranker is not None:
        resolved = ranker.resolve(slots, gazetteer=gazetteer, hint=hint, overrides=overrides)
    else:
        resolved = resolve_by_rules(slots, gazetteer=gazetteer, rules=rules, hint=hint)
    return list(zip(found, within_qualifiers(found, resolved, rules), strict=True))


def locatable(place: Place | None) -> Place | None:
    """A name's reading where an event can be located at it: no continent, sea or region
    spanning countries (None)."""
    return None if place is not None and place.feature == "region" else place


def _mention(f: Toponym, place: Place | None, document_id: str, kind: str) -> Mention:
    return Mention(
        document_id=document_id,
        start=f.span.start_char,
        end=f.span.end_char,
        text=f.span.text,
        kind=kind,
        place=place,
    )


# -- resolution ----------------------------------------------------------------------------


def name_slots(found: Sequence[Toponym], *, overrides: Overrides = ()) -> list[NameSlot]:
    """The ranker's view of each found name: folded name, readings (a province named like its
    seat read as the city), and the region or country a qualifier right after it names."""
    rules = resolution_rules(overrides)
    spans = [f.span for f in found]
    readings = [_cities_before_provinces(f.readings) for f in found]
    return [
        NameSlot(
            fold(span.text),
            span.text,
            tuple(cands),
            frozenset(_qualifier(span, spans[i + 1], readings[i + 1], rules))
            if i + 1 < len(spans)
            else frozenset(),
        )
        for i, (span, cands) in enumerate(zip(spans, readings, strict=True))
    ]


def _qualifier(
    span: Span, after: Span, readings: Sequence[Place], rules: Rules
) -> set[tuple[str, str | None]]:
    """Where "X, Y" or "X in Y" puts X: in region or country Y ("Springfield, Illinois",
    "EDMONTON, Ky.", "Ariha in Idlib province"), as (country, region) pairs, region None for a
    whole country."""
    doc = span.doc
    link = doc[span.end].lower_ if after.start == span.end + 1 else None
    if link not in rules.qualifier_links or _list_item(after, rules):
        return set()
    out: set[tuple[str, str | None]] = set()
    for p in readings:
        if p.feature == "admin1":
            out.add((p.country, p.name))
        elif p.feature == "country":
            out.add((p.country, None))
        elif link in rules.province_links and p.admin1 and fold(p.admin1) == fold(p.name):
            # "in Idlib (province)": a province's seat read as the city still names the province
            out.add((p.country, p.admin1))
    return out


def within_qualifiers(
    found: Sequence[Toponym], resolved: Sequence[Place | None], rules: Rules
) -> list[Place | None]:
    """A name the gazetteer cannot place inside the town, county or region named right after
    it ("Kfraya in Idlib province", "EDMONTON, Ky": a village or district below the
    gazetteer's cut, or known only as a namesake elsewhere) reads as that place: it lies
    there, where its namesake does not; so do the unknown names listed before it
    ("Foua and Kfraya in Idlib"). A qualifier read as a town or a country that is also the
    first-level region holding the name's place is that region ("Bronx, New York", "Atlanta,
    Georgia": the states)."""
    out = list(resolved)
    for i in range(len(found) - 1):
        f, after, place, within = found[i], found[i + 1], resolved[i], resolved[i + 1]
        if f.kind != "name" or after.kind != "name" or within is None:
            continue
        if not _qualifies(f.span, after.span, rules):
            continue
        if within.feature in _CONTAINERS and _elsewhere(place, within, rules):
            out[i] = within
        elif place is not None and place.feature in _POINTS and within.feature != "admin1":
            out[i + 1] = next(
                (
                    r
                    for r in after.readings
                    if r.feature == "admin1"
                    and r.country == place.country
                    and fold(r.name) == fold(place.admin1 or "")
                ),
                within,
            )
        j = i - 1 if within.feature in _CONTAINERS else -1
        while (
            j >= 0 and found[j].kind == "name" and _listed(found[j].span, found[j + 1].span, rules)
        ):
            out[j] = within if resolved[j] is None else out[j]
            j -= 1
    return out


def _elsewhere(place: Place | None, within: Place, rules: Rules) -> bool:
    """Whether a name read as ``place`` (None: not read) but qualified by ``within`` is placed
    outside it. A town far from the town named after it is a part of that town only when small
    (a district named with its town; not "wrong-footed Ankara, Cairo", "a rally for Gaza in
    London")."""
    if place is None:
        return True
    if place.feature not in _POINTS or _inside(place, within, rules):
        return False
    return within.feature != "city" or place.population < rules.max_part_population


# What a name can lie within (a country is too coarse to stand for a village), and what such a
# name reads as.
_CONTAINERS = frozenset({"city", "admin2", "admin1"})
_POINTS = frozenset({"city", "admin2", "facility"})


def _qualifies(span: Span, after: Span, rules: Rules) -> bool:
    """Whether ``after`` surely qualifies ``span``: "X, Y" or "X in (the) Y", no word of a list
    after Y ("X, Y and Z"; not even a comma, which may close a qualifier but may as well go on
    with a list)."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ not in rules.qualifier_links:
        return False
    gap = doc[span.end + 1 : after.start]
    if any(t.lower_ not in rules.qualifier_articles for t in gap):
        return False
    return after.end >= len(doc) or doc[after.end].lower_ not in rules.list_words


def _list_item(span: Span, rules: Rules) -> bool:
    """Whether the word after a name makes it an item of a list ("Washington, New York and San
    Francisco"), not a qualifier; a word that also links a qualifier may close one
    ("Springfield, Illinois, said")."""
    doc = span.doc
    if span.end >= len(doc):
        return False
    word = doc[span.end].lower_
    return word in rules.list_words and word not in rules.qualifier_links


def _listed(span: Span, after: Span, rules: Rules) -> bool:
    """Whether ``span`` and ``after`` are neighbouring items of a list ("Foua and Kfraya")."""
    return after.start == span.end + 1 and span.doc[span.end].lower_ in rules.list_words


def _inside(place: Place, within: Place, rules: Rules) -> bool:
    if within.feature == "admin1":
        return place.country == within.country and fold(place.admin1 or "") == fold(within.name)
    return distance_km(place, within) <= rules.near_km


def _cities_before_provinces(cands: Sequence[Place]) -> list[Place]:
    """A province named like the city in it reads as the city ('Idlib', 'Homs'): news writes
    'Idlib province' when it means the province, and that reading comes without the city."""
    seats = {
        (p.country, fold(p.name))
        for p in cands
        if p.feature == "city" and p.admin1 is not None and fold(p.admin1) == fold(p.name)
    }
    return [p for p in cands if p.feature != "admin1" or (p.country, fold(p.name)) not in seats]


def location_of(place: Place, *, precision: int) -> Location:
    """An event's or claim's Location at a gazetteer place (ACLED geo-precision 1-3)."""
    return Location(
        name=place.name,
        geonameid=place.geonameid,
        latitude=place.latitude,
        longitude=place.longitude,
        country=place.country,
        admin1=place.name if place.feature == "admin1" else place.admin1,
        geo_precision=precision,
    )
