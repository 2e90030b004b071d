"""The learned place ranker: its features on hand-built names, its model file, its fallback."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from sitroom.extract import place_ranker
from sitroom.extract.place_features import (
    FEATURE_NAMES,
    FEATURES_VERSION,
    DocGeography,
    NameSlot,
    features,
)
from sitroom.extract.place_ranker import PlaceRanker, default_ranker
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.records import Place

LONDON_GB = Place(2643743, "London", 51.51, -0.13, "GB", "England", population=8_961_989)
LONDON_CA = Place(6058560, "London", 42.98, -81.23, "CA", "Ontario", population=422_324)
ONTARIO = Place(None, "Ontario", 49.25, -84.5, "CA", "Ontario", feature="admin1")
CANADA = Place(6251999, "Canada", 60.11, -113.64, "CA", feature="country")
WOODSTOCK_CA = Place(6185217, "Woodstock", 43.13, -80.75, "CA", "Ontario", population=37_754)
GAZ = Gazetteer.from_places([LONDON_GB, LONDON_CA, ONTARIO, CANADA, WOODSTOCK_CA])


def slot(name: str) -> NameSlot:
    return NameSlot(name.lower(), name, tuple(GAZ.candidates(name)))


def vector(s: NameSlot, place: Place, geography: DocGeography) -> dict[str, float]:
    x = features(s, place, geography=geography, gazetteer=GAZ)
    assert len(x) == len(FEATURE_NAMES)
    return dict(zip(FEATURE_NAMES, x, strict=True))


def test_a_name_never_supports_itself() -> None:
    slots = [slot("London"), slot("London")]
    geography = DocGeography(slots, [None, None], {"london": LONDON_CA})
    x = vector(slots[0], LONDON_CA, geography)
    assert x["country_placed"] == 0 and x["near_towns"] == 0 and x["dominant_country"] == 0


def test_other_names_support_a_namesake_in_their_country_and_near_them() -> None:
    slots = [slot("London"), slot("Canada"), slot("Woodstock")]
    picks = {"london": LONDON_GB, "canada": CANADA, "woodstock": WOODSTOCK_CA}
    geography = DocGeography(slots, ["GB", "CA", "CA"], picks)
    ca, gb = vector(slots[0], LONDON_CA, geography), vector(slots[0], LONDON_GB, geography)
    assert ca["country_named"] > 0 and gb["country_named"] == 0
    assert ca["dominant_country"] == 1 and gb["dominant_country"] == 0
    assert ca["near_towns"] == 1 and ca["region_named"] == 1
    assert gb["near_towns"] == 0 and gb["anchor_closeness"] < ca["anchor_closeness"]
    assert gb["most_populous"] == 0  # only given when the caller names the most populous


def _weights(**named: float) -> tuple[float, ...]:
    weights = dict.fromkeys(FEATURE_NAMES, 0.0)
    weights.update(named)
    return tuple(weights[n] for n in FEATURE_NAMES)


def test_a_ranker_that_trusts_the_rules_keeps_their_picks() -> None:
    ranker = PlaceRanker(_weights(rules_pick=1.0))
    assert ranker.resolve([slot("London")], gazetteer=GAZ) == [LONDON_GB]
    both = ranker.resolve([slot("London"), slot("Canada"), slot("London")], gazetteer=GAZ)
    assert both == [LONDON_CA, CANADA, LONDON_CA]  # one sense per name in a document


def test_the_model_overrules_the_rules_only_by_more_than_its_margin() -> None:
    slots = [slot("London"), slot("Canada"), slot("London")]
    by_population = _weights(log_population=1.0)  # London, England: 8.96M against 422,324
    assert PlaceRanker(by_population).resolve(slots, gazetteer=GAZ)[0] == LONDON_GB
    assert PlaceRanker(by_population, margin=2.0).resolve(slots, gazetteer=GAZ)[0] == LONDON_CA
    # the rules' pick is always weighed, but a reading below their top k is not
    assert PlaceRanker(by_population, top_k=1).resolve(slots, gazetteer=GAZ)[0] == LONDON_CA


def test_the_model_file_round_trips_and_a_stale_one_is_refused() -> None:
    ranker = PlaceRanker(tuple(float(i) for i in range(len(FEATURE_NAMES))), top_k=3, margin=0.5)
    data = json.loads(json.dumps(ranker.to_json(use=True)))
    assert PlaceRanker.from_json(data) == ranker
    with pytest.raises(ValueError, match="features"):
        PlaceRanker.from_json({**data, "features_version": FEATURES_VERSION - 1})
    with pytest.raises(ValueError, match="feature names"):
        PlaceRanker.from_json({**data, "features": ["population"]})
    with pytest.raises(ValueError, match="format"):
        PlaceRanker.from_json({**data, "format": 1})


def test_the_packaged_model_matches_the_features() -> None:
    text = (Path(place_ranker.__file__).parent.parent / "data" / "place_ranker.json").read_text()
    data = json.loads(text)
    PlaceRanker.from_json(data)  # not stale
    assert isinstance(data["use"], bool)


def _with_model(monkeypatch: pytest.MonkeyPatch, name: str) -> PlaceRanker | None:
    monkeypatch.setattr(place_ranker, "MODEL_FILE", name)
    default_ranker.cache_clear()
    try:
        return default_ranker()
    finally:
        default_ranker.cache_clear()


@pytest.mark.parametrize(
    "model",
    [
        "no_such_model.json",  # missing
        "place_rules.yaml",  # no JSON model (a stale one is refused alike: see the round trip)
    ],
)
def test_an_unusable_model_falls_back_to_the_rules_with_a_warning(
    model: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sitroom.extract.place_ranker"):
        assert _with_model(monkeypatch, model) is None
    assert "unusable" in caplog.text and "resolving places by the rules" in caplog.text


def test_the_gazetteer_lists_its_places_by_kind() -> None:
    assert list(GAZ.places("admin1")) == [ONTARIO]
    assert len(list(GAZ.places())) == 5


def test_the_rules_score_and_the_document_centre_are_features() -> None:
    slots = [slot("London"), slot("Woodstock")]
    geography = DocGeography(slots, [None, "CA"], {"woodstock": WOODSTOCK_CA})
    x = features(
        slots[0], LONDON_GB, geography=geography, gazetteer=GAZ, rule_score=7.0, rule_best=9.5
    )
    named = dict(zip(FEATURE_NAMES, x, strict=True))
    assert named["rules_score"] == 0.7 and named["rules_margin"] == -2.5
    assert named["rules_pick"] == 0
    ca = vector(slots[0], LONDON_CA, geography)
    gb = vector(slots[0], LONDON_GB, geography)
    assert ca["centre_closeness"] > gb["centre_closeness"] > 0
    assert ca["country_share"] == 1 and gb["country_share"] == 0


def test_a_name_the_rules_leave_unplaced_stays_unplaced() -> None:
    hamlet = Place(1, "Hama", -10.0, 120.0, "ID", None, population=20)
    gaz = Gazetteer.from_places([hamlet])
    ranker = PlaceRanker(tuple(1.0 for _ in FEATURE_NAMES))
    hama = NameSlot("hama", "Hama", tuple(gaz.candidates("Hama")))
    assert ranker.resolve([hama], gazetteer=gaz) == [None]  # 20 people: below the rules' floor


def test_the_name_read_before_sets_the_scene_not_the_one_after() -> None:
    slots = [slot("Canada"), slot("London"), slot("Woodstock")]
    geography = DocGeography(slots, ["CA", None, "CA"], {"canada": CANADA})
    x = features(slots[1], LONDON_CA, geography=geography, gazetteer=GAZ, position=1)
    assert dict(zip(FEATURE_NAMES, x, strict=True))["country_adjacent"] == 1
    after = [slot("London"), slot("Canada")]
    geography = DocGeography(after, [None, "CA"], {"canada": CANADA})
    x = features(after[0], LONDON_CA, geography=geography, gazetteer=GAZ, position=0)
    assert dict(zip(FEATURE_NAMES, x, strict=True))["country_adjacent"] == 0


def test_a_county_is_a_point_and_mentions_weigh_a_region() -> None:
    county = Place(None, "Oxford County", 43.13, -80.77, "CA", "Ontario", "admin2", 110_000)
    quebec = Place(None, "Quebec", 52.0, -72.0, "CA", "Quebec", feature="admin1")
    gaz = Gazetteer.from_places([county, ONTARIO, quebec, WOODSTOCK_CA])
    slots = [
        NameSlot(name.lower(), name, tuple(gaz.candidates(name)))
        for name in ("Oxford County", "Ontario", "Ontario", "Quebec", "Woodstock")
    ]
    picks = {"ontario": ONTARIO, "quebec": quebec, "woodstock": WOODSTOCK_CA}
    geography = DocGeography(slots, [None, "CA", "CA", "CA", "CA"], picks)
    vector = features(slots[0], county, geography=geography, gazetteer=gaz)
    x = dict(zip(FEATURE_NAMES, vector, strict=True))
    assert x["near_towns"] == 1 and x["region_named"] == 1 and x["log_population"] > 5
    assert x["region_share"] == 3 / 4  # Ontario twice and Woodstock in it, against Quebec once


def test_a_qualifier_after_one_occurrence_settles_the_name() -> None:
    qualified = NameSlot("london", "London", (LONDON_GB, LONDON_CA), frozenset({("CA", "Ontario")}))
    slots = [qualified, slot("London")]
    geography = DocGeography(slots, [None, None], {})
    x = features(slots[1], LONDON_CA, geography=geography, gazetteer=GAZ)
    assert dict(zip(FEATURE_NAMES, x, strict=True))["qualified"] == 1
    by_population = PlaceRanker(_weights(log_population=1.0))
    # the rules read "London, Ontario"; the model weighs no namesake against the text
    assert by_population.resolve(slots, gazetteer=GAZ) == [LONDON_CA, LONDON_CA]
