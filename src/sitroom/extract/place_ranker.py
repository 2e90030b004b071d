"""A learned ranker of gazetteer readings that can overrule the rules: a linear score over
``place_features``.

The rules (``place_rules``) read the document first: they score every reading, pick one per
name (read together with the other names, a province's seat as its province where the story
says so) and decide whether a name is placed at all. The model then weighs the rules' ``top_k``
readings of each placed name, with the rules' score and pick among its features, and replaces
the rules' pick by its own best reading where that scores more than ``margin`` above it. The
weights are a pairwise logistic regression's (a right reading's features minus a wrong one's,
for the same name, among those same top readings): a residual model, trained to find where the
rules go wrong, not to rank from nothing.

The weights live in ``data/place_ranker.json`` (plain JSON: feature names, coefficients, top_k,
margin), written by ``scripts/train_geo.py`` (``make train-geo``) from the tune halves of the
geoparsing gold sets and examples drawn from the gazetteer. A missing, malformed or stale model
(trained on other features) is reported once in the log, and ``default_ranker`` returns None:
the caller then keeps to the hand-set rules of ``place_rules.yaml``. So does a model the training
script marked unused (``"use": false``): one that resolves worse than the rules on a check half.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from sitroom.extract.place_features import (
    FEATURE_NAMES,
    FEATURES_VERSION,
    DocGeography,
    NameSlot,
    features,
    most_populous_town,
)
from sitroom.extract.place_rules import (
    POINT_FEATURES,
    RulesReading,
    read_by_rules,
    resolution_rules,
)
from sitroom.extract.toponyms import country_vote
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.knowledge.loader import Overrides
from sitroom.records import Place

log = logging.getLogger(__name__)

MODEL_FORMAT = 2
MODEL_FILE = "place_ranker.json"


@dataclass(frozen=True, slots=True)
class PlaceRanker:
    """Weights over ``FEATURE_NAMES``; of the rules' ``top_k`` readings of a name, the model's
    best replaces the rules' pick where it scores more than ``margin`` above it."""

    coefficients: tuple[float, ...]
    top_k: int = 5
    margin: float = 0.0
    same_kind: bool = True

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlaceRanker:
        """A ranker from the model file's contents; ValueError when stale or malformed."""
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {MODEL_FORMAT}")
        if data.get("features_version") != FEATURES_VERSION:
            raise ValueError(
                f"trained on features v{data.get('features_version')!r}, now v{FEATURES_VERSION}"
            )
        if tuple(data.get("features", ())) != FEATURE_NAMES:
            raise ValueError("its feature names differ from place_features.FEATURE_NAMES")
        weights = data["coefficients"]
        coefficients = tuple(float(weights[name]) for name in FEATURE_NAMES)
        return cls(coefficients, int(data["top_k"]), float(data["margin"]), bool(data["same_kind"]))

    def to_json(self, **extra: Any) -> dict[str, Any]:
        """The model file's contents (``extra``: what it was trained on, how it scored)."""
        return {
            "format": MODEL_FORMAT,
            "features_version": FEATURES_VERSION,
            "features": list(FEATURE_NAMES),
            "coefficients": {
                n: round(c, 6) for n, c in zip(FEATURE_NAMES, self.coefficients, strict=True)
            },
            "top_k": self.top_k,
            "margin": round(self.margin, 6),
            "same_kind": self.same_kind,
            **extra,
        }

    def score(self, vector: Sequence[float]) -> float:
        """How strongly the reading with these features is the right one (higher: more)."""
        return sum(c * x for c, x in zip(self.coefficients, vector, strict=True))

    def resolve(
        self,
        slots: Sequence[NameSlot],
        *,
        gazetteer: Gazetteer,
        hint: str | None = None,
        overrides: Overrides = (),
    ) -> list[Place | None]:
        """One reading per slot: the rules' pick, or the model's where it overrules them (None
        where the rules leave a name unplaced). A name keeps one sense in a document.
        ``overrides``: the user's data files, for the rules (place_rules.yaml)."""
        rules = resolution_rules(overrides)
        reading = read_by_rules(slots, gazetteer=gazetteer, rules=rules, hint=hint)
        picks = self.rerank(slots, reading, gazetteer, hint=hint)
        return [picks[s.name] if s.candidates else None for s in slots]

    def rerank(
        self,
        slots: Sequence[NameSlot],
        reading: RulesReading,
        gazetteer: Gazetteer,
        *,
        hint: str | None = None,
    ) -> dict[str, Place | None]:
        """Each name's reading after the model has weighed the rules' ``top_k`` (``reading``:
        the rules' scores and picks, from ``place_rules.read_by_rules``)."""
        geography = DocGeography(slots, [country_vote(s.candidates) for s in slots], reading.picks)
        table: dict[str, dict[Place, float]] = {}
        for position, (slot, rule_row) in enumerate(zip(slots, reading.scores, strict=True)):
            pick = reading.picks.get(slot.name)
            if pick is None or settled(pick, geography.within(slot.name)):
                continue
            scores = table.setdefault(slot.name, {})
            top = most_populous_town(slot.candidates)
            rule_best = max(rule_row, default=0.0)
            readings = top_readings(slot, rule_row, self.top_k, pick, same_kind=self.same_kind)
            lead = rules_lead(readings, pick)
            for place, rule_score in readings:
                x = features(
                    slot,
                    place,
                    geography=geography,
                    gazetteer=gazetteer,
                    hint=hint,
                    most_populous=top,
                    rule_score=rule_score,
                    rule_best=rule_best,
                    rule_pick=place == pick,
                    rule_lead=lead,
                    position=position,
                )
                score = self.score(x)
                if score > scores.get(place, -math.inf):
                    scores[place] = score
        best = dict(reading.picks)
        for name, scores in table.items():
            pick = reading.picks[name]
            if pick not in scores:
                continue  # a seat read as its province: the model did not see that reading
            winner, score = max(scores.items(), key=lambda kv: kv[1])
            if score > scores[pick] + self.margin:
                best[name] = winner
        return best


