"""The hand-set rules that rank a name's gazetteer readings (``data/place_rules.yaml``).

Population and feature priors, then bonuses from the document's own geography (countries named,
regions named, nearby towns, a qualifier right after the name). They read every document first
(``read_by_rules``): where a usable learned model is packaged (``place_ranker``), it weighs their
top readings of each name with their scores and pick among its features (``place_features``)
and may overrule the pick; where none is, the rules' picks stand.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sitroom.errors import GazetteerError
from sitroom.extract.place_features import POINT_FEATURES, NameSlot
from sitroom.extract.toponyms import country_vote
from sitroom.geometry import distance_km
from sitroom.knowledge import loader
from sitroom.knowledge.folding import fold
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.knowledge.loader import Overrides
from sitroom.records import Place


@dataclass(frozen=True, slots=True)
class Rules:
    """The resolution half of ``place_rules.yaml``: weights (score points, km) and link words."""

    country_prior: float
    admin1_prior: float
    region_prior: float
    facility_prior: float
    capital_bonus: float
    exact_bonus: float
    context_bonus: float
    region_bonus: float
    hint_bonus: float
    near_km: float
    near_bonus: float
    qualifier_bonus: float
    max_part_population: int
    unknown_population: int
    min_resolve_score: float
    coherence_countries: int
    near_words: frozenset[str]
    qualifier_links: frozenset[str]
    province_links: frozenset[str]
    qualifier_articles: frozenset[str]
    list_words: frozenset[str]


@cache
def resolution_rules(overrides: Overrides = ()) -> Rules:
    """The resolution half of ``data/place_rules.yaml`` (with the user's overrides of it)."""
    raw = loader.load("place_rules.yaml", overrides)
    try:
        w = raw["weights"]
        return Rules(
            country_prior=float(w["country_prior"]),
            admin1_prior=float(w["admin1_prior"]),
            region_prior=float(w["region_prior"]),
            facility_prior=float(w["facility_prior"]),
            capital_bonus=float(w["capital_bonus"]),
            exact_bonus=float(w["exact_bonus"]),
            context_bonus=float(w["context_bonus"]),
            region_bonus=float(w["region_bonus"]),
            hint_bonus=float(w["hint_bonus"]),
            near_km=float(w["near_km"]),
            near_bonus=float(w["near_bonus"]),
            qualifier_bonus=float(w["qualifier_bonus"]),
            max_part_population=int(w["max_part_population"]),
            unknown_population=int(w["unknown_population"]),
            min_resolve_score=float(w["min_resolve_score"]),
            coherence_countries=int(w["coherence_countries"]),
            near_words=frozenset(raw["near_words"]),
            qualifier_links=frozenset(raw["qualifier_links"]),
            province_links=frozenset(raw["province_links"]),
            qualifier_articles=frozenset(raw["qualifier_articles"]),
            list_words=frozenset(raw["list_words"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise GazetteerError(f"{raw.source} is malformed: {e}") from e


@dataclass(frozen=True, slots=True)
class RulesReading:
    """What the rules make of a document's names: the score of each slot's readings (in
    ``slot.candidates`` order) given where the other names were finally placed, and each
    name's final pick (None: left unplaced)."""

    scores: list[tuple[float, ...]]
    picks: dict[str, Place | None]


def read_by_rules(
    slots: Sequence[NameSlot], *, gazetteer: Gazetteer, rules: Rules, hint: str | None = None
) -> RulesReading:
    """The rules' scores and picks: the best-scoring reading of each name (None below
    ``min_resolve_score``), read together with the others where that holds better, and a
    province's seat read as the province where the document's geography says so."""
    table, geography = _second_pass(slots, gazetteer, rules, hint)
    picks, geography, table = _coherent(
        slots, table, _best(table, rules), geography, gazetteer, rules, hint
    )
    best = {
        name: _province_over_seat(name, p, geography, gazetteer, rules) for name, p in picks.items()
    }
    return RulesReading([tuple(table[s.name][p] for p in s.candidates) for s in slots], best)


def resolve_by_rules(
    slots: Sequence[NameSlot], *, gazetteer: Gazetteer, rules: Rules, hint: str | None = None
) -> list[Place | None]:
    """One reading per slot, the rules' pick (``read_by_rules``), or None."""
    picks = read_by_rules(slots, gazetteer=gazetteer, rules=rules, hint=hint).picks
    return [picks[s.name] if s.candidates else None for s in slots]


def _second_pass(
    slots: Sequence[NameSlot], gazetteer: Gazetteer, rules: Rules, hint: str | None
) -> tuple[dict[str, dict[Place, float]], _Geography]:
    """Priors and the names that settle a country first, then re-scored by where the
    document's other names were placed: the second pass's scores, and the geography of the
    first pass's picks they rest on. One name keeps one sense in a document: its occurrences
    pool their scores ("Edmonton, Queensland" ... "Edmonton")."""
    names = [s.name for s in slots]
    priors = [[_prior(p, s, gazetteer, rules) for p in s.candidates] for s in slots]
    votes = [country_vote(s.candidates) for s in slots]
    first = _best(_table(slots, priors, rules, hint, _Geography.of(names, votes)), rules)
    picks = [first[s.name] if s.candidates else None for s in slots]
    geography = _Geography.of(names, picks, picks)
    return _table(slots, priors, rules, hint, geography), geography


def _coherent(
    slots: Sequence[NameSlot],
    table: dict[str, dict[Place, float]],
    picks: dict[str, Place | None],
    geography: _Geography,
    gazetteer: Gazetteer,
    rules: Rules,
    hint: str | None,
) -> tuple[dict[str, Place | None], _Geography, dict[str, dict[Place, float]]]:
    """The picks, or the readings of one country's hypothesis where those hold together better,
    with the geography and the scores given those readings (``table`` where the picks stay).

    The second pass moves every name at once, each on where the others were first placed, so
    two names can swap countries ("North London" to Ontario because "Edmonton" first went to
    Alberta, while "Edmonton" goes to London's borough). For each of the ``coherence_countries``
    countries that the most names have a reading in, each name takes its best reading there,
    then the best reading given those; such a set of picks replaces the second pass's where its
    coherence is higher: the sum of its picks' scores given where the set itself puts the other
    names."""
    names = [s.name for s in slots]
    # dicts, not sets: countries tied in number are tried in the order the document reads them,
    # the same on every run (a set's order of strings changes with Python's hash seed)
    readings: dict[str, dict[str, None]] = {}
    for s in slots:
        readings.setdefault(s.name, {}).update(dict.fromkeys(p.country for p in s.candidates))
    countries = Counter(c for found in readings.values() for c in found)
    priors: list[list[float]] = []

    def scored(chosen: dict[str, Place | None]) -> tuple[dict[str, dict[Place, float]], _Geography]:
        if not priors:
            priors.extend([_prior(p, s, gazetteer, rules) for p in s.candidates] for s in slots)
        places = [chosen.get(n) for n in names]
        geo = _Geography.of(names, places, places)
        return _table(slots, priors, rules, hint, geo), geo

    def coherence(
        chosen: dict[str, Place | None],
    ) -> tuple[float, _Geography, dict[str, dict[Place, float]]]:
        scores, geo = scored(chosen)
        return sum(scores[n][p] for n, p in chosen.items() if p is not None), geo, scores

    best: tuple[float, _Geography, dict[str, dict[Place, float]]] | None = None
    chosen, where, final = picks, geography, table
    for country, n in countries.most_common(rules.coherence_countries):
        if n < 2:
            break
        guess = {
            name: max(
                (p for p in scores if p.country == country),
                key=lambda p, s=scores: s[p],
                default=picks[name],
            )
            for name, scores in table.items()
        }
        if guess == picks:
            continue
        reply = _best(scored(guess)[0], rules)
        if reply == picks:
            continue
        if best is None:
            best = coherence(picks)
        total, geo, scores = coherence(reply)
        if total > best[0]:
            best, chosen, where, final = (total, geo, scores), reply, geo, scores
    return chosen, where, final


def _province_over_seat(
    name: str, pick: Place | None, geography: _Geography, gazetteer: Gazetteer, rules: Rules
) -> Place | None:
    """A bare name of both a town and the first-level region it is the seat of reads as the
    town ("Idlib", "Homs": ``places.name_slots`` leaves the province out), unless the document's
    other towns speak of the region and not of the town: one lies in that region and none
    within ``near_km`` of the seat ("Montreal" ... "Quebec": the province, not Quebec City)."""
    if pick is None or pick.feature != "city" or pick.admin1 is None:
        return pick
    if fold(pick.admin1) != fold(pick.name):
        return pick
    anchors = geography.others(name)[2]
    if any(distance_km(a, pick) <= rules.near_km for a in anchors):
        return pick
    in_region = any(a.country == pick.country and a.admin1 == pick.admin1 for a in anchors)
    if not in_region:
        return pick
    return gazetteer.admin1(pick.country, pick.admin1) or pick


def _prior(place: Place, slot: NameSlot, gazetteer: Gazetteer, rules: Rules) -> float:
    if place.feature == "country":
        score = rules.country_prior
    elif place.feature == "admin1":
        score = rules.admin1_prior
    elif place.feature == "region":
        score = rules.region_prior
    elif place.feature == "facility":
        score = rules.facility_prior
    else:
        score = math.log10(place.population + 1)
        if gazetteer.is_capital(place):
            score += rules.capital_bonus
    if fold(place.name) == slot.name:
        score += rules.exact_bonus
    if (place.country, place.admin1) in slot.within or (place.country, None) in slot.within:
        score += rules.qualifier_bonus
    return score


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
            elif p.feature in POINT_FEATURES:
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


def _table(
    slots: Sequence[NameSlot],
    priors: Sequence[Sequence[float]],
    rules: Rules,
    hint: str | None,
    geography: _Geography,
) -> dict[str, dict[Place, float]]:
    """Each name's readings and their best score over all its occurrences (a weakly tagged
    occurrence may lack one that a place entity of the same name offers)."""
    scores: dict[str, dict[Place, float]] = {}
    others: dict[str, tuple[Counter[str], Counter[tuple[str, str]], list[Place]]] = {}
    for slot, slot_priors in zip(slots, priors, strict=True):
        name = slot.name
        if name not in others:
            others[name] = geography.others(name)
        countries, regions, anchors = others[name]
        table = scores.setdefault(name, {})
        for place, prior in zip(slot.candidates, slot_priors, strict=True):
            score = prior
            if place.country and countries[place.country] > 0:
                score += rules.context_bonus
                if place.feature in POINT_FEATURES and place.population == 0:
                    # GeoNames writes 0 for a population it does not know (most of Syria's,
                    # Yemen's and Afghanistan's towns): in a country the document speaks of,
                    # such a town counts as the gazetteer's smallest, not as none
                    score += math.log10(rules.unknown_population + 1)
            if hint is not None and place.country == hint:
                score += rules.hint_bonus
            if place.feature in POINT_FEATURES:
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
    return scores


def _best(table: dict[str, dict[Place, float]], rules: Rules) -> dict[str, Place | None]:
    best: dict[str, Place | None] = {}
    for name, scores in table.items():
        # Of two readings scored alike, one in a country that also has a town of the name:
        # "Gaza", two first-level regions, is the Palestinian one (Gaza City), not Mozambique's.
        towns = {p.country for p in scores if p.feature == "city" and fold(p.name) == name}
        winner = max(scores.items(), key=lambda kv: (kv[1], kv[0].country in towns), default=None)
        best[name] = winner[0] if winner and winner[1] >= rules.min_resolve_score else None
    return best
