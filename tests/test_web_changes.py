"""GET /api/changes and the Server-Sent Events stream the page follows."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sitroom.store import Store
from sitroom.watch import state
from sitroom.web import create_app
from sitroom.web.changes import install_change_routes

LOCAL = "http://127.0.0.1"
AT = dt.datetime(2024, 12, 6, 12, 0, tzinfo=dt.UTC)


def log(store: Store, at: dt.datetime, *summaries: str) -> list[state.Change]:
    changes = [
        state.Change("new-event", f"ev{i}", text, {"fatalities": i}, ("doc1",))
        for i, text in enumerate(summaries)
    ]
    return state.save_poll(store, now=at, document_ids=["doc1"], snapshot={}, changes=changes)


def test_changes_since_a_time_and_after_an_id(db_target: str) -> None:
    db = db_target  # on each backend: ids come from the database (lastrowid)
    with Store.open(db) as store:
        log(store, AT, "first", "second")
        log(store, AT + dt.timedelta(hours=1), "third")
    with TestClient(create_app(db), base_url=LOCAL) as client:
        every = client.get("/api/changes").json()
        assert [c["summary"] for c in every["items"]] == ["first", "second", "third"]
        assert every["items"][0] == {
            "id": 1, "at": "2024-12-06T12:00:00+00:00", "kind": "new-event", "key": "ev0",
            "summary": "first", "detail": {"fatalities": 0}, "document_ids": ["doc1"],
        }  # fmt: skip
        later = client.get("/api/changes", params={"since": "2024-12-06T12:30:00"}).json()
        assert [c["summary"] for c in later["items"]] == ["third"] and later["last_id"] == 3
        assert client.get("/api/changes", params={"after": 2}).json()["last_id"] == 3
        bad = client.get("/api/changes", params={"since": "last week"})
        assert bad.status_code == 400 and bad.json()["error"]["status"] == 400
        assert "/api/changes" in client.get("/openapi.json").json()["paths"]


def test_the_stream_sends_each_change_once_with_its_id(db_target: str) -> None:
    db = db_target
    store = Store.open(db)
    log(store, AT, "old news")
    app = FastAPI()
    install_change_routes(app, store, poll_s=0.05, stream_s=1.0)  # the stream ends after 1 s
    with TestClient(app) as client:
        with client.stream("GET", "/api/changes/stream", params={"after": 0}) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            text = "".join(response.iter_text())
        events = [block for block in text.split("\n\n") if "event: change" in block]
        assert len(events) == 1 and events[0].startswith("id: 1\n")
        data = json.loads(events[0].split("data: ", 1)[1])
        assert data["summary"] == "old news"
        # A browser reconnecting says where it was; from there on nothing is new.
        with client.stream("GET", "/api/changes/stream", headers={"Last-Event-ID": "1"}) as again:
            assert "event: change" not in "".join(again.iter_text())
    store.close()
