"""The server answers from the stored picture (sitroom.web.view.StoredView, indexed queries in one
read transaction): on random pictures, on SQLite and PostgreSQL, every endpoint gives what the
picture held in memory gives (sitroom.web.view.View, the server's answers before the picture was
stored), and no request reads the whole picture."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factories
import sitroom.store
import test_store_picture as cases
from conftest import NewDatabase
from sitroom.picture import build_ledger
from sitroom.records import (
    Actor,
    Analysis,
    ControlClaim,
    Evidence,
    Mention,
    Place,
    Relation,
)
from sitroom.store import Store
from sitroom.store.picture_read import BINS, MAX_BINS, auto_bin, bin_count, bin_start, binned
from sitroom.web import create_app
from sitroom.web.view import EdgeFilter, EventFilter, View, event_overview

LOCAL = "http://127.0.0.1"
# Place mentions: the spellings reports use, some of a gazetteer entry the control claims of
# test_store_picture resolve to (geonameids 1-3), some of none.
SPELLINGS = ["Hama", "HAMA", "Halab", "aleppo", "Anadan", "Idlib  City"]
GEONAMEIDS = [1, 2, 3, 7, None]
# What /api/control?place= is asked: spellings folded otherwise, place names, keys, nothing.
PLACE_QUERIES = ["hama", "Halab", "ALEPPO", "Anadan", "geonameid:2", "name:anadan", "idlib city"]
PLACE_QUERIES += ["Atlantis"]
# Refs repeat (ties are ordered by id) and sort by code point ("ü" after "z").
REFS = ["Agency.txt", "a.txt", "z.txt", "ü.txt"]


@st.composite
def reports(draw: st.DrawFn) -> list[Analysis]:
    """test_store_picture's random reports, with refs of their own and place mentions."""
    found = []
    for analysis in draw(cases.arrivals()):
        document = dataclasses.replace(analysis.document, ref=draw(st.sampled_from(REFS)))
        mentions = []
        for i in range(draw(st.integers(0, 3))):
            text = draw(st.sampled_from(SPELLINGS))
            gid = draw(st.sampled_from(GEONAMEIDS))
            place = Place(gid, text.title(), 36.0, 37.0, "SY")
            kind = draw(st.sampled_from(["place", "place", "actor"]))
            mentions.append(Mention(document.id, 5 * i, 5 * i + len(text), text, kind, None, place))
        found.append(
            dataclasses.replace(
                analysis,
                document=document,
                mentions=tuple(mentions),
                events=tuple(
                    dataclasses.replace(e, document_id=document.id) for e in analysis.events
                ),
            )
        )
    return found


def as_json(value: Any) -> Any:
    """A value as it comes back over HTTP."""
    return json.loads(json.dumps(value))


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def served(backend: str, new_database: NewDatabase) -> Iterator[Any]:
    """Serve a new database filled with the given reports: (client, View of the same)."""
    opened: list[Any] = []

    def serve(found: list[Analysis]) -> tuple[TestClient, View]:
        target = new_database(shared=True)
        with Store.open(target) as store:
            for analysis in found:
                store.save(analysis)
            picture = store.picture()
        app = create_app(target)
        opened.append(app.state.store)
        return TestClient(app, base_url=LOCAL), View(picture, build_ledger(picture))

    yield serve
    for store in opened:
        store.close()


