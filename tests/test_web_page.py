"""The page in a real browser: Debian's Chromium driven by Playwright, over the example reports.

The server runs in this process on a free localhost port, over a database built from
``examples/reports`` plus one hostile report whose title, outlet and text carry markup and
script. Every page refuses requests to any other host, so the tests also prove that the page
needs no internet. Without /usr/bin/chromium they skip, unless SITROOM_REQUIRE_BROWSER is set
(``.ci/run`` installs Chromium and sets it, so there they run or fail).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from sitroom.api import analyze
from sitroom.config import Config
from sitroom.ids import document_id
from sitroom.pipeline import Resources
from sitroom.records import Analysis, ControlClaim, Document, Event, Evidence, Location, Relation
from sitroom.store import Store
from sitroom.web import create_app
from sitroom.web.local import HEADLESS_CHROMIUM_ARGS, serve_locally

CHROMIUM = Path("/usr/bin/chromium")

if not CHROMIUM.exists():
    if os.environ.get("SITROOM_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing and SITROOM_REQUIRE_BROWSER is set", pytrace=False)
    pytest.skip(
        f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium; "
        ".ci/run installs it)",
        allow_module_level=True,
    )

from playwright.sync_api import (  # noqa: E402  (only importable where the browser tests run)
    Browser,
    Page,
    expect,
    sync_playwright,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "reports"

# Each payload sets window.__pwned if it ever runs; the page must show it as text instead.
HOSTILE_TITLE = (
    "<script>window.__pwned=1</script>Protest in Latakia <img src=x onerror=window.__pwned=2>"
)
HOSTILE_SOURCE = "<b onmouseover=window.__pwned=3>Hostile Wire</b>"
HOSTILE_PAYLOAD = "<img src=x onerror=window.__pwned=5><script>window.__pwned=6</script>"
HOSTILE_REPORT = (
    f"---\ntitle: {HOSTILE_TITLE}\nsource: {HOSTILE_SOURCE}\n"
    "url: javascript:window.__pwned=4\npublished: 2024-12-03\n---\n"
    "LATAKIA, Syria — Hundreds of people protested in Latakia on Tuesday against rising bread "
    f"prices {HOSTILE_PAYLOAD}, witnesses said.\n"
)

COUNT = re.compile(r"^(\d+)(?: of (\d+))? events$")


@dataclass
class Server:
    """The running app: its base URL and a client for asking the API what the page should show."""

    url: str
    api: httpx.Client

    def get(self, path: str, **params: Any) -> Any:
        response = self.api.get(path, params=params)
        response.raise_for_status()
        return response.json()

    def events(self, **params: Any) -> list[dict[str, Any]]:
        return list(self.get("/api/events", limit=1000, **params)["items"])


@dataclass
class Watch:
    """What a page did that it should not: errors, dialogs, requests leaving localhost."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, resources: Resources) -> Path:
    """The example reports and the hostile one, analysed (resources: the session's pipeline)."""
    folder = tmp_path_factory.mktemp("page")
    reports = folder / "reports"
    shutil.copytree(EXAMPLES, reports)
    (reports / "zz_hostile.txt").write_text(HOSTILE_REPORT, encoding="utf-8")
    path = folder / "page.db"
    result = analyze([reports], db=path, config=Config())
    assert not result.errors
    assert any(a.document.title == HOSTILE_TITLE for a in result.analyses)
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[Server]:
    """uvicorn on a free localhost port, in a thread; stopped when the module is done."""
    with serve_locally(create_app(db)) as url, httpx.Client(base_url=url, timeout=10) as client:
        yield Server(url, client)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(HEADLESS_CHROMIUM_ARGS)
        )
        yield chromium
        chromium.close()


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, server: Server, watch: Watch) -> Iterator[Page]:
    """A fresh page on the site, loaded; any request off localhost is refused and recorded."""
    with opened(browser, server.url, watch) as tab:
        yield tab


