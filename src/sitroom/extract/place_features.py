"""The features a learned ranker scores gazetteer candidates by, written down in one place.

Each occurrence of a name in a document is a ``NameSlot`` with its gazetteer readings; each
reading gets a vector of ``FEATURE_NAMES`` from what the reading is (kind, population, how its
name matches) and from what the document's *other* names say (countries they name, where they
were placed, how far), so that no name supports itself. The ranker (``place_ranker``) weighs
them; ``scripts/train_geo.py`` learns the weights. Bump ``FEATURES_VERSION`` whenever a feature
is added, removed or computed differently: a model trained on other features is then stale.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sitroom.geometry import distance_km, haversine_km
from sitroom.knowledge.folding import fold
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.records import Place

FEATURES_VERSION = 4
# Gazetteer features (Place.feature, not words) of places at a point inside a first-level region:
# a town, a US county, an airport. The document's other such places support them by distance and
# region.
POINT_FEATURES = frozenset({"city", "admin2", "facility"})
NEAR_KM = 150.0  # another of the document's towns this close supports a reading
BIG_TOWN = 100_000  # a town this big is a sure anchor of the document's geography

FEATURE_NAMES = (
    "is_country",  # the reading is a country
    "is_admin1",  # a first-level region (a US state, a Syrian governorate)
    "is_region",  # a continent, sea or region spanning countries
    "log_population",  # log10(population + 1) of a town or county; 0 for the others
    "capital",  # a country's capital city
    "exact_name",  # named by its main name (spelling aside), not an alternate one
    "log_candidates",  # log2 of how many readings the name has
    "most_populous",  # the most populous town among the name's readings
    "qualified",  # in the region or country named right after it, or after another occurrence
    "country_named",  # log(1 + other names that establish its country: named, or only there)
    "country_placed",  # log(1 + other names placed in its country)
    "dominant_country",  # its country is the one the other names name or are placed in most
    "region_named",  # in (or being) a first-level region another name was placed at
    "near_towns",  # within NEAR_KM of (a region: holding) another of the document's towns
    "near_sure_towns",  # log(1 + such towns that are big or the only town of their name)
    "anchor_closeness",  # a town: 1 - log10(1 + km to the nearest other town) / 4, floored at 0
    "hint",  # in the country the caller gave
    "admin1_dominant",  # is_admin1 * dominant_country: a state of the story's country
    "country_dominant",  # is_country * dominant_country
    "population_alone",  # log_population where the other names establish no country at all
    "country_share",  # share of the other names' country votes and placings that go to its country
    "centre_closeness",  # 1 - log10(1 + km to the median point of the others' towns, regions) / 4
    "rules_score",  # the hand-set rules' score of the reading (place_rules), over 10
    "rules_margin",  # its score minus the best of the name's readings, floored at -MARGIN_FLOOR
    "rules_pick",  # the reading the rules finally pick (read together, a seat as its province)
    "rules_lead",  # the rules' pick: its score minus the best other reading's, within MARGIN_FLOOR
    "country_adjacent",  # its country is named by, or the reading of, the name read before it
    "region_share",  # share of the other names' mentions in its country that lie in its region
)
MARGIN_FLOOR = 10.0


@dataclass(frozen=True, slots=True)
class NameSlot:
    """One occurrence of a place name: its folded ``name``, the ``text`` as written, its gazetteer
    readings, and the (country, region) pairs a qualifier after it allows (region None: any)."""

    name: str
    text: str
    candidates: tuple[Place, ...]
    within: frozenset[tuple[str, str | None]] = frozenset()


@dataclass(frozen=True, slots=True)
class _Context:
    """What the other names of a document say about one name."""

    named: Counter[str]  # country -> other names establishing it
    placed: Counter[str]  # country -> other names placed in it
    regions: Counter[tuple[str, str]]  # (country, admin1) -> other names' mentions at or in it
    towns: tuple[tuple[Place, bool], ...]  # other names' points, and whether each is sure
    dominant: str | None
    centre: tuple[float, float] | None  # median (lat, lon) of the others' towns and regions


class DocGeography:
    """The document's names, their votes and (after a first pass) where each was placed."""

    def __init__(
        self,
        slots: Sequence[NameSlot],
        votes: Sequence[str | None],
        picks: Mapping[str, Place | None] | None = None,
    ) -> None:
        self._named: dict[str, Counter[str]] = {}
        self._mentions = Counter(slot.name for slot in slots)
        # one sense per name: a qualifier after one occurrence ("GEORGETOWN, Ky.") places them all
        self._within: dict[str, frozenset[tuple[str, str | None]]] = {}
        for slot in slots:
            self._within[slot.name] = self._within.get(slot.name, frozenset()) | slot.within
        # the countries the name read before each occurrence (another name) names or was placed
        # in: it sets the scene ("in France ... Paris"); a name after one qualifies it only as a
        # qualifier ("Paris, France": ``NameSlot.within``), and may tell of something else
        # ("a firefighter from Edmonton ... his Australian colleagues")
        self._adjacent: list[frozenset[str]] = []
        for k, slot in enumerate(slots):
            near: set[str] = set()
            j = k - 1
            while j >= 0 and slots[j].name == slot.name:
                j -= 1
            if j >= 0:
                placed = (picks or {}).get(slots[j].name)
                near.update(c for c in (votes[j], placed.country if placed else None) if c)
            self._adjacent.append(frozenset(near))
        self._placed: dict[str, Place] = {}
        self._sure: dict[str, bool] = {}
        for slot, vote in zip(slots, votes, strict=True):
            named = self._named.setdefault(slot.name, Counter())
            if vote:
                named[vote] += 1
            towns = sum(1 for p in slot.candidates if p.feature == "city")
            self._sure[slot.name] = self._sure.get(slot.name, False) or towns <= 1
        for name, place in (picks or {}).items():
            if place is not None:
                self._placed[name] = place
        self._cache: dict[str, _Context] = {}

    def within(self, name: str) -> frozenset[tuple[str, str | None]]:
        """Where the qualifiers after any occurrence of ``name`` put it (``NameSlot.within``)."""
        return self._within.get(name, frozenset())

    def adjacent(self, position: int | None) -> frozenset[str]:
        """The countries the name read before the occurrence at ``position`` names or lies in."""
        return frozenset() if position is None else self._adjacent[position]

    def context(self, name: str) -> _Context:
        """What every name but ``name`` says (cached per name)."""
        hit = self._cache.get(name)
        if hit is not None:
            return hit
        named: Counter[str] = Counter()
        placed: Counter[str] = Counter()
        regions: Counter[tuple[str, str]] = Counter()
        towns: list[tuple[Place, bool]] = []
        for other, counts in self._named.items():
            if other != name:
                named.update({c: 1 for c in counts})
        for other, p in self._placed.items():
            if other == name or not p.country:
                continue
            placed[p.country] += 1
            mentions = self._mentions[other]
            if p.feature == "admin1":
                regions[(p.country, p.name)] += mentions
            elif p.feature in POINT_FEATURES:
                if p.admin1 is not None:
                    regions[(p.country, p.admin1)] += mentions
                towns.append((p, self._sure.get(other, False) or p.population >= BIG_TOWN))
        both = named + placed
        dominant = both.most_common(1)[0][0] if both else None
        points = [
            (p.latitude, p.longitude)
            for other, p in self._placed.items()
            if other != name and (p.feature in POINT_FEATURES or p.feature == "admin1")
        ]
        centre = (
            (_median([a for a, _ in points]), _median([b for _, b in points])) if points else None
        )
        hit = _Context(named, placed, regions, tuple(towns), dominant, centre)
        self._cache[name] = hit
        return hit