def top_readings(
    slot: NameSlot,
    rule_row: Sequence[float],
    k: int,
    pick: Place | None,
    *,
    same_kind: bool = True,
) -> list[tuple[Place, float]]:
    """The ``k`` readings of a slot the rules score highest (the first of equals), and the
    rules' ``pick`` if it is a reading of the slot outside those, with the rules' scores;
    ``same_kind``: only readings of the pick's kind (namesakes: a town for a town, a region for
    a region; whether a name means an area or a town in it stays the rules' call)."""
    ranked = sorted(zip(slot.candidates, rule_row, strict=True), key=lambda pr: -pr[1])
    if same_kind and pick is not None:
        ranked = [(p, r) for p, r in ranked if _kind(p) == _kind(pick)]
    top = ranked[:k]
    top += [(p, r) for p, r in ranked[k:] if p == pick]
    return top


def settled(pick: Place, within: frozenset[tuple[str, str | None]]) -> bool:
    """Whether a qualifier after the name ("GEORGETOWN, Ky.", any occurrence) puts the rules'
    pick where it lies: the text settles the namesake, and the model does not weigh others."""
    if pick.feature == "admin1":
        return (pick.country, pick.name) in within or (pick.country, None) in within
    return (pick.country, pick.admin1) in within or (pick.country, None) in within


def rules_lead(readings: Sequence[tuple[Place, float]], pick: Place | None) -> float:
    """The rules' score of their pick minus that of the best other of ``readings`` (0: none)."""
    mine = [r for p, r in readings if p == pick]
    others = [r for p, r in readings if p != pick]
    return mine[0] - max(others) if mine and others else 0.0


def _kind(place: Place) -> str:
    return "point" if place.feature in POINT_FEATURES else place.feature


@lru_cache(maxsize=1)
def default_ranker() -> PlaceRanker | None:
    """The packaged model, or None (logged once) when it is missing, malformed, stale or
    marked unused."""
    try:
        text = resources.files("sitroom.data").joinpath(MODEL_FILE).read_text("utf-8")
        data = json.loads(text)
        ranker = PlaceRanker.from_json(data)
    except (OSError, ValueError, KeyError, TypeError) as e:
        log.warning("place ranker %s unusable (%s); resolving places by the rules", MODEL_FILE, e)
        return None
    if data.get("use") is not True:
        log.info("place ranker %s is marked unused; resolving places by the rules", MODEL_FILE)
        return None
    return ranker