@contextmanager
def opened(browser: Browser, url: str, watch: Watch) -> Iterator[Page]:
    """The page at ``url``, loaded; on leaving, no error and no request off localhost."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})

    def route(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            watch.outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("pageerror", lambda err: watch.errors.append(str(err)))
    tab.on("console", lambda msg: msg.type == "error" and watch.errors.append(msg.text))

    def dialog(d: Any) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    tab.on("dialog", dialog)
    tab.goto(url + "/")
    tab.wait_for_selector("body[data-ready]")
    yield tab
    context.close()
    # Errors include Content-Security-Policy violations, which Chromium logs to the console.
    assert watch.errors == [], watch.errors
    assert watch.outside == [], f"the page reached beyond localhost: {watch.outside}"


def shown_count(page: Page) -> tuple[int, int]:
    """The event-count element: (shown, total)."""
    text = page.get_by_test_id("event-count").inner_text().strip()
    found = COUNT.match(text)
    assert found, text
    return int(found[1]), int(found[2] or found[1])


def located(events: list[dict[str, Any]], country: str | None = None) -> list[dict[str, Any]]:
    return [
        e
        for e in events
        if e["location"]
        and e["location"]["latitude"] is not None
        and (country is None or e["location"]["country"] == country)
    ]


def open_event(page: Page, event_id: str) -> None:
    item = page.locator(f'[data-testid="event-item"][data-event-id="{event_id}"]')
    item.scroll_into_view_if_needed()
    item.click()
    expect(page.get_by_test_id("event-panel")).to_be_visible()
    expect(page.locator(".passage").first).to_be_visible()


def test_page_shows_every_event_and_the_markers_over_the_bundled_base_map(
    page: Page, server: Server
) -> None:
    events = server.events()
    assert shown_count(page) == (len(events), len(events))
    expect(page.get_by_test_id("event-item")).to_have_count(len(events))
    # Natural Earth country shapes, drawn from the package's own files.
    assert page.locator(".leaflet-base-pane path").count() > 100
    # The view opens on the country most events are in; every event located there is on the
    # map, alone or inside a cluster (a cluster shows how many it holds).
    singles = page.locator("path.ev-marker").count()
    clustered = sum(
        int(n)
        for n in page.locator(".ev-cluster-ring").evaluate_all(
            "rings => rings.map(r => r.dataset.count)"
        )
    )
    assert singles > 0 and clustered > 0
    assert len(located(events, "SY")) <= singles + clustered <= len(located(events))
    # A marker opens its event (one inside the view: the map also keeps some just beyond it).
    x, y = page.evaluate(
        """() => {
            const view = document.getElementById("map").getBoundingClientRect();
            for (const path of document.querySelectorAll("path.ev-marker")) {
                const r = path.getBoundingClientRect();
                if (r.left > view.left + 60 && r.right < view.right - 200
                    && r.top > view.top + 20 && r.bottom < view.bottom - 40) {
                    return [r.left + r.width / 2, r.top + r.height / 2];
                }
            }
            return [null, null];
        }"""
    )
    assert x is not None, "no single marker inside the view"
    page.mouse.click(x, y)
    expect(page.get_by_test_id("event-panel")).to_be_visible()
    event_id = page.url.rpartition("#event=")[2]
    assert event_id in {e["id"] for e in located(events)}
    expect(page.locator(f'[data-event-id="{event_id}"].selected')).to_have_count(1)


def test_date_range_filters_the_list_and_the_count(page: Page, server: Server) -> None:
    total = len(server.events())
    wanted = server.events(start="2024-12-01", end="2024-12-02")
    assert 0 < len(wanted) < total
    page.get_by_test_id("filter-start").fill("2024-12-01")
    page.get_by_test_id("filter-end").fill("2024-12-02")
    expect(page.get_by_test_id("event-count")).to_have_text(f"{len(wanted)} of {total} events")
    expect(page.get_by_test_id("event-item")).to_have_count(len(wanted))
    shown = page.get_by_test_id("event-item").evaluate_all(
        "items => items.map(i => i.dataset.eventId)"
    )
    assert sorted(shown) == sorted(e["id"] for e in wanted)
    # The histogram keeps every day and dims those outside the range.
    assert page.locator('g.day[data-day="2024-12-01"]:not(.dimmed)').count() == 1
    assert page.locator('g.day[data-day="2024-11-28"].dimmed').count() == 1
    page.get_by_test_id("filter-reset").click()
    expect(page.get_by_test_id("event-count")).to_have_text(f"{total} events")


def test_dragging_across_the_histogram_picks_the_dates(page: Page, server: Server) -> None:
    first = page.locator('g.day[data-day="2024-11-30"] .day-hit').bounding_box()
    last = page.locator('g.day[data-day="2024-12-03"] .day-hit').bounding_box()
    assert first and last
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + 20)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + 20, steps=4)
    page.mouse.up()
    expect(page.get_by_test_id("filter-start")).to_have_value("2024-11-30")
    expect(page.get_by_test_id("filter-end")).to_have_value("2024-12-03")
    wanted = server.events(start="2024-11-30", end="2024-12-03")
    expect(page.get_by_test_id("event-item")).to_have_count(len(wanted))


def test_type_actor_status_and_verdict_filters_ask_the_api(page: Page, server: Server) -> None:
    total = len(server.events())
    for testid, value, param in (
        ("filter-type", "Battles", "type"),
        ("filter-actor", "SYR-REBELS", "actor"),
        ("filter-status", "claimed", "status"),
        ("filter-verdict", "corroborated", "verdict"),
    ):
        wanted = server.events(**{param: value})
        assert 0 < len(wanted) < total, (param, value)
        page.get_by_test_id(testid).select_option(value)
        expect(page.get_by_test_id("event-count")).to_have_text(f"{len(wanted)} of {total} events")
        page.get_by_test_id(testid).select_option("")
        expect(page.get_by_test_id("event-count")).to_have_text(f"{total} events")


def test_an_event_told_by_two_outlets_shows_both_quotes_side_by_side(
    page: Page, server: Server
) -> None:
    # The Idlib air strike of 2 December: one outlet says 11 dead, another 25.
    idlib = [
        e
        for e in server.events(start="2024-12-02", end="2024-12-02")
        if e["location"] and e["location"]["name"] == "Idlib" and e["fatalities"]
    ]
    assert idlib, "the example reports no longer yield the Idlib strike"
    detail = server.get(f"/api/events/{idlib[0]['id']}")
    outlets = {r["document"]["source"] for r in detail["reports"]}
    assert len(outlets) >= 2
    open_event(page, detail["id"])
    panel = page.get_by_test_id("event-panel")
    expect(panel.get_by_test_id("source")).to_have_count(
        len({r["document"]["id"] for r in detail["reports"]})
    )
    quotes = panel.get_by_test_id("source-quote").all_inner_texts()
    for report in detail["reports"]:
        assert report["event"]["evidence"][0]["quote"] in quotes
    assert set(panel.get_by_test_id("source-outlet").all_inner_texts()) == outlets
    fatalities = next(c for c in detail["claims"] if c["field"] == "fatalities")
    assert fatalities["verdict"] == "contradicted"
    # Each source's toll is shown beside its quote, marked as contradicted.
    killed = panel.locator('.field-row[data-field="fatalities"]')
    expect(killed.locator('[data-verdict="contradicted"]')).to_have_count(len(fatalities["values"]))
    tolls = " | ".join(killed.locator(".field-value").all_inner_texts())
    for value in fatalities["values"]:
        assert f"{value['value']} ✗ contradicted" in tolls
    expect(panel.get_by_test_id("event-summary")).to_contain_text("reports say 11–25")
    # The address names the event, so the view can be shared and reloaded.
    assert page.url.endswith(f"#event={detail['id']}")
    page.get_by_test_id("panel-close").click()
    expect(panel).to_be_hidden()


def test_a_hostile_report_shows_as_text_and_runs_nothing(
    page: Page, server: Server, watch: Watch
) -> None:
    hostile = next(d for d in server.get("/api/documents")["items"] if d["title"] == HOSTILE_TITLE)
    event = next(e for e in server.events() if hostile["id"] in e["document_ids"])
    open_event(page, event["id"])
    panel = page.get_by_test_id("event-panel")
    expect(panel.get_by_test_id("source-title")).to_have_text(HOSTILE_TITLE)
    expect(panel.get_by_test_id("source-outlet")).to_have_text(HOSTILE_SOURCE)
    expect(panel.get_by_test_id("source-quote")).to_contain_text(HOSTILE_PAYLOAD)
    panel.get_by_test_id("source-outlet").hover()
    panel.get_by_text("Full report").click()
    expect(panel.get_by_test_id("report-text")).to_contain_text(HOSTILE_PAYLOAD)
    # Nothing the report holds became an element, a link or a running script.
    assert page.locator("img[src='x'], b[onmouseover]").count() == 0
    assert panel.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("() => document.scripts.length") == 4  # leaflet, cluster, topojson, app
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => window.__pwned") is None
    assert watch.dialogs == []


def test_control_by_place_marks_contradictions(page: Page, server: Server) -> None:
    timelines = server.get("/api/control")["items"]
    contradicted = sum(e["verdict"] == "contradicted" for t in timelines for e in t["entries"])
    assert timelines and contradicted
    page.get_by_role("tab", name="Control by place").click()
    view = page.get_by_test_id("control-view")
    expect(view.get_by_test_id("control-place")).to_have_count(len(timelines))
    expect(view.locator('[data-testid="control-entry"].conflict')).to_have_count(contradicted)
    expect(view.locator(".control-chart .bar.conflict")).to_have_count(contradicted)
    expect(view.get_by_test_id("control-place").first).to_contain_text(
        timelines[0]["place"]["name"]
    )


def test_actor_graph_draws_every_relation_and_filters_by_actor(page: Page, server: Server) -> None:
    relations = server.get("/api/relations")["items"]
    actors = {r["subject"] for r in relations} | {r["object"] for r in relations}
    page.get_by_role("tab", name="Actors").click()
    graph = page.get_by_test_id("actor-graph")
    expect(graph.get_by_test_id("graph-edge")).to_have_count(len(relations))
    expect(graph.get_by_test_id("graph-node")).to_have_count(len(actors))
    wanted = server.events(actor="MIL-RU")
    graph.locator('[data-actor="MIL-RU"]').click()
    expect(page.get_by_test_id("filter-actor")).to_have_value("MIL-RU")
    expect(page.get_by_test_id("event-count")).to_contain_text(f"{len(wanted)} of ")


def test_a_place_the_report_did_not_name_says_so(page: Page, server: Server) -> None:
    inferred = [e for e in server.events() if e["location"] and e["location"]["inferred"]]
    assert inferred, "the example reports no longer give an incident without a named place"
    event = inferred[0]
    item = page.locator(f'[data-testid="event-item"][data-event-id="{event["id"]}"]')
    expect(item.locator(".item-where")).to_contain_text("country only")
    open_event(page, event["id"])
    expect(page.get_by_test_id("event-panel")).to_contain_text(
        f"{event['location']['name']} (country only: no place named)"
    )


def test_a_place_with_a_dated_and_an_undated_claim_keeps_the_page_whole(
    browser: Browser, tmp_path: Path, watch: Watch
) -> None:
    # Finding: control.js drew an undated entry at day NaN and threw "Invalid time value", so
    # the page showed no events and no timeline.
    saraqib = Location("Saraqib", 172059, 35.86, 36.80, "SY", "Idlib", 1)
    text = "Rebels took Saraqib on 26 November. The army holds Saraqib, the ministry said."
    doc = Document(document_id(text), "hand.txt", text, source="Hand Wire")
    quote = Evidence(doc.id, 0, 34, text[:34])
    event = Event(
        f"{doc.id}-e0", doc.id, "reported", dt.date(2024, 11, 26), "day", "Battles",
        "Non-state actor overtakes territory", "FIGHT", None, "SYR-REBELS", "MIL-SY",
        location=saraqib, trigger="took", evidence=(quote,),
    )  # fmt: skip
    control = (
        ControlClaim(saraqib, "SYR-REBELS", "captured", dt.date(2024, 11, 26), "day", (quote,)),
        ControlClaim(saraqib, "MIL-SY", "held", None, "unknown", (quote,)),
    )
    db = tmp_path / "hand.db"
    with Store.open(db) as store:
        store.save(Analysis(doc, events=(event,), control=control))
    with serve_locally(create_app(db)) as url, opened(browser, url, watch) as tab:
        expect(tab.get_by_test_id("event-item")).to_have_count(1)
        assert shown_count(tab) == (1, 1)
        tab.get_by_role("tab", name="Control by place").click()
        view = tab.get_by_test_id("control-view")
        expect(view.get_by_test_id("control-entry")).to_have_count(2)
        expect(view.get_by_test_id("control-entry").nth(1)).to_contain_text("undated")


def test_an_edge_told_by_many_reports_sends_a_few_quotes_and_loads_the_rest(
    browser: Browser, tmp_path: Path, watch: Watch
) -> None:
    """/api/relations sends each edge's first quotes with their count; opening the quotes
    asks for that edge's evidence. The page asks only for the reports its views cite (by id),
    never walks the list of every report."""
    db = tmp_path / "edge.db"
    told = 5
    with Store.open(db) as store:
        for i in range(told):
            text = f"Report {i}: HTS fighters attacked government positions, a monitor said."
            doc = Document(document_id(text), f"r{i}.txt", text, source=f"Wire {i}")
            quote = Evidence(doc.id, 0, len(text), text)
            store.save(
                Analysis(doc, relations=(Relation("HTS", "opposes", "SYR", None, (quote,)),))
            )
    asked: list[str] = []
    with serve_locally(create_app(db)) as url, opened(browser, url, watch) as tab:
        tab.on("request", lambda r: asked.append(r.url))
        tab.reload()
        tab.wait_for_selector("body[data-ready]")
        tab.get_by_role("tab", name="Actors").click()
        relation = tab.get_by_test_id("relation")
        expect(relation).to_have_count(1)
        expect(relation).to_contain_text(f"and {told - 3} more reports")
        quotes = relation.locator("details.quotes")
        expect(quotes.locator("summary")).to_have_text(f"evidence ({told} quotes)")
        expect(quotes.locator("blockquote")).to_have_count(3)
        quotes.locator("summary").click()
        expect(quotes.locator("blockquote")).to_have_count(told)
        cited = quotes.locator("cite").all_inner_texts()
        assert sorted(c.strip() for c in cited) == [f"— Wire {i}" for i in range(told)]
    documents = [u for u in asked if urlsplit(u).path.endswith("/api/documents")]
    assert documents and all("id=" in urlsplit(u).query for u in documents), documents
