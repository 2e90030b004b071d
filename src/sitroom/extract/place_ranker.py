"""A learned ranker of gazetteer readings: a linear score over ``place_features``.

The weights are a pairwise logistic regression's (a right reading's features minus a wrong
one's, for the same name): the reading with the highest score wins.

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
from sitroom.extract.toponyms import country_vote
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.records import Place

log = logging.getLogger(__name__)

MODEL_FORMAT = 1
MODEL_FILE = "place_ranker.json"


@dataclass(frozen=True, slots=True)
class PlaceRanker:
    """Weights over ``FEATURE_NAMES``; the best reading is kept when its score reaches
    ``min_score`` (a lone hamlet's)."""

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
        return cls(coefficients, float(data["min_score"]))

    def to_json(self, **extra: Any) -> dict[str, Any]:
        """The model file's contents (``extra``: what it was trained on, how it scored)."""
        return {
            "format": MODEL_FORMAT,
            "features_version": FEATURES_VERSION,
            "features": list(FEATURE_NAMES),
            "coefficients": {
                n: round(c, 6) for n, c in zip(FEATURE_NAMES, self.coefficients, strict=True)
            },
            "min_score": round(self.min_score, 6),
            **extra,
        }

    def score(self, vector: Sequence[float]) -> float:
        """How strongly the reading with these features is the right one (higher: more)."""
        return sum(c * x for c, x in zip(self.coefficients, vector, strict=True))

    def resolve(
        self, slots: Sequence[NameSlot], *, gazetteer: Gazetteer, hint: str | None = None
    ) -> list[Place | None]:
        """One reading per slot, or None below ``min_score``. Two passes: the first
        knows the countries the names establish, the second also where the first placed each
        other name. A name keeps one sense in a document (its occurrences pool their best)."""
        geography = DocGeography(slots, [country_vote(s.candidates) for s in slots])
        first = self._pick(slots, geography, gazetteer, hint)
        geography = DocGeography(slots, [country_vote(s.candidates) for s in slots], first)
        best = self._pick(slots, geography, gazetteer, hint, floor=self.min_score)
        return [best[s.name] if s.candidates else None for s in slots]

    def _pick(
        self,
        slots: Sequence[NameSlot],
        geography: DocGeography,
        gazetteer: Gazetteer,
        hint: str | None,
        *,
        floor: float = -math.inf,
    ) -> dict[str, Place | None]:
        table: dict[str, dict[Place, float]] = {}
        for slot in slots:
            scores = table.setdefault(slot.name, {})
            top = most_populous_town(slot.candidates)
            for place in slot.candidates:
                x = features(
                    slot,
                    place,
                    geography=geography,
                    gazetteer=gazetteer,
                    hint=hint,
                    most_populous=top,
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