def test_every_endpoint_answers_what_the_picture_in_memory_answers(
    backend: str, served: Any
) -> None:
    @settings(
        max_examples=int(60 * cases.EXAMPLES[backend]),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(reports(), st.integers(1, 3))
    def check(found: list[Analysis], size: int) -> None:
        client, meaning = served(found)
        events = meaning.ledger.events
        health = get(client, "/api/health")
        assert (health["documents"], health["events"]) == meaning.counts()
        listed = get(client, "/api/events", limit=1000)
        assert listed["items"] == as_json([meaning.event_summary(e) for e in events])
        geo = client.get("/api/events.geojson").json()
        assert geo == as_json(meaning.geojson(events))
        for event in events:
            assert get(client, f"/api/events/{event.id}") == as_json(meaning.event_detail(event.id))
        assert client.get("/api/events/no-such-event").status_code == 404
        assert get(client, "/api/actors") == {"items": as_json(meaning.actors())}
        edges = meaning.ledger.alliances
        assert get(client, "/api/relations") == {"items": as_json(meaning.relations(EdgeFilter()))}
        capped = EdgeFilter(evidence=size - 1)
        expected = {"items": as_json(meaning.relations(capped))}
        assert get(client, "/api/relations", evidence=size - 1) == expected
        for edge in edges:  # one edge with all of its evidence; by its subject or object
            one = EdgeFilter(edge.subject, edge.predicate, edge.object, evidence=1000)
            asked = {"subject": edge.subject, "predicate": edge.predicate, "object": edge.object}
            found = get(client, "/api/relations", **asked, evidence=1000)
            assert found == {"items": as_json(meaning.relations(one))}
            assert len(found["items"]) == 1
            assert len(found["items"][0]["evidence"]) == found["items"][0]["evidence_total"]
            by_subject = EdgeFilter(subject=edge.subject)
            expected = {"items": as_json(meaning.relations(by_subject))}
            assert get(client, "/api/relations", subject=edge.subject) == expected
            by_object = EdgeFilter(object=edge.object)
            expected = {"items": as_json(meaning.relations(by_object))}
            assert get(client, "/api/relations", object=edge.object) == expected
        assert get(client, "/api/control") == {"items": as_json(meaning.control(None))}
        for place in PLACE_QUERIES:
            expected = as_json(meaning.control(place))
            assert get(client, "/api/control", place=place) == {"items": expected}, place
        documents = meaning.document_list()
        # The first page (up to 1,000 reports) is the whole listing it always was.
        assert get(client, "/api/documents") == {"items": as_json(documents), "next": None}
        pages: list[Any] = []
        after = None
        for _ in range(len(documents) // size + 2):  # a cursor that stays fails, not hangs
            page = get(client, "/api/documents", limit=size, **({"after": after} if after else {}))
            assert len(page["items"]) <= size
            pages += page["items"]
            after = page["next"]
            if after is None:
                break
        assert pages == as_json(documents)
        ids = [d["id"] for d in documents[::size]] + ["no-such-document"]
        expected = {"items": as_json(meaning.documents_by_id(ids)), "next": None}
        assert get(client, "/api/documents", id=ids) == expected
        for document in documents:
            one = get(client, f"/api/documents/{document['id']}")
            assert one == as_json(meaning.document_detail(document["id"]))
        assert client.get("/api/documents/no-such-document").status_code == 404

    check()


def test_a_documents_cursor_that_is_none_of_ours_is_refused(served: Any) -> None:
    client, _ = served([])
    for cursor in ("nonsense", "null", "3", "[1, 2]", '{"ref": "a"}', '["a"]', '["a", "\\u0000"]'):
        response = client.get("/api/documents", params={"after": cursor})
        assert response.status_code == 422, (cursor, response.text)
        assert response.json()["error"]["code"] == "invalid_input"
    many = client.get("/api/documents", params={"id": [f"d{i}" for i in range(101)]})
    assert many.status_code == 422, many.text
    assert "at most 100 ids" in many.json()["error"]["message"]
    assert get(client, "/api/documents", id=["d1"]) == {"items": [], "next": None}


def _report(i: int) -> Analysis:
    """Report i of cases.DOCS with one event at Aleppo, one control claim and one relation."""
    document = cases.DOCS[i]
    evidence = (Evidence(document.id, 0, 6, "Report"),)
    return Analysis(
        document=document,
        actors=(Actor("HTS", "HTS", kind="armed_group"),),
        events=(
            factories.event(
                document,
                kind=cases.KINDS[0],
                quote="clashes",
                event_date=dt.date(2024, 12, 1),
                location=cases.PLACES[1],
                actor1="HTS",
            ),
        ),
        control=(ControlClaim(cases.PLACES[1], "HTS", "captured", None, "day", evidence),),
        relations=(Relation("HTS", "opposes", "SYR", None, evidence),),
    )


def test_no_request_reads_the_whole_picture(served: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every endpoint answers with the readers of the whole picture broken (the store builds
    no ledger in memory); a write shows in the next answer (nothing is cached)."""
    found = [_report(i) for i in range(4)]
    client, meaning = served(found[:3])

    def whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a request read the whole picture")

    monkeypatch.setattr(sitroom.store, "_picture", whole)
    monkeypatch.setattr(sitroom.store.picture_queries, "stored_ledger", whole)
    some = meaning.ledger.events[0].id if meaning.ledger.events else "none"
    document = meaning.document_list()[0]["id"]
    for path in (
        "/api/health", "/api/events", "/api/events.geojson", "/api/overview",
        f"/api/events/{some}", "/api/actors", "/api/relations", "/api/control",
        "/api/control?place=Aleppo", "/api/documents", f"/api/documents/{document}",
        "/api/relations?subject=HTS&evidence=1000", f"/api/documents?id={document}",
        "/api/overview?bin=week&days_start=2024-11-01&days_end=2024-12-31",
    ):  # fmt: skip
        assert client.get(path).status_code in (200, 404), path
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    overview = get(client, "/api/overview")
    assert get(client, "/api/overview") == overview  # kept, and the same
    later = found[3].events[0]
    store.save(
        dataclasses.replace(
            found[3], events=(dataclasses.replace(later, event_date=dt.date(2024, 12, 20)),)
        )
    )
    assert get(client, "/api/health")["documents"] == 4
    # the overview kept for the picture before is not the one after
    assert get(client, "/api/overview") == as_json(event_overview(store, EventFilter()))
    assert get(client, "/api/overview")["total"] == overview["total"] + 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
            st.sampled_from([None, "Battles", "Riots"]),
            st.sampled_from(["reported", "background"]),
            st.integers(1, 5),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_the_overview_bins_hold_every_event_in_at_most_so_many_bins(
    rows: list[tuple[dt.date, str | None, str, int]],
) -> None:
    """``auto`` takes the finest bin that cuts the span into at most MAX_BINS (years past
    that); each bin's first day is the bin of every day it counts; no event is lost."""
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    size = auto_bin(first, last)
    finer = BINS[: BINS.index(size)]
    assert all(bin_count(first, last, f) > MAX_BINS for f in finer)
    assert size == "year" or bin_count(first, last, size) <= MAX_BINS
    for each in BINS:
        found = binned([(d.isoformat(), t, s, n) for d, t, s, n in rows], each)
        assert len({b["date"] for b in found}) <= bin_count(first, last, each)
        assert sum(b["events"] for b in found) == sum(r[3] for r in rows)
        expected: dict[tuple[str, str | None, str], int] = {}
        for d, t, s, n in rows:
            key = (bin_start(d, each).isoformat(), t, s)
            expected[key] = expected.get(key, 0) + n
        assert {(b["date"], b["event_type"], b["status"]): b["events"] for b in found} == expected
        starts = [dt.date.fromisoformat(b["date"]) for b in found]
        assert starts == sorted(starts) and all(bin_start(d, each) == d for d in starts)
