"""Place mentions in a spaCy ``Doc``, linked to the gazetteer.

``sitroom.extract.toponyms`` finds the spans and their gazetteer readings; each is resolved here by
population and feature priors and the document's own geography (countries named, unambiguous
places, proximity).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from sitroom.errors import GazetteerError
from sitroom.extract.place_features import NameSlot
from sitroom.extract.place_ranker import PlaceRanker, default_ranker
from sitroom.extract.toponyms import Demonyms, Toponym, country_vote, recognise
from sitroom.geometry import distance_km
from sitroom.knowledge import loader
from sitroom.knowledge.gazetteer import Gazetteer, fold
from sitroom.knowledge.loader import Overrides
from sitroom.records import Location, Mention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """What is known about a document's geography before reading it (ISO2 country hint)."""

    country: str | None = None


@dataclass(frozen=True, slots=True)
class _Rules:
    country_prior: float
    admin1_prior: float
    region_prior: float
    capital_bonus: float
    exact_bonus: float
    context_bonus: float
    region_bonus: float
    hint_bonus: float
    near_km: float
    near_bonus: float
    qualifier_bonus: float
    min_resolve_score: float
    near_words: frozenset[str]
    qualifier_links: frozenset[str]
    province_links: frozenset[str]


@cache
def _rules(overrides: Overrides = ()) -> _Rules:
    """The resolution half of ``data/place_rules.yaml`` (with the user's overrides of it)."""
    raw = loader.load("place_rules.yaml", overrides)
    try:
        w = raw["weights"]
        return _Rules(
            country_prior=float(w["country_prior"]),
            admin1_prior=float(w["admin1_prior"]),
            region_prior=float(w["region_prior"]),
            capital_bonus=float(w["capital_bonus"]),
            exact_bonus=float(w["exact_bonus"]),
            context_bonus=float(w["context_bonus"]),
            region_bonus=float(w["region_bonus"]),
            hint_bonus=float(w["hint_bonus"]),
            near_km=float(w["near_km"]),
            near_bonus=float(w["near_bonus"]),
            qualifier_bonus=float(w["qualifier_bonus"]),
            min_resolve_score=float(w["min_resolve_score"]),
            near_words=frozenset(raw["near_words"]),
            qualifier_links=frozenset(raw["qualifier_links"]),
            province_links=frozenset(raw["province_links"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise GazetteerError(f"{raw.source} is malformed: {e}") from e


def precision_for(place: Place, *, near: bool) -> int:
    """ACLED geo-precision: 1 the town itself, 2 near a town, 3 only a region or country."""
    if place.feature != "city":
        return 3
    return 2 if near else 1


def is_near(doc: Doc, start: int, *, overrides: Overrides = ()) -> bool:
    """Whether the words before a place name starting at ``start`` (chars) say "near" or alike."""
    before = doc.char_span(max(0, start - 40), start, alignment_mode="expand")
    if before is None:
        return False
    words = [t.lower_ for t in before]
    return any(w in _rules(overrides).near_words for w in words[-4:])


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
    (``Config.overrides()``), for place_rules.yaml. Readings are ranked by ``ranker``: the
    packaged learned model by default, the hand-set rules where it is None or unusable.
    """
    rules = _rules(overrides)
    context = context or PlaceContext()
    found = recognise(doc, gazetteer, demonyms=demonyms, hint=context.country, overrides=overrides)
    if ranker == "packaged":
        ranker = default_ranker()
    slots = name_slots(found, overrides=overrides)
    if ranker is not None:
        hint = context.country.upper() if context.country else None
        resolved = ranker.resolve(slots, gazetteer=gazetteer, hint=hint)
    else:
        readings = [list(s.candidates) for s in slots]
        resolved = _resolve([f.span for f in found], readings, gazetteer, rules, context)
    mentions = []
    for f, place in zip(found, resolved, strict=True):
        if not every_toponym:
            if f.kind != "name":
                continue
            if place is not None and place.feature == "region":
                place = None
        mentions.append(
            Mention(
                document_id=document_id,
                start=f.span.start_char,
                end=f.span.end_char,
                text=f.span.text,
                kind="place",
                place=place,
            )
        )
    return mentions


# -- resolution ----------------------------------------------------------------------------


def name_slots(found: Sequence[Toponym], *, overrides: Overrides = ()) -> list[NameSlot]:
    """The ranker's view of each found name: folded name, readings (a province named like its
    seat read as the city), and the region or country a qualifier right after it names."""
    rules = _rules(overrides)
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


def _prior(place: Place, query: str, gazetteer: Gazetteer, rules: _Rules) -> float:
    if place.feature == "country":
        score = rules.country_prior
    elif place.feature == "admin1":
        score = rules.admin1_prior
    elif place.feature == "region":
        score = rules.region_prior
    else:
        score = math.log10(place.population + 1)
        if gazetteer.is_capital(place):
            score += rules.capital_bonus
    if fold(place.name) == fold(query):
        score += rules.exact_bonus
    return score


def _resolve(
    spans: Sequence[Span],
    candidates: Sequence[Sequence[Place]],
    gazetteer: Gazetteer,
    rules: _Rules,
    context: PlaceContext,
) -> list[Place | None]:
    """Pick one candidate per span: priors and the names that settle a country first, then
    re-ranked by where the document's other names were placed. One name keeps one sense in a
    document: its occurrences pool their scores ("Edmonton, Queensland" ... "Edmonton")."""
    names = [fold(s.text) for s in spans]
    priors = [
        [_prior(p, s.text, gazetteer, rules) for p in cands]
        for s, cands in zip(spans, candidates, strict=True)
    ]
    for i in range(len(spans) - 1):
        within = _qualifier(spans[i], spans[i + 1], candidates[i + 1], rules)
        for k, place in enumerate(candidates[i]):
            if (place.country, place.admin1) in within or (place.country, None) in within:
                priors[i][k] += rules.qualifier_bonus
    hint = context.country.upper() if context.country else None
    votes = [country_vote(cands) for cands in candidates]
    first = _pick(names, candidates, priors, rules, hint, _Geography.of(names, votes))
    second = _pick(names, candidates, priors, rules, hint, _Geography.of(names, first, first))
    return second


def _qualifier(
    span: Span, after: Span, readings: Sequence[Place], rules: _Rules
) -> set[tuple[str, str | None]]:
    """Where "X, Y" or "X in Y" puts X: in region or country Y ("Springfield, Illinois",
    "EDMONTON, Ky.", "Ariha in Idlib province"), as (country, region) pairs, region None for a
    whole country."""
    doc = span.doc
    link = doc[span.end].lower_ if after.start == span.end + 1 else None
    if link not in rules.qualifier_links:
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


def _cities_before_provinces(cands: Sequence[Place]) -> list[Place]:
    """A province named like the city in it reads as the city ('Idlib', 'Homs'): news writes
    'Idlib province' when it means the province, and that reading comes without the city."""
    seats = {
        (p.country, fold(p.name))
        for p in cands
        if p.feature == "city" and p.admin1 is not None and fold(p.admin1) == fold(p.name)
    }
    return [p for p in cands if p.feature != "admin1" or (p.country, fold(p.name)) not in seats]


@dataclass(frozen=True, slots=True)
class _Geography:
    """What the document's names say, per name, so that a name never supports itself."""

    countries: dict[str, Counter[str]]  # name -> countries its occurrences establish
    regions: dict[str, Counter[tuple[str, str]]]  # name -> (country, admin1) it names
    anchors: dict[str, list[Place]]  # name -> towns it was placed at

    @classmethod
    def of(
        cls,
        names: Sequence[str],
        countries: Sequence[str | Place | None],
        places: Sequence[Place | None] = (),
    ) -> _Geography:
        by_country: dict[str, Counter[str]] = {n: Counter() for n in names}
        by_region: dict[str, Counter[tuple[str, str]]] = {n: Counter() for n in names}
        anchors: dict[str, list[Place]] = {n: [] for n in names}
        for name, c in zip(names, countries, strict=True):
            code = c.country if isinstance(c, Place) else c
            if code:
                by_country[name][code] += 1
        for name, p in zip(names, places, strict=False):
            if p is None:
                continue
            if p.feature == "admin1":
                by_region[name][(p.country, p.name)] += 1
            elif p.feature == "city":
                anchors[name].append(p)
        return cls(by_country, by_region, anchors)

    def others(self, name: str) -> tuple[Counter[str], Counter[tuple[str, str]], list[Place]]:
        countries: Counter[str] = Counter()
        regions: Counter[tuple[str, str]] = Counter()
        anchors: list[Place] = []
        for other in self.countries:
            if other != name:
                countries.update(self.countries[other])
                regions.update(self.regions[other])
                anchors.extend(self.anchors[other])
        return countries, regions, anchors


def _pick(
    names: Sequence[str],
    candidates: Sequence[Sequence[Place]],
    priors: Sequence[Sequence[float]],
    rules: _Rules,
    hint: str | None,
    geography: _Geography,
) -> list[Place | None]:
    """The best-scoring reading of each name, over the readings of all its occurrences (a
    weakly tagged occurrence may lack one that a place entity of the same name offers)."""
    scores: dict[str, dict[Place, float]] = {}
    others: dict[str, tuple[Counter[str], Counter[tuple[str, str]], list[Place]]] = {}
    for i, name in enumerate(names):
        if name not in others:
            others[name] = geography.others(name)
        countries, regions, anchors = others[name]
        table = scores.setdefault(name, {})
        for place, prior in zip(candidates[i], priors[i], strict=True):
            score = prior
            if place.country and countries[place.country] > 0:
                score += rules.context_bonus
            if hint is not None and place.country == hint:
                score += rules.hint_bonus
            if place.feature == "city":
                if place.admin1 is not None and regions[(place.country, place.admin1)] > 0:
                    score += rules.region_bonus
                if any(distance_km(a, place) <= rules.near_km for a in anchors):
                    score += rules.near_bonus
            elif place.feature == "admin1":
                # named again ("Granville County ... N.C.") or holding the document's towns
                if regions[(place.country, place.name)] > 0:
                    score += rules.region_bonus
                if any(a.country == place.country and a.admin1 == place.name for a in anchors):
                    score += rules.near_bonus
            table[place] = max(score, table.get(place, -math.inf))
    best: dict[str, Place | None] = {}
    for name, table in scores.items():
        winner = max(table.items(), key=lambda kv: kv[1], default=None)
        best[name] = winner[0] if winner and winner[1] >= rules.min_resolve_score else None
    return [best[name] if candidates[i] else None for i, name in enumerate(names)]


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
