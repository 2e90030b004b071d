"""The HTTP API (docs/web-api.md) through an in-process client, on four example reports."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import BACKENDS
from postgres_server import PostgresServer
from sitroom.api import analyze
from sitroom.config import Config
from sitroom.pipeline import Resources
from sitroom.records import EVENT_STATUSES
from sitroom.store.backend import is_url
from sitroom.store.picture_read import BINS, MAX_BINS, bin_count, bin_start
from sitroom.web import create_app
from sitroom.web.hosts import served_names

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports"
# Two reports of the Idlib strike (11 vs 25 dead) and two of the fall of Aleppo.
REPORTS = (
    "02_rebels_enter_aleppo.txt",
    "03_army_redeploys_aleppo.txt",
    "05_idlib_strikes_monitor.txt",
    "06_idlib_strikes_civil_defence.txt",
)
LOCAL = "http://127.0.0.1"  # the server answers loopback names only (DNS rebinding guard)
TOKEN = "test-token-0123456789"
IDLIB = (36.63, 35.93)  # lon, lat

NEW_REPORT = (
    "---\ntitle: Shelling near Saraqib\nsource: Test Wire\npublished: 2024-12-04\n---\n"
    "Government forces shelled the town of Saraqib on Tuesday, killing three civilians, "
    "a war monitor said.\n"
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the four reports."""
    folder = tmp_path_factory.mktemp("web")
    for name in REPORTS:
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def _analysed(reports: Path, target: str) -> str:
    result = analyze([reports], db=target, config=Config())
    assert len(result.analyses) == len(REPORTS) and not result.errors
    return target


@pytest.fixture(scope="module", params=BACKENDS)
def db(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    reports: Path,
    resources: Resources,
) -> str:
    """A database built from the four reports, on each backend in turn (resources: the
    session's loaded pipeline)."""
    if request.param == "sqlite":
        return _analysed(reports, str(tmp_path_factory.mktemp("web") / "web.db"))
    server: PostgresServer = request.getfixturevalue("postgres")
    return _analysed(reports, server.fresh())


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url=LOCAL) as c:
        yield c


