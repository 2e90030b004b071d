"""A learned ranker of gazetteer readings: a linear score over ``place_features``.

The weights are a pairwise logistic regression's (a right reading's features minus a wrong
one's, for the same name): the reading with the highest score wins. The rules' own score of
each reading (``place_rules``) is among the features, and whether a name is placed at all stays
the rules' call (their ``min_resolve_score``): pairwise training ranks, it does not calibrate.

The weights live in ``data/place_ranker.json`` (plain JSON: feature names, coefficients,
intercept), written by ``scripts/train_geo.py`` (``make train-geo``) from the tune halves of the
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
from sitroom.extract.place_rules import resolution_rules, rule_scores
from sitroom.extract.toponyms import country_vote
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.knowledge.loader import Overrides
from sitroom.records import Place

log = logging.getLogger(__name__)

MODEL_FORMAT = 1
MODEL_FILE = "place_ranker.json"


@dataclass(frozen=True, slots=True)
class PlaceRanker:
    """Weights over ``FEATURE_NAMES``; the best reading is kept when its score reaches
    ``min_score`` (none by default: whether a name is placed is the rules' call)."""

    coefficients: tuple[float, ...]
    min_score: float = -math.inf

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
        floor = data.get("min_score")
        return cls(coefficients, -math.inf if floor is None else float(floor))

    def to_json(self, **extra: Any) -> dict[str, Any]:
        """The model file's contents (``extra``: what it was trained on, how it scored)."""
        return {
            "format": MODEL_FORMAT,
            "features_version": FEATURES_VERSION,
            "features": list(FEATURE_NAMES),
            "coefficients": {
                n: round(c, 6) for n, c in zip(FEATURE_NAMES, self.coefficients, strict=True)
            },
            "min_score": None if math.isinf(self.min_score) else round(self.min_score, 6),
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
        """One reading per slot, or None below ``min_score``. Two passes: the first
        knows the countries the names establish, the second also where the first placed each
        other name. A name keeps one sense in a document (its occurrences pool their best).
        ``overrides``: the user's data files, for the rules' scores (place_rules.yaml)."""
        rules = resolution_rules(overrides)
        by_rules = rule_scores(slots, gazetteer=gazetteer, rules=rules, hint=hint)
        geography = DocGeography(slots, [country_vote(s.candidates) for s in slots])
        first = self.pick(slots, geography, gazetteer, by_rules, hint=hint)
        geography = DocGeography(slots, [country_vote(s.candidates) for s in slots], first)
        best = self.pick(slots, geography, gazetteer, by_rules, hint=hint, floor=self.min_score)
        # Whether a name is placed at all stays the rules' call: pairwise training ranks the
        # readings of a name but says nothing of a score that makes one worth keeping.
        kept = {
            s.name
            for s, row in zip(slots, by_rules, strict=True)
            if max(row, default=-math.inf) >= rules.min_resolve_score
        }
        return [best[s.name] if s.candidates and s.name in kept else None for s in slots]

    def pick(
        self,
        slots: Sequence[NameSlot],
        geography: DocGeography,
        gazetteer: Gazetteer,
        by_rules: Sequence[Sequence[float]],
        *,
        hint: str | None = None,
        floor: float = -math.inf,
    ) -> dict[str, Place | None]:
        """The best reading of each name in one pass (``by_rules``: the rules' scores of each
        slot's readings, from ``place_rules.rule_scores``), None where it scores below ``floor``."""
        table: dict[str, dict[Place, float]] = {}
        for slot, rule_row in zip(slots, by_rules, strict=True):
            scores = table.setdefault(slot.name, {})
            top = most_populous_town(slot.candidates)
            rule_best = max(rule_row, default=0.0)
            for place, rule_score in zip(slot.candidates, rule_row, strict=True):
                x = features(
                    slot,
                    place,
                    geography=geography,
                    gazetteer=gazetteer,
                    hint=hint,
                    most_populous=top,
                    rule_score=rule_score,
                    rule_best=rule_best,
                )
                score = self.score(x)
                if score > scores.get(place, -math.inf):
                    scores[place] = score
        best: dict[str, Place | None] = {}
        for name, scores in table.items():
            winner = max(scores.items(), key=lambda kv: kv[1], default=None)
            best[name] = winner[0] if winner is not None and winner[1] >= floor else None
        return best


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
