"""The incident scorer's convention on a tiny hand-written gold: hits, duplicates, spurious kinds,
field accuracy, the 50 km check and actor word matching; no model (events are built by hand)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import factories
from sitroom.errors import InputError
from sitroom.evaluate import harness, incidents
from sitroom.evaluate.incidents import (
    GoldIncident,
    IncidentDoc,
    NonIncident,
    ScoredEvent,
    actor_matches,
    distinctive_words,
    read_documents,
    score_documents,
    scored_events,
)
from sitroom.evaluate.split import ALL, half_of
from sitroom.records import Actor, Analysis, Document, Event, Location

MARKET = (
    "Gunmen attacked a market in Kano on Monday, killing five people. The attack was condemned "
    "by the governor. Police arrested two suspects in Kano. In 2015 a bomb exploded in "
    "Maiduguri. Attacks happen often in the region. The governor will visit the city."
)
GOMA = "Troops clashed with rebels and shelled the town of Goma on Friday."
KANO = (12.0, 8.52)


def _span(text: str, quote: str) -> tuple[int, int]:
    at = text.find(quote)
    assert at >= 0, quote
    return at, at + len(quote)


def _incident(text: str, id: str, *quotes: str, **fields: Any) -> GoldIncident:
    base: dict[str, Any] = dict(
        status="reported",
        event_type=None,
        sub_event_type=None,
        actor1=None,
        actor2=None,
        place=None,
        country=None,
        lat=None,
        lon=None,
        date=None,
        fatalities=None,
    )
    base.update(fields)
    spans = tuple(_span(text, q) for q in quotes)
    return GoldIncident(id=id, spans=spans, quote=quotes[0], **base)


def _event(text: str, quote: str, event_type: str, sub: str, **fields: Any) -> ScoredEvent:
    return ScoredEvent(event_type, sub, (_span(text, quote),), quote, **fields)


MARKET_DOC = IncidentDoc(
    id="market",
    text=MARKET,
    title="Gunmen attack Kano market",
    published=dt.date(2024, 3, 6),
    incidents=(
        _incident(
            MARKET,
            "market#1",
            "Gunmen attacked a market in Kano on Monday",
            "The attack was condemned",
            event_type="Violence against civilians",
            sub_event_type="Attack",
            actor1="Unidentified armed group (Nigeria)",
            actor2="Civilians (Nigeria)",
            place="Kano",
            country="NG",
            lat=KANO[0],
            lon=KANO[1],
            date="2024-03-04",
            fatalities=5,
        ),
        _incident(
            MARKET,
            "market#2",
            "Police arrested two suspects in Kano",
            event_type="Strategic developments",
            sub_event_type="Arrests",
            actor1="Police Forces of Nigeria",
            place="Kano",
            country="NG",
            lat=KANO[0],
            lon=KANO[1],
            date="2024-03",
        ),
        _incident(
            MARKET,
            "market#3",
            "In 2015 a bomb exploded in Maiduguri",
            status="background",
            event_type="Explosions/Remote violence",
            sub_event_type="Remote explosive/landmine/IED",
        ),
    ),
    non_incidents=(
        NonIncident(*_span(MARKET, "Attacks happen often"), "Attacks happen often", "generic"),
    ),
)
GOMA_DOC = IncidentDoc(
    id="goma",
    text=GOMA,
    title=None,
    published=None,
    incidents=(
        _incident(
            GOMA,
            "goma#1",
            "Troops clashed with rebels",
            event_type="Battles",
            sub_event_type="Armed clash",
            country="CD",
            lat=-1.68,
            lon=29.22,
        ),
        _incident(
            GOMA,
            "goma#2",
            "shelled the town of Goma",
            status="claimed",
            event_type="Explosions/Remote violence",
            sub_event_type="Shelling/artillery/missile attack",
        ),
    ),
)
VAC = "Violence against civilians"
SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
MARKET_EVENTS = [
    # a hit on market#1, every field right but actor2 (empty where the gold names civilians)
    _event(
        MARKET,
        "Gunmen attacked a market in Kano on Monday, killing five people.",
        VAC,
        "Attack",
        trigger="attacked",
        actor1=("Unidentified Armed Group (Nigeria)", "gunmen"),
        place="Kano",
        lat=12.05,
        lon=8.6,
        country="NG",
        date=dt.date(2024, 3, 4),
        date_precision="day",
        fatalities=5,
    ),
    # market#1 again: a duplicate
    _event(MARKET, "The attack was condemned by the governor.", VAC, "Attack", trigger="attack"),
    # a hit on market#2: wrong actor (another country), place far off; no date or toll scored
    _event(
        MARKET,
        "Police arrested two suspects in Kano.",
        "Strategic developments",
        "Arrests",
        trigger="arrested",
        actor1=("Military Forces of Ghana", "Ghanaian army"),
        place="Lagos",
        lat=6.45,
        lon=3.39,
        country="NG",
    ),
    _event(MARKET, "In 2015 a bomb exploded in Maiduguri.", *SHELLING, trigger="bomb"),
    _event(MARKET, "Attacks happen often in the region.", VAC, "Attack", trigger="Attacks"),
    _event(MARKET, "The governor will visit the city.", "Protests", "Peaceful protest"),
]
# One sentence tells both Goma incidents: each event takes an incident no event has matched
# yet, then one of its own sub-event type.
GOMA_EVENTS = [
    _event(GOMA, GOMA, *SHELLING, trigger="shelled"),  # goma#2: same sub-event type
    _event(GOMA, GOMA, *SHELLING, trigger="clashed"),  # goma#1: the one still unmatched
    _event(GOMA, GOMA, *SHELLING, trigger="shelling"),  # both matched: a duplicate of goma#2
]


def test_hits_duplicates_and_spurious_kinds() -> None:
    s = score_documents([MARKET_DOC, GOMA_DOC], [MARKET_EVENTS, GOMA_EVENTS], unscored=[2, 1])
    assert (s.n_scored, s.n_hits, s.n_duplicates) == (9, 4, 2)
    assert dict(s.spurious) == {"non_incident": 1, "background": 1, "other": 1}
    assert (s.n_current, s.n_found, s.n_unscored) == (4, 4, 3)  # background is not current
    assert s.precision == pytest.approx(4 / 9) and s.recall == 1.0
    assert s.duplicate_rate == pytest.approx(2 / 9)
    assert s.spurious_rate == pytest.approx(3 / 9)
    assert s.spurious_share("background") == pytest.approx(1 / 9)
    errors = "\n".join(s.errors)
    assert "duplicate: market#1 again (hit by 'attacked'): 'attack'" in errors
    assert "duplicate: goma#2 again (hit by 'shelled'): 'shelling'" in errors
    assert "spurious (background market#3): market 'bomb'" in errors
    assert "spurious (non-incident: generic): market 'Attacks'" in errors
    assert "spurious (other): market ''" in errors
    by_type = {t.label: t for t in s.types}
    assert by_type["Battles"].recall == 1.0 and by_type["Battles"].precision == 0.0
    assert by_type["Explosions/Remote violence"].precision == pytest.approx(2 / 4)


def test_recall_counts_incidents_missed() -> None:
    s = score_documents([MARKET_DOC, GOMA_DOC], [MARKET_EVENTS[:1], []])
    assert (s.n_found, s.n_current) == (1, 4) and s.recall == 0.25 and s.precision == 1.0
    assert sum(e.startswith("missed: ") for e in s.errors) == 2  # two of each kind shown
    every = score_documents([MARKET_DOC, GOMA_DOC], [MARKET_EVENTS[:1], []], errors_per_kind=None)
    assert sum(e.startswith("missed: ") for e in every.errors) == 3
    long = replace(MARKET_EVENTS[0], quote="word " * 40)
    (clipped,) = score_documents([MARKET_DOC], [[long, long]]).errors[:1]
    assert clipped.endswith("…»")
    whole = score_documents([MARKET_DOC], [[long, long]], errors_per_kind=None).errors[0]
    assert whole.endswith("word»") and len(whole) > len(clipped)


def test_field_accuracy_over_hits() -> None:
    s = score_documents([MARKET_DOC, GOMA_DOC], [MARKET_EVENTS, GOMA_EVENTS])
    got = {f.name: (f.right, f.n) for f in s.fields}
    assert got == {
        "event_type": (3, 4),  # goma#1 was hit by a shelling event
        "sub_event_type": (3, 4),
        "actor1": (1, 2),  # only where the gold names one; Ghana's army is not Nigeria's police
        "actor2": (0, 1),  # empty where the gold names civilians
        "place_50km": (1, 3),  # Lagos is far from Kano; an event without coordinates is wrong
        "country": (2, 3),
        "date": (1, 1),  # only where the gold has a day
        "fatalities": (1, 1),  # only where the gold has a number
    }
    errors = "\n".join(s.errors)
    assert "actor2: market#1 gold 'Civilians (Nigeria)', got '-'" in errors
    assert "place_50km: goma#1 gold 'None (-1.68, 29.22)', got '-, no coordinates'" in errors


def _one_hit(**fields: Any) -> dict[str, bool]:
    event = replace(MARKET_EVENTS[0], **fields)
    s = score_documents([MARKET_DOC], [[event]])
    return {f.name: f.right == 1 for f in s.fields if f.n}


def test_place_within_50_km() -> None:
    # 0.4 degrees of latitude is about 44 km, 0.5 degrees about 56 km.
    assert _one_hit(lat=KANO[0] + 0.4, lon=KANO[1])["place_50km"]
    assert not _one_hit(lat=KANO[0] + 0.5, lon=KANO[1])["place_50km"]
    assert not _one_hit(lat=None, lon=None)["place_50km"]


def test_date_must_name_the_day() -> None:
    assert _one_hit(date_precision="day")["date"]
    assert not _one_hit(date_precision="week")["date"]  # the week before publication
    assert not _one_hit(date=dt.date(2024, 3, 5))["date"]
    assert not _one_hit(fatalities=None)["fatalities"]


def test_actor_words() -> None:
    assert distinctive_words("Military Forces of Pakistan") == {"pakistan"}
    assert distinctive_words("Government of Syria (2000-2024)") == {"syria"}
    assert distinctive_words("Chérif Chekatt") == {"cherif", "chekatt"}
    assert distinctive_words("Unidentified armed group (Nigeria)") == {"nigeria"}
    assert actor_matches("al-Shabaab", ["Harakat al-Shabaab al-Mujahideen"])
    assert actor_matches("Chérif Chekatt", ["Cherif Chekatt"])
    assert actor_matches("Taliban", ["Islamic Emirate", "Taliban"])  # an alias counts
    assert not actor_matches("Military Forces of Pakistan", ["Military Forces of India"])
    assert not actor_matches("Islamic State", ["al-Qaeda"])  # 'al' is no distinctive word
    assert not actor_matches("Taliban", [])


def test_scored_events_from_an_analysis() -> None:
    text = "Taliban fighters attacked a checkpoint in Kabul. They may attack again."
    doc = Document("d1", "ref", text)

    def event(id: str, quote: str, **kw: Any) -> Event:
        kw.setdefault("kind", ("Battles", "Armed clash", "FIGHT"))
        return factories.event(doc, id=id, quote=quote, start=text.find(quote), **kw)

    kabul = Location("Kabul", 1138958, 34.53, 69.17, "AF", "Kabul", 1)
    analysis = Analysis(
        doc,
        actors=(Actor("TALIBAN", "Taliban", aliases=("Islamic Emirate",)),),
        events=(
            event(
                "e1",
                "Taliban fighters attacked a checkpoint in Kabul.",
                actor1="TALIBAN",
                actor2="new:checkpoint-guards",
                location=kabul,
                trigger="attacked",
            ),
            event("e2", "They may attack again.", status="planned"),
            event("e3", "They may attack again.", event_type=None, sub_event_type=None),
        ),
    )
    (found,), unscored = scored_events(analysis)
    assert unscored == 2
    assert found.actor1 == ("Taliban", "Islamic Emirate")
    assert found.actor2 == ("new:checkpoint-guards",)  # an actor the analysis lacks: its id
    assert (found.place, found.country, found.lat) == ("Kabul", "AF", 34.53)
    assert found.spans == ((0, 48),) and found.trigger == "attacked"


def _gold_line(doc: IncidentDoc, *, quote: str | None = None) -> str:
    incidents_ = [
        {
            "id": i.id,
            "status": i.status,
            "event_type": i.event_type,
            "sub_event_type": i.sub_event_type,
            "actor1": i.actor1,
            "actor2": i.actor2,
            "place": i.place,
            "country": i.country,
            "lat": i.lat,
            "lon": i.lon,
            "date": i.date,
            "fatalities": i.fatalities,
            "mentions": [quote or doc.text[s:e] for s, e in i.spans],
        }
        for i in doc.incidents
    ]
    return json.dumps(
        {
            "id": doc.id,
            "source_set": "hand",
            "title": doc.title,
            "published": doc.published.isoformat() if doc.published else None,
            "text": doc.text,
            "incidents": incidents_,
            "non_incidents": [{"quote": n.quote, "why": n.why} for n in doc.non_incidents],
        }
    )


def test_read_documents(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    path.write_text(_gold_line(MARKET_DOC) + "\n\n" + _gold_line(GOMA_DOC) + "\n", "utf-8")
    assert read_documents(path) == [MARKET_DOC, GOMA_DOC]
    assert read_documents(path, limit=1) == [MARKET_DOC]
    path.write_text(_gold_line(GOMA_DOC, quote="Rebels shelled Goma") + "\n", "utf-8")
    with pytest.raises(InputError, match="quote not in the text"):
        read_documents(path)


def test_harness_reports_each_half(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness analyses once and scores the whole set and each half (no model here)."""
    path = tmp_path / "dev.jsonl"
    path.write_text(_gold_line(MARKET_DOC) + "\n" + _gold_line(GOMA_DOC) + "\n", "utf-8")
    calls = []

    def predict(docs: list[IncidentDoc], *, resources: Any) -> tuple[list[Any], list[int]]:
        calls.append([d.id for d in docs])
        by_id = {"market": MARKET_EVENTS, "goma": GOMA_EVENTS}
        return [by_id[d.id] for d in docs], [0 for _ in docs]

    monkeypatch.setattr(incidents, "predict", predict)
    reports = harness.run_halves("incidents", path, resources=None)
    assert calls == [["market", "goma"]]
    assert reports[ALL].figure("precision") == pytest.approx(4 / 9)
    assert reports[ALL].figure("max_duplicate_rate") is None
    assert {n for n, _ in reports[ALL].headline} >= {"duplicate_rate", "spurious_other", "date"}
    assert (half_of("market"), half_of("goma")) == ("tune", "check")
    tune, check = reports["tune"], reports["check"]
    assert (tune.n_items, tune.half, check.n_items, check.half) == (1, "tune", 1, "check")
    assert tune.figure("precision") == pytest.approx(2 / 6)  # market: 2 hits of 6 events
    assert check.figure("precision") == pytest.approx(2 / 3)  # goma: 2 hits of 3 events
    assert check.figure("recall") == 1.0 and tune.figure("recall") == 1.0