@pytest.fixture
def writable(
    db: str, reports: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[TestClient, FastAPI]]:
    """A server with a token over a copy of the database (writes do not leak between tests):
    the file copied, or on PostgreSQL the reports analysed again into a new schema."""
    if is_url(db):
        server: PostgresServer = request.getfixturevalue("postgres")
        copy = _analysed(reports, server.fresh())
    else:
        copy = str(tmp_path / "copy.db")
        shutil.copy(db, copy)
    app = create_app(copy, token=TOKEN, max_body_bytes=50_000)
    with TestClient(app, base_url=LOCAL) as c:
        yield c, app


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def events(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape: exactly {"error": {"status", "code", "message"}}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_health_counts_what_is_stored_and_says_it_is_read_only(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["documents"] == len(REPORTS)
    assert body["events"] > 0 and body["writable"] is False


def test_events_are_paginated_in_date_order(client: TestClient) -> None:
    everything = events(client, limit=1000)
    assert everything["total"] == len(everything["items"]) > 4
    dates = [e["event_date"] for e in everything["items"] if e["event_date"]]
    assert dates == sorted(dates)
    first, second = events(client, limit=2), events(client, limit=2, offset=2)
    assert first["total"] == everything["total"]
    assert [e["id"] for e in first["items"] + second["items"]] == [
        e["id"] for e in everything["items"][:4]
    ]


def test_the_idlib_toll_is_contradicted_with_both_figures_side_by_side(
    client: TestClient,
) -> None:
    found = events(client, verdict="contradicted", start="2024-12-02", end="2024-12-02")
    idlib = [e for e in found["items"] if e["location"] and e["location"]["name"] == "Idlib"]
    assert idlib, found
    detail = client.get(f"/api/events/{idlib[0]['id']}").json()
    fatalities = next(c for c in detail["claims"] if c["field"] == "fatalities")
    assert fatalities["verdict"] == "contradicted"
    assert {v["value"] for v in fatalities["values"]} >= {"11", "25"}
    assert all(v["quote"] for v in fatalities["values"])
    titles = {r["document"]["title"] for r in detail["reports"]}
    assert len(titles) >= 2 and detail["sources"] >= 2


def test_filters_narrow_the_list(client: TestClient) -> None:
    total = events(client)["total"]
    assert 0 < events(client, start="2024-12-02", end="2024-12-02")["total"] < total
    assert events(client, start="2030-01-01")["total"] == 0
    air = events(client, type="Air/drone strike")
    assert air["total"] > 0
    assert all(e["sub_event_type"] == "Air/drone strike" for e in air["items"])
    syria = events(client, country="sy")["total"]
    assert 0 < syria <= total
    # A box around Idlib city only.
    boxed = events(client, bbox="36.4,35.7,36.9,36.1")
    assert boxed["total"] > 0
    assert {e["location"]["name"] for e in boxed["items"]} == {"Idlib"}
    hts = events(client, actor="HTS")
    assert all(e["id"] for e in hts["items"])


def test_geojson_points_are_longitude_then_latitude(client: TestClient) -> None:
    response = client.get("/api/events.geojson", params={"bbox": "36.4,35.7,36.9,36.1"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    lon, lat = collection["features"][0]["geometry"]["coordinates"]
    assert abs(lon - IDLIB[0]) < 0.3 and abs(lat - IDLIB[1]) < 0.3
    assert collection["features"][0]["properties"]["place"] == "Idlib"
    assert collection["features"][0]["properties"]["place_inferred"] is False


def test_actors_relations_control_and_documents(client: TestClient) -> None:
    actors = client.get("/api/actors").json()["items"]
    assert any(a["name"] == "Hayat Tahrir al-Sham" for a in actors)
    relations = client.get("/api/relations").json()["items"]
    assert relations and all(r["first_seen"] is None or r["document_ids"] for r in relations)
    aleppo = client.get("/api/control", params={"place": "aleppo"}).json()["items"]
    assert [t["place"]["name"] for t in aleppo] == ["Aleppo"]
    assert client.get("/api/control", params={"place": "Atlantis"}).json() == {"items": []}
    documents = client.get("/api/documents").json()["items"]
    assert len(documents) == len(REPORTS) and all("text" not in d for d in documents)
    one = client.get(f"/api/documents/{documents[0]['id']}").json()
    assert one["text"] and one["title"] == documents[0]["title"]


@pytest.mark.parametrize("params", [{}, {"type": "Battles"}, {"status": "background"}])
def test_the_overview_counts_what_the_events_list_holds(
    client: TestClient, params: dict[str, str]
) -> None:
    """The page's counts, histogram, menus and first view come from /api/overview: each is
    what the events themselves give (here read whole from /api/events)."""
    items = events(client, limit=1000, **params)["items"]
    found = client.get("/api/overview", params={**params, "bin": "day"}).json()
    assert found["total"] == len(items) > 0
    placed = [e for e in items if e["location"] and e["location"]["latitude"] is not None]
    assert found["located"] == len(placed)
    assert found["verdicts"] == dict(Counter(e["verdict"] for e in items))
    days = Counter(
        (e["event_date"], e["event_type"], e["status"]) for e in items if e["event_date"]
    )
    assert {(d["date"], d["event_type"], d["status"]): d["events"] for d in found["days"]} == days
    for field in ("event_type", "sub_event_type", "plover_type"):
        assert found["types"][field] == sorted({e[field] for e in items if e[field]})
    named = {a for e in items for a in (e["actor1"], e["actor2"]) if a}
    assert named <= set(found["actors"])
    current = [e for e in placed if e["status"] != "background"]
    by_country = Counter(e["location"]["country"] for e in current)
    assert [(c["country"], c["events"]) for c in found["countries"]] == sorted(
        by_country.items(), key=lambda x: (-x[1], x[0] or "")
    )
    for country in found["countries"]:
        here = [e["location"] for e in current if e["location"]["country"] == country["country"]]
        lons, lats = [p["longitude"] for p in here], [p["latitude"] for p in here]
        assert country["bbox"] == [min(lons), min(lats), max(lons), max(lats)]


@pytest.mark.parametrize("size", [*BINS, "auto"])
def test_the_overview_counts_events_per_bin_within_the_days_asked_for(
    client: TestClient, size: str
) -> None:
    """``days`` sums the dated events into bins (``auto``: the finest of at most MAX_BINS);
    ``days_start`` and ``days_end`` keep the bins within them and count the rest."""
    dated = [e for e in events(client, limit=1000)["items"] if e["event_date"]]
    days = sorted(dt.date.fromisoformat(e["event_date"]) for e in dated)
    found = client.get("/api/overview", params={"bin": size}).json()
    chosen = found["bin"]
    if size == "auto":
        finer = BINS[: BINS.index(chosen)]
        assert bin_count(days[0], days[-1], chosen) <= MAX_BINS
        assert all(bin_count(days[0], days[-1], f) > MAX_BINS for f in finer)
    else:
        assert chosen == size
    bins = Counter(
        (bin_start(dt.date.fromisoformat(e["event_date"]), chosen).isoformat(), e["event_type"],
         e["status"])
        for e in dated
    )  # fmt: skip
    assert {(d["date"], d["event_type"], d["status"]): d["events"] for d in found["days"]} == bins
    assert [d["date"] for d in found["days"]] == sorted(d["date"] for d in found["days"])
    assert found["days_outside"] == 0
    current = sorted(e["event_date"] for e in dated if e["status"] != "background")
    assert found["dates"] == {"first": current[0], "last": current[-1]}
    low, high = days[len(days) // 3], days[2 * len(days) // 3]
    window = {"bin": size, "days_start": str(low), "days_end": str(high)}
    inside = client.get("/api/overview", params=window).json()
    within = [e for e in dated if str(low) <= e["event_date"] <= str(high)]
    assert sum(d["events"] for d in inside["days"]) == len(within)
    assert inside["days_outside"] == len(dated) - len(within)
    assert inside["total"] == found["total"]  # the window narrows the bins only
    refused = client.get("/api/overview", params={"days_start": str(high), "days_end": str(low)})
    if low < high:
        assert_error(refused, 422, "invalid_input")
    assert_error(client.get("/api/overview", params={"bin": "fortnight"}), 422, "invalid_input")


def test_the_overview_without_filters_lists_the_actors_every_status_lists(
    client: TestClient,
) -> None:
    """Unfiltered, the actors come from their own table's index; filtered, through the events."""
    every = client.get("/api/overview").json()["actors"]
    by_status = [
        client.get("/api/overview", params={"status": s}).json()["actors"] for s in EVENT_STATUSES
    ]
    assert every and every == sorted({a for found in by_status for a in found})


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {
        "/api/health",
        "/api/events",
        "/api/events/{event_id}",
        "/api/events.geojson",
        "/api/overview",
        "/api/actors",
        "/api/relations",
        "/api/control",
        "/api/documents",
        "/api/documents/{document_id}",
        "/api/reports",
    } <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"start", "end", "type", "actor", "country", "status", "verdict", "bbox"} <= names


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/nowhere", 404, "not_found"),
        ("get", "/api/events/no-such-event", 404, "not_found"),
        ("get", "/api/documents/no-such-document", 404, "not_found"),
        ("get", "/api/events?start=2024-13-40", 422, "invalid_input"),
        ("get", "/api/events?start=2024-12-05&end=2024-12-01", 422, "invalid_input"),
        ("get", "/api/events?limit=0", 422, "invalid_input"),
        ("get", "/api/events?limit=100000", 422, "invalid_input"),
        ("get", "/api/events?bbox=1,2,3", 422, "invalid_input"),
        ("get", "/api/events?bbox=0,95,1,96", 422, "invalid_input"),
        ("get", "/api/events?status=rumoured", 422, "invalid_input"),
        ("get", "/api/events?verdict=maybe", 422, "invalid_input"),
        ("delete", "/api/events", 405, "method_not_allowed"),
        ("post", "/api/reports", 403, "forbidden"),
    ],
)
def test_every_error_has_the_one_json_shape(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    assert_error(client.request(method.upper(), path), status, code)


def test_a_bad_parameter_is_named_in_the_message(client: TestClient) -> None:
    message = assert_error(client.get("/api/events?limit=zero"), 422, "invalid_input")["message"]
    assert "limit" in message


def test_posting_a_report_adds_it_to_the_picture(
    writable: tuple[TestClient, FastAPI],
) -> None:
    c, _ = writable
    before = c.get("/api/health").json()
    assert before["writable"] is True
    response = c.post(
        "/api/reports",
        content=NEW_REPORT.encode(),
        headers={**auth(), "Content-Type": "text/plain", "X-Report-Name": "../../saraqib.txt"},
    )
    assert response.status_code == 201, response.text
    added = response.json()["added"]
    assert [d["title"] for d in added] == ["Shelling near Saraqib"]
    assert added[0]["ref"] == "saraqib.txt"  # the base name only, never a path
    after = c.get("/api/health").json()
    assert after["documents"] == before["documents"] + 1
    assert events(c, start="2024-12-03", end="2024-12-03", country="SY")["total"] >= 1
    again = c.post(
        "/api/reports",
        content=NEW_REPORT.encode(),
        headers={**auth(), "Content-Type": "text/plain"},
    )
    assert again.status_code == 201 and again.json()["added"] == []
    assert again.json()["skipped"][0]["reason"] == "already stored"


def test_a_file_upload_and_json_bodies_are_read_like_analyze_reads_files(
    writable: tuple[TestClient, FastAPI],
) -> None:
    c, _ = writable
    line = json.dumps({"id": "up-1", "text": "Rebels shelled Hama on Monday.", "title": "Up one"})
    upload = c.post(
        "/api/reports",
        files={"file": ("batch.jsonl", line.encode() + b"\n{broken\n", "application/x-ndjson")},
        headers=auth(),
    )
    assert upload.status_code == 201, upload.text
    assert [d["ref"] for d in upload.json()["added"]] == ["up-1"]
    skipped = upload.json()["skipped"]
    assert len(skipped) == 1 and "batch.jsonl:2" in skipped[0]["reason"]
    body = {"id": "up-2", "text": "Militants attacked an army post near Palmyra on Monday."}
    posted = c.post("/api/reports", json=body, headers=auth())
    assert posted.status_code == 201 and posted.json()["added"][0]["ref"] == "up-2"


def test_text_in_another_script_is_stored_not_crashed_on(
    writable: tuple[TestClient, FastAPI],
) -> None:
    c, _ = writable
    # UTF-16 with a byte-order mark, decoding to CJK characters: valid text, nothing to extract.
    body = b"\xff\xfe" + "戀愀搀 攀 戀愀搀".encode("utf-16-le")
    response = c.post(
        "/api/reports", content=body, headers={**auth(), "Content-Type": "text/plain"}
    )
    assert response.status_code == 201, response.text
    assert len(response.json()["added"]) == 1


def test_writing_needs_the_right_token(writable: tuple[TestClient, FastAPI]) -> None:
    c, _ = writable
    text = {"Content-Type": "text/plain"}
    assert_error(
        c.post("/api/reports", content=b"Rebels advanced.", headers=text), 401, "unauthorized"
    )
    wrong = {**text, **auth("not-the-token-at-all")}
    assert_error(
        c.post("/api/reports", content=b"Rebels advanced.", headers=wrong), 401, "unauthorized"
    )
    assert c.get("/api/health").json()["documents"] == len(REPORTS)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code", "needle"),
    [
        (b"\x00\x01\x02binary", "text/plain", 422, "invalid_input", "upload.text"),
        (b"caf\xc3\x28 \x81\x8d\x8f\x90", "text/plain", 422, "invalid_input", "not UTF-8"),
        (b"{not json", "application/json", 422, "invalid_input", "not valid JSON"),
        (b"   ", "text/plain", 422, "invalid_input", "empty"),
        (b"x" * 60_000, "text/plain", 413, "payload_too_large", "50,000 bytes"),
        (b"%PDF-1.4", "application/pdf", 415, "unsupported_media_type", "application/pdf"),
        # Finding: JSON nested deeper than Python's recursion limit was a 500.
        (b"[" * 30_000, "application/json", 422, "invalid_input", "nested too deeply"),
        (b'{"a":' * 9_000, "application/json", 422, "invalid_input", "nested too deeply"),
        (
            b'{"id": "x", "text": ' + b"[" * 30_000,
            "application/x-ndjson",
            422,
            "invalid_input",
            "nested too deeply",
        ),
    ],
)
def test_bad_uploads_get_a_clear_error_and_nothing_stored_is_lost(
    writable: tuple[TestClient, FastAPI],
    body: bytes,
    content_type: str,
    status: int,
    code: str,
    needle: str,
) -> None:
    c, _ = writable
    before = c.get("/api/events", params={"limit": 1000}).json()
    response = c.post(
        "/api/reports", content=body, headers={**auth(), "Content-Type": content_type}
    )
    assert needle in assert_error(response, status, code)["message"]
    assert c.get("/api/events", params={"limit": 1000}).json() == before


def test_the_page_is_served_with_a_content_security_policy(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/../../server.py").status_code == 404


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "10.0.0.5", ""]
)
def test_a_request_for_another_host_name_is_refused(client: TestClient, host: str) -> None:
    # Finding: the server answered any Host, so a page on a rebound domain could read it.
    response = client.get("/api/documents", headers={"Host": host})
    assert "DNS rebinding" in assert_error(response, 400, "bad_request")["message"]


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST."])
def test_loopback_names_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/api/health", headers={"Host": host}).status_code == 200


def test_allowed_host_names_and_the_bind_name_are_answered(db: str) -> None:
    names = served_names("sitroom.lan", ["10.0.0.5"])
    assert names == {"localhost", "127.0.0.1", "::1", "sitroom.lan", "10.0.0.5"}
    assert served_names("0.0.0.0") == {"localhost", "127.0.0.1", "::1"}
    with TestClient(create_app(db, allowed_hosts=names), base_url="http://sitroom.lan") as c:
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/health", headers={"Host": "10.0.0.5:80"}).status_code == 200
        assert c.get("/api/health", headers={"Host": "evil.example"}).status_code == 400


def test_api_docs_work_offline_under_the_page_policy(client: TestClient) -> None:
    # Finding: /docs loaded Swagger UI from a CDN, without a Content-Security-Policy.
    response = client.get("/docs")
    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "<script" not in response.text and "cdn" not in response.text.lower()
    assert "GET /api/events" in response.text and "POST /api/reports" in response.text
    assert client.get("/redoc").status_code == 404