def features(
    slot: NameSlot,
    place: Place,
    *,
    geography: DocGeography,
    gazetteer: Gazetteer,
    hint: str | None = None,
    most_populous: Place | None = None,
    rule_score: float = 0.0,
    rule_best: float = 0.0,
    rule_pick: bool = False,
    rule_lead: float = 0.0,
    position: int | None = None,
) -> list[float]:
    """The feature vector of one reading of one name, in ``FEATURE_NAMES`` order (``rule_score``:
    the rules' score of this reading, ``rule_best``: of the name's best one, ``rule_pick``:
    whether the rules finally pick it, ``rule_lead``: the pick's score minus the best other
    reading's, ``position``: the slot's index in the document, for the name before it)."""
    ctx = geography.context(slot.name)
    is_city = place.feature == "city"
    is_point = place.feature in POINT_FEATURES
    is_admin1 = place.feature == "admin1"
    is_country = place.feature == "country"
    log_pop = math.log10(place.population + 1) if is_point else 0.0
    country = place.country
    dominant = float(bool(country) and country == ctx.dominant)
    own_region = place.admin1 if is_point else place.name if is_admin1 else None
    in_region = ctx.regions[(country, own_region)] if own_region is not None else 0
    region = in_region > 0
    in_country = sum(n for (c, _), n in ctx.regions.items() if c == country)
    region_share = in_region / in_country if in_country else 0.0
    near = False
    near_sure = 0
    nearest = math.inf
    for town, sure in ctx.towns:
        if is_admin1:
            inside = town.country == country and town.admin1 == place.name
            near = near or inside
            near_sure += inside and sure
        if not is_point:
            continue
        km = distance_km(town, place)
        nearest = min(nearest, km)
        if km <= NEAR_KM:
            near = True
            near_sure += sure
    both = ctx.named + ctx.placed
    total = sum(both.values())
    share = both[country] / total if total and country else 0.0
    centre = 0.0
    if ctx.centre is not None and (is_point or is_admin1):
        km = haversine_km(ctx.centre[0], ctx.centre[1], place.latitude, place.longitude)
        centre = max(0.0, 1 - math.log10(1 + km) / 4)
    within = slot.within | geography.within(slot.name)
    qualified = (country, place.admin1) in within or (country, None) in within
    if is_admin1:
        qualified = qualified or (country, place.name) in within
    return [
        float(is_country),
        float(is_admin1),
        float(place.feature == "region"),
        log_pop,
        float(is_city and gazetteer.is_capital(place)),
        float(fold(place.name) == slot.name),
        math.log2(len(slot.candidates)) if slot.candidates else 0.0,
        float(is_city and most_populous is place),
        float(qualified),
        math.log1p(ctx.named[country]) if country else 0.0,
        math.log1p(ctx.placed[country]) if country else 0.0,
        dominant,
        float(region),
        float(near),
        math.log1p(near_sure),
        max(0.0, 1 - math.log10(1 + nearest) / 4) if nearest < math.inf else 0.0,
        float(hint is not None and country == hint),
        float(is_admin1) * dominant,
        float(is_country) * dominant,
        log_pop if not ctx.named else 0.0,
        share,
        centre,
        rule_score / 10,
        max(rule_score - rule_best, -MARGIN_FLOOR),
        float(rule_pick),
        max(-MARGIN_FLOOR, min(rule_lead, MARGIN_FLOOR)) if rule_pick else 0.0,
        float(bool(country) and country in geography.adjacent(position)),
        region_share,
    ]


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def most_populous_town(candidates: Sequence[Place]) -> Place | None:
    """The most populous town among a name's readings (the first of equals), or None."""
    towns = [p for p in candidates if p.feature == "city"]
    return max(towns, key=lambda p: p.population) if towns else None
