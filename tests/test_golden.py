"""Golden files: the whole pipeline on the bundled example reports.

Two kinds of check:
- a snapshot per report (``tests/data/expected/<report>.json``: events, actors, places,
  relations, control) that any change in output must update on purpose, with
  ``SITROOM_UPDATE_GOLDEN=1 pytest tests/test_golden.py``;
- the facts a careful reader finds in the reports (``examples/README.md``'s fact sheet), which
  must be there whatever else changes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sitroom.ingest import read_inputs
from sitroom.pipeline import analyze_docs
from sitroom.records import Analysis, Document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "reports"
EXPECTED = Path(__file__).parent / "data" / "expected"
UPDATE = os.environ.get("SITROOM_UPDATE_GOLDEN") == "1"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyses(resources) -> dict[str, Analysis]:  # type: ignore[no-untyped-def]
    documents = [d for d in read_inputs([EXAMPLES]) if isinstance(d, Document)]
    return {Path(a.document.ref).stem: a for a in analyze_docs(documents, resources=resources)}


def snapshot(analysis: Analysis) -> dict[str, Any]:
    """What a report yields, compactly and in reading order."""
    text = analysis.document.text
    return {
        "events": [
            {
                "trigger": e.trigger,
                "type": e.sub_event_type,
                "plover": [e.plover_type, e.plover_mode],
                "status": e.status,
                "date": [str(e.event_date) if e.event_date else None, e.date_precision],
                "actor1": e.actor1,
                "actor2": e.actor2,
                "location": e.location.name if e.location else None,
                "fatalities": [e.fatalities, e.fatalities_text],
                "quote": text[e.evidence[0].start : e.evidence[0].end][:80],
            }
            for e in analysis.events
        ],
        "actors": sorted(a.id for a in analysis.actors),
        "places": [
            [m.text, m.place.geonameid if m.place else None]
            for m in analysis.mentions
            if m.kind == "place"
        ],
        "relations": [[r.subject, r.predicate, r.object] for r in analysis.relations],
        "control": [[c.place.name, c.controller, c.status] for c in analysis.control],
    }


REPORTS = sorted(
    [p.stem for p in EXAMPLES.glob("*.txt")]
    + [p.stem for p in EXAMPLES.glob("*.html")]
    + ["11_damascus_falls", "12_damascus_falls_republished"]
)


@pytest.mark.parametrize("report", REPORTS)
def test_snapshot(analyses: dict[str, Analysis], report: str) -> None:
    got = snapshot(analyses[report])
    path = EXPECTED / f"{report}.json"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; review it and commit it")
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_evidence_indexes_the_text_exactly(analyses: dict[str, Analysis]) -> None:
    for analysis in analyses.values():
        text = analysis.document.text
        for event in analysis.events:
            for ev in event.evidence:
                assert text[ev.start : ev.end] == ev.quote
        for mention in analysis.mentions:
            assert text[mention.start : mention.end] == mention.text


# -- the fact sheet -----------------------------------------------------------------------------


def find(analysis: Analysis, **want: Any) -> bool:
    """Whether one event has every wanted field (location by name, date as ISO text)."""
    for e in analysis.events:
        fields = {
            "type": e.sub_event_type,
            "plover": e.plover_type,
            "status": e.status,
            "date": str(e.event_date) if e.event_date else None,
            "actor1": e.actor1,
            "location": e.location.name if e.location else None,
            "fatalities": e.fatalities,
            "claimed_by": e.claimed_by,
        }
        if all(
            (fields[k] in v if isinstance(v, tuple) else fields[k] == v) for k, v in want.items()
        ):
            return True
    return False


REBELS = ("SYR-REBELS", "HTS", "SNA", "UAG-SY")
TAKEN = "Non-state actor overtakes territory"

FACTS = [
    pytest.param(
        "03_army_redeploys_aleppo",
        {"type": TAKEN, "actor1": REBELS, "location": "Aleppo", "date": "2024-11-30"},
        id="E2 Aleppo taken (03)",
    ),
    pytest.param("04_aleppo_citadel", {"type": TAKEN, "actor1": REBELS}, id="E2 Aleppo taken (04)"),
    pytest.param(
        "05_idlib_strikes_monitor",
        {"type": "Air/drone strike", "location": "Idlib", "date": "2024-12-02", "fatalities": 11},
        id="E4/D1 Idlib strike, 11 killed",
    ),
    pytest.param(
        "06_idlib_strikes_civil_defence",
        {"fatalities": 25, "date": "2024-12-02"},
        id="D1 Idlib toll, at least 25",
    ),
    # Report 05 tells the crossing itself ("fighters from Iran-backed militias crossed into
    # Syria"): a mobilisation PLOVER codes, at the crossing. (It used to be met by the UN's
    # "aid convoys had been suspended" typed as a change of group, which it is not.)
    pytest.param(
        "05_idlib_strikes_monitor",
        {"plover": "MOBILIZE", "date": "2024-12-02", "location": "Ālbū Kamāl"},
        id="E5 Iraqi militias cross (05)",
    ),
    pytest.param(
        "06_idlib_strikes_civil_defence",
        {"type": "Change to group/activity", "date": "2024-12-02"},
        id="E5 Iraqi militias cross (06)",
    ),
    pytest.param(
        "07_rebels_enter_hama",
        {"status": "claimed", "location": "Ḩamāh", "date": "2024-12-04"},
        id="D2 rebels claim Hama",
    ),
    pytest.param(
        "08_army_holds_hama",
        {"status": ("claimed", "denied"), "location": "Ḩamāh", "date": "2024-12-04"},
        id="D2 army says it holds Hama",
    ),
    pytest.param(
        "09_hama_falls",
        {"type": TAKEN, "actor1": REBELS, "location": "Ḩamāh", "date": "2024-12-05"},
        id="Hama falls",
    ),
    pytest.param(
        "11_damascus_falls",
        {"type": TAKEN, "actor1": REBELS, "location": "Damascus", "date": "2024-12-08"},
        id="E6 Damascus taken",
    ),
    pytest.param(
        "11_damascus_falls",
        {"type": TAKEN, "actor1": REBELS, "location": "Homs", "date": "2024-12-07"},
        id="Homs taken",
    ),
    pytest.param(
        "10_manbij_shelling_car_bomb",
        {"type": "Remote explosive/landmine/IED", "location": "Manbij"},
        id="Manbij car bomb",
    ),
    pytest.param(
        "10_manbij_shelling_car_bomb",
        {"type": "Shelling/artillery/missile attack", "location": "Manbij"},
        id="Manbij shelling",
    ),
    pytest.param(
        "03_army_redeploys_aleppo",
        {"type": TAKEN, "status": "background"},
        id="background is dated to its own time",
        marks=pytest.mark.xfail(reason="2016 recapture of Aleppo typed as a clash", strict=False),
    ),
    pytest.param(
        "02_rebels_enter_aleppo",
        {"type": TAKEN, "actor1": REBELS, "location": "Aleppo"},
        id="E2 Aleppo taken (02)",
    ),
]


@pytest.mark.parametrize(("report", "want"), FACTS)
def test_fact_sheet(analyses: dict[str, Analysis], report: str, want: dict[str, Any]) -> None:
    assert find(analyses[report], **want), f"{report}: no event with {want}"


def test_wire_copy_yields_the_same_events(analyses: dict[str, Analysis]) -> None:
    first = {
        (e.sub_event_type, e.location.name if e.location else None)
        for e in analyses["11_damascus_falls"].events
    }
    second = {
        (e.sub_event_type, e.location.name if e.location else None)
        for e in analyses["12_damascus_falls_republished"].events
    }
    assert len(first & second) >= len(first) * 0.6


def test_backers_are_named(analyses: dict[str, Analysis]) -> None:
    relations = {(r.subject, r.predicate, r.object) for a in analyses.values() for r in a.relations}
    assert ("GOV-US", "supports", "SDF") in relations
    assert any(s == "GOV-IR" and p == "supports" for s, p, _ in relations)
    assert any(s in ("GOV-RU", "MIL-RU") and p == "supports" for s, p, _ in relations)
