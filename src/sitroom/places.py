"""Toponym recognition and resolution: place mentions in a spaCy ``Doc``, linked to the gazetteer.

Candidates are spaCy place entities plus other capitalised names the gazetteer knows; each is
resolved by population and feature priors and the document's own geography (countries named,
unambiguous places, proximity).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from sitroom.errors import GazetteerError
from sitroom.gazetteer import Gazetteer, light_fold
from sitroom.records import Mention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """What is known about a document's geography before reading it (ISO2 country hint)."""

    country: str | None = None


@dataclass(frozen=True, slots=True)
class _Rules:
    place_labels: frozenset[str]
    natural_labels: frozenset[str]
    other_labels: frozenset[str]
    adjective_tags: frozenset[str]
    skip_words: frozenset[str]
    country_prior: float
    admin1_prior: float
    capital_bonus: float
    exact_bonus: float
    context_bonus: float
    region_bonus: float
    hint_bonus: float
    near_km: float
    near_bonus: float
    min_other_population: int
    min_resolve_score: float
    near_words: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    try:
        text = resources.files("sitroom.data").joinpath("place_rules.yaml").read_text("utf-8")
        raw = yaml.safe_load(text)
        w = raw["weights"]
        return _Rules(
            place_labels=frozenset(raw["place_labels"]),
            natural_labels=frozenset(raw["natural_labels"]),
            other_labels=frozenset(raw["other_labels"]),
            adjective_tags=frozenset(raw["adjective_tags"]),
            skip_words=frozenset(light_fold(s) for s in raw["skip_words"]),
            country_prior=float(w["country_prior"]),
            admin1_prior=float(w["admin1_prior"]),
            capital_bonus=float(w["capital_bonus"]),
            exact_bonus=float(w["exact_bonus"]),
            context_bonus=float(w["context_bonus"]),
            region_bonus=float(w["region_bonus"]),
            hint_bonus=float(w["hint_bonus"]),
            near_km=float(w["near_km"]),
            near_bonus=float(w["near_bonus"]),
            min_other_population=int(w["min_other_population"]),
            min_resolve_score=float(w["min_resolve_score"]),
            near_words=frozenset(raw["near_words"]),
        )
    except (OSError, KeyError, TypeError, ValueError, yaml.YAMLError) as e:
        raise GazetteerError(f"place_rules.yaml is malformed: {e}") from e


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places (km)."""
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees (km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def precision_for(place: Place, *, near: bool) -> int:
    """ACLED geo-precision: 1 the town itself, 2 near a town, 3 only a region or country."""
    if place.feature != "city":
        return 3
    return 2 if near else 1


def is_near(doc: Doc, start: int) -> bool:
    """Whether the words before a place name starting at ``start`` (chars) say "near" or alike."""
    before = doc.char_span(max(0, start - 40), start, alignment_mode="expand")
    if before is None:
        return False
    words = [t.lower_ for t in before]
    return any(w in _rules().near_words for w in words[-4:])


def find_places(
    doc: Doc,
    *,
    document_id: str,
    gazetteer: Gazetteer,
    context: PlaceContext | None = None,
) -> list[Mention]:
    """Place mentions (chars into ``doc.text``), each resolved to a ``Place`` or left ``None``."""
    rules = _rules()
    spans = list(_candidate_spans(doc, gazetteer, rules))
    candidates = [_plausible(s, gazetteer.candidates(s.text), rules) for s in spans]
    resolved = _resolve(spans, candidates, gazetteer, rules, context or PlaceContext())
    return [
        Mention(
            document_id=document_id,
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            kind="place",
            place=place,
        )
        for span, place in zip(spans, resolved, strict=True)
    ]


# -- recognition ---------------------------------------------------------------------------


def _trim(span: Span) -> Span | None:
    """Drop leading determiners and trailing possessives/punctuation from an entity span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in ("the", "a", "an")):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
        end -= 1
    return doc[start:end] if end > start else None


def _adjectival(span: Span, rules: _Rules) -> bool:
    """Nationality adjectives and plural demonyms ('Syrian', 'Russians') are not toponyms."""
    last: Token = span[-1]
    return last.tag_ in rules.adjective_tags or (span.label_ == "NORP" and last.tag_ != "NNP")


def _known_enough(span: Span, gazetteer: Gazetteer, rules: _Rules) -> bool:
    """Whether a non-place entity or bare capitalised run is a name the gazetteer knows well."""
    if light_fold(span.text) in rules.skip_words:
        return False
    return any(
        p.feature != "city" or p.population >= rules.min_other_population
        for p in gazetteer.candidates(span.text)
    )


def _candidate_spans(doc: Doc, gazetteer: Gazetteer, rules: _Rules) -> Iterator[Span]:
    taken = [False] * len(doc)
    for ent in doc.ents:
        span = _trim(ent)
        if span is None:
            continue
        if ent.label_ in rules.place_labels:
            if span[-1].tag_ in rules.adjective_tags:
                continue
        elif ent.label_ in rules.other_labels:
            if _adjectival(span, rules) or not _known_enough(span, gazetteer, rules):
                continue
        else:
            continue
        for i in range(ent.start, ent.end):
            taken[i] = True
        yield span
    # Runs of proper nouns outside any entity: the small model misses many town names.
    i = 0
    while i < len(doc):
        if taken[i] or doc[i].pos_ != "PROPN" or not doc[i].is_title:
            i += 1
            continue
        j = i
        while j < len(doc) and not taken[j] and doc[j].pos_ == "PROPN" and doc[j].is_title:
            j += 1
        run = doc[i:j]
        if _known_enough(run, gazetteer, rules) and run[-1].tag_ not in rules.adjective_tags:
            yield run
        i = j


# -- resolution ----------------------------------------------------------------------------


def _plausible(span: Span, places: list[Place], rules: _Rules) -> list[Place]:
    """Drop readings the entity label rules out: a LOC (sea, range, region) is no village."""
    if span.label_ in rules.natural_labels:
        floor = rules.min_other_population
        return [p for p in places if p.feature != "city" or p.population >= floor]
    return places


def _prior(place: Place, query: str, gazetteer: Gazetteer, rules: _Rules) -> float:
    if place.feature == "country":
        score = rules.country_prior
    elif place.feature == "admin1":
        score = rules.admin1_prior
    else:
        score = math.log10(place.population + 1)
        if gazetteer.is_capital(place):
            score += rules.capital_bonus
    if light_fold(place.name) == light_fold(query):
        score += rules.exact_bonus
    return score


def _resolve(
    spans: Sequence[Span],
    candidates: Sequence[list[Place]],
    gazetteer: Gazetteer,
    rules: _Rules,
    context: PlaceContext,
) -> list[Place | None]:
    """Pick one candidate per span: priors first, then re-ranked by the document's geography."""
    priors = [
        [_prior(p, s.text, gazetteer, rules) for p in cands]
        for s, cands in zip(spans, candidates, strict=True)
    ]
    # Countries the document itself establishes: named countries and single-country names.
    evidence: Counter[str] = Counter()
    for cands in candidates:
        countries = {p.country for p in cands}
        if len(countries) == 1 or any(p.feature == "country" for p in cands):
            best = next((p for p in cands if p.feature == "country"), cands[0] if cands else None)
            if best is not None:
                evidence[best.country] += 1
    hint = context.country.upper() if context.country else None
    regions: Counter[tuple[str, str]] = Counter()

    def pick(i: int, anchors: Sequence[Place | None]) -> Place | None:
        best_place, best_score = None, -math.inf
        others = Counter(evidence)
        for p in {p.country for p in candidates[i]}:
            # A name must not vote for its own reading.
            if len({q.country for q in candidates[i]}) == 1:
                others[p] -= 1
        for place, prior in zip(candidates[i], priors[i], strict=True):
            score = prior
            if others[place.country] > 0:
                score += rules.context_bonus
            if (
                place.admin1 is not None
                and place.feature == "city"
                and regions[(place.country, place.admin1)] > 0
            ):
                score += rules.region_bonus
            if hint is not None and place.country == hint:
                score += rules.hint_bonus
            if place.feature == "city" and any(
                a is not None
                and a is not place
                and a.feature == "city"
                and distance_km(a, place) <= rules.near_km
                for j, a in enumerate(anchors)
                if j != i
            ):
                score += rules.near_bonus
            if score > best_score:
                best_place, best_score = place, score
        return best_place if best_score >= rules.min_resolve_score else None

    first = [pick(i, [None] * len(spans)) for i in range(len(spans))]
    # Regions the document names ("Charleston, West Virginia") favour their own towns.
    regions.update((p.country, p.name) for p in first if p is not None and p.feature == "admin1")
    return [pick(i, first) for i in range(len(spans))]
