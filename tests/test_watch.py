"""sitroom watch end to end: a local server on 127.0.0.1 serves feeds and article pages written
for these tests; each poll is checked in the stored picture, the change log and the alerts.
Time is a fake clock; every wait on the network is bounded (timeouts under a second)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from tests.watch_server import FixtureServer, Reply, Request, article, fixture_server, rss

from sitroom.pipeline import Resources, analyze_docs
from sitroom.records import Analysis, Document
from sitroom.store import Store
from sitroom.watch import state
from sitroom.watch.alerts import Alerter
from sitroom.watch.fetch import Fetcher
from sitroom.watch.sources import WatchConfig, parse_watch_config
from sitroom.watch.watcher import Watcher

pytestmark = pytest.mark.slow

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}

# Reports written for these tests (the late-2024 offensive, as if from one wire).
PAGES = {
    "/news/saraqib": (
        "Rebels take Saraqib",
        "Rebel fighters captured the town of Saraqib on Tuesday after a night of clashes with "
        "government troops, a war monitor said.\n\nResidents said the army had pulled back "
        "towards the south.",
        "2024-12-04",
    ),
    "/news/idlib": (
        "Strikes on Idlib",
        "Russian jets carried out airstrikes on Idlib on Monday, killing at least 11 civilians, "
        "the Syrian Observatory for Human Rights said.\n\nRescue workers searched the rubble "
        "through the night.",
        "2024-12-03",
    ),
    "/news/retaken": (
        "Army says Saraqib retaken",
        "Government troops recaptured the town of Saraqib on Thursday after a day of clashes "
        "with rebel fighters, a war monitor said.\n\nThe ministry said its troops were in full "
        "control of the town.",
        "2024-12-06",
    ),
    "/news/toll": (
        "Idlib toll rises",
        "The toll from the Russian airstrikes on Idlib on Monday rose to 25 killed, the Syrian "
        "Observatory for Human Rights said.\n\nDozens more were wounded.",
        "2024-12-04",
    ),
}
T0 = dt.datetime(2024, 12, 6, 12, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with fixture_server() as running:
        for path, (title, body, published) in PAGES.items():
            running.routes[path] = Reply(200, article(title, body, published=published), HTML)
        # The same report again at another address (a re-published copy).
        running.routes["/news/idlib-copy"] = running.routes["/news/idlib"]
        # The wire's Idlib report as another outlet runs it: a line added, one source still.
        title, body, published = PAGES["/news/idlib"]
        body += "\n\nReporting by staff."
        running.routes["/partner/idlib"] = Reply(
            200, article(title, body, published=published), HTML
        )
        running.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n")
        running.routes["/private/memo"] = Reply(
            200, article("Memo", "Not for robots.", published="2024-12-04"), HTML
        )
        running.routes["/hook"] = Reply(204)
        yield running


def first_items(server: FixtureServer) -> list[tuple[str, str, str]]:
    return [
        ("Rebels take Saraqib", server.url("/news/saraqib"), "Wed, 04 Dec 2024 08:00:00 GMT"),
        (
            "Strikes on Idlib",
            server.url("/news/idlib?utm_source=feed"),
            "Tue, 03 Dec 2024 08:00:00 GMT",
        ),
        ("Strikes on Idlib", server.url("/news/idlib-copy"), "Tue, 03 Dec 2024 09:00:00 GMT"),
        ("Inside", "http://10.9.8.7/news/x", "Tue, 03 Dec 2024 09:00:00 GMT"),
        ("Memo", server.url("/private/memo"), "Tue, 03 Dec 2024 10:00:00 GMT"),
    ]


def second_items(server: FixtureServer) -> list[tuple[str, str, str]]:
    return [
        *first_items(server),
        ("Army says Saraqib retaken", server.url("/news/retaken"), "Fri, 06 Dec 2024 08:00:00 GMT"),
        ("Idlib toll rises", server.url("/news/toll"), "Wed, 04 Dec 2024 08:00:00 GMT"),
        ("Strikes on Idlib", server.url("/partner/idlib"), "Wed, 04 Dec 2024 09:00:00 GMT"),
    ]


def versioned_feed(server: FixtureServer, version: list[int]) -> None:
    """/feed.xml: the items of ``version[0]``, with an ETag, and 304 to a client that has it."""

    def answer(request: Request) -> Reply:
        tag = f'"v{version[0]}"'
        if request.headers.get("If-None-Match") == tag:
            return Reply(304)
        items = first_items(server) if version[0] == 1 else second_items(server)
        return Reply(200, rss(items), {**RSS, "ETag": tag})

    server.routes["/feed.xml"] = answer


def watch_config(server: FixtureServer, tmp_path: Path, *, broken: bool = True) -> WatchConfig:
    sources = [{"name": "Test Wire", "feed": server.url("/feed.xml"), "interval_s": 600}]
    if broken:
        server.routes["/down.xml"] = Reply(500, b"oops")
        server.routes["/slow.xml"] = Reply(200, rss([]), RSS, delay_s=0.8)
        server.routes["/bad.xml"] = Reply(200, b"<rss><channel><item><title>cut", RSS)
        server.routes["/login"] = Reply(
            200, b"<!doctype html><html><body>Sign in</body></html>", HTML
        )
        server.routes["/loop"] = Reply(302, headers={"Location": "/loop2"})
        server.routes["/loop2"] = Reply(302, headers={"Location": "/loop"})
        server.routes["/huge.xml"] = Reply(200, b"<rss>" + b" " * 3_000_000, RSS)
        for name, path in [
            ("Down Desk", "/down.xml"),
            ("Slow Desk", "/slow.xml"),
            ("Bad Desk", "/bad.xml"),
            ("Login Desk", "/login"),
            ("Loop Desk", "/loop"),
            ("Huge Desk", "/huge.xml"),
        ]:
            sources.append({"name": name, "feed": server.url(path)})
    return parse_watch_config(
        {
            "fetch": {
                "allow_hosts": ["127.0.0.1"],
                "host_interval_s": 0,
                "timeout_s": 0.4,
                "retries": 1,
                "backoff_s": 0,
                "max_bytes": 1_000_000,
            },
            "source": sources,
            "alerts": {
                "jsonl": "alerts.jsonl",
                "webhook": server.url("/hook"),
                "rule": [
                    {"kind": "control-change", "regions": ["Idlib"]},
                    {"kind": "fatalities", "above": 10},
                    {"kind": "contradiction", "actors": ["Syrian rebel forces"]},
                ],
            },
        },
        path=tmp_path / "watch.toml",
    )


def analyser(resources: Resources) -> object:
    def analyse(documents: Sequence[Document]) -> list[Analysis]:
        return list(analyze_docs(documents, resources=resources))

    return analyse


def make_watcher(store: Store, cfg: WatchConfig, resources: Resources, clock: Clock) -> Watcher:
    fetcher = Fetcher(cfg.fetch)
    alerter = Alerter(cfg.alerts, fetcher=fetcher, sleep=lambda _s: None)
    return Watcher(
        store,
        cfg,
        analyse=analyser(resources),
        fetcher=fetcher,  # type: ignore[arg-type]
        alerter=alerter,
        now=clock,
    )


def kinds(changes: Sequence[state.Change]) -> list[str]:
    return [c.kind for c in changes]


def test_polls_keep_the_picture_current(
    server: FixtureServer, tmp_path: Path, resources: Resources
) -> None:
    version = [1]
    versioned_feed(server, version)
    cfg = watch_config(server, tmp_path)
    clock = Clock()
    store = Store.open(tmp_path / "watch.db")
    watcher = make_watcher(store, cfg, resources, clock)

    # Poll 1: two reports stored, the copy skipped, every broken source named, others go on.
    first = watcher.poll()
    assert sorted(d.title or "" for d in first.stored) == [
        "Rebels take Saraqib",
        "Strikes on Idlib",
    ]
    assert first.duplicates == 1
    by_source = {e.source: e.message for e in first.errors}
    assert (
        "HTTP 500" in by_source["Down Desk"] and server.url("/down.xml") in by_source["Down Desk"]
    )
    assert "timed out" in by_source["Slow Desk"]
    assert "not an RSS or Atom feed" in by_source["Bad Desk"]
    assert "HTML page" in by_source["Login Desk"]
    assert "redirect loop" in by_source["Loop Desk"]
    assert "1,000,000-byte limit" in by_source["Huge Desk"]
    wire = sorted(e.message for e in first.errors if e.source == "Test Wire")
    assert len(wire) == 2
    assert "10.9.8.7" in wire[0] and "non-public address" in wire[0]
    assert "robots.txt" in wire[1]
    assert server.hits("/down.xml") == 2  # retried once
    assert server.hits("/private/memo") == 0
    stored = store.documents()
    assert {d.ref for d in stored} == {server.url("/news/saraqib"), server.url("/news/idlib")}
    assert {d.source for d in stored} == {"Test Wire"}
    assert "new-event" in kinds(first.changes) and "control-change" in kinds(first.changes)
    control = next(c for c in first.changes if c.kind == "control-change")
    assert control.detail["place"] == "Saraqib" and control.detail["previous"] is None
    strike = next(c for c in first.changes if c.kind == "new-event" and c.detail["fatalities"])
    assert strike.detail["fatalities"] == 11 and strike.detail["place"] == "Idlib"
    assert all(c.id is not None and c.at == "2024-12-06T12:00:00+00:00" for c in first.changes)

    # Not due yet: nothing is asked. Webhook alerts go out from a background thread, so a
    # POST to /hook from poll 1 may still arrive; only the watcher's own fetches count.
    def fetches() -> int:
        return sum(r.path != "/hook" for r in list(server.requests))

    clock.now = T0 + dt.timedelta(seconds=60)
    hits = fetches()
    assert watcher.poll().polled == ()
    assert fetches() == hits

    # Poll 2: the feed has two more items; Saraqib changes hands, Idlib's toll disagrees.
    version[0] = 2
    clock.now = T0 + dt.timedelta(seconds=901)
    second = watcher.poll()
    assert sorted(d.title or "" for d in second.stored) == [
        "Army says Saraqib retaken",
        "Idlib toll rises",
        "Strikes on Idlib",
    ]
    partner = next(d for d in second.stored if d.ref == server.url("/partner/idlib"))
    assert second.copies_of == {partner.id: server.url("/news/idlib")}
    assert server.hits("/news/saraqib") == 1  # an item taken before is not fetched again
    changed = next(c for c in second.changes if c.kind == "control-change")
    assert changed.summary == (
        "Control: Saraqib held by Military Forces of Syria (was Syrian rebel forces)"
    )
    assert changed.document_ids and set(changed.document_ids) <= {d.id for d in second.stored}
    toll = [
        c
        for c in second.changes
        if c.kind == "new-contradiction" and c.detail["field"] == "fatalities"
    ]
    assert toll and toll[0].detail["values"] == ["11", "25"]
    assert [e for e in second.errors if e.source == "Test Wire"] == []  # refused items: once

    # Poll 3: the feed has not changed (304): nothing fetched, stored or changed.
    clock.now = T0 + dt.timedelta(seconds=2000)
    third = watcher.poll()
    assert third.stored == () and third.changes == ()
    assert (
        server.requests[-1].headers.get("If-None-Match") is not None
        or server.hits("/feed.xml") >= 3
    )

    # The change log holds all of it, in order, with times and reports.
    log = state.changes_since(store)
    assert [c.id for c in log] == sorted(c.id for c in log if c.id is not None)
    assert len(log) == len(first.changes) + len(second.changes)
    later = state.changes_since(store, since="2024-12-06T12:10:00+00:00")
    assert {c.id for c in later} == {c.id for c in second.changes}

    # Alerts: the JSONL file and the webhook got the same ones.
    assert watcher._alerter is not None
    watcher._alerter.close(timeout_s=5)
    lines = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    rules = [a["rule"] for a in lines]
    assert rules.count("control-change") == 2  # Saraqib is in Idlib governorate
    assert "fatalities" in rules and "contradiction" in rules
    posted = [json.loads(r.body) for r in server.requests if r.path == "/hook"]
    assert sorted(a["change"]["id"] for a in posted) == sorted(a["change"]["id"] for a in lines)
    store.close()

    # A restarted watch carries on: nothing fetched again, nothing new.
    store = Store.open(tmp_path / "watch.db")
    clock.now = T0 + dt.timedelta(seconds=4000)
    pages = sum(server.hits(p) for p in PAGES)
    again = make_watcher(store, cfg, resources, clock).poll(everything=True)
    assert again.stored == () and again.changes == ()
    assert sum(server.hits(p) for p in PAGES) == pages
    assert len(store.documents()) == 5
    states = state.source_states(store)
    assert (
        states["Down Desk"].failures == 4
    )  # every poll of it failed and "HTTP 500" in (states["Down Desk"].last_error or "")
    assert states["Test Wire"].failures == 0
    store.close()


def test_stop_finishes_the_report_in_hand(
    server: FixtureServer, tmp_path: Path, resources: Resources
) -> None:
    versioned_feed(server, [1])
    server.routes["/other.xml"] = Reply(
        200, rss([("Toll", server.url("/news/toll"), "Wed, 04 Dec 2024 08:00:00 GMT")]), RSS
    )
    cfg = watch_config(server, tmp_path, broken=False)
    cfg = parse_watch_config(
        {
            "fetch": {"allow_hosts": ["127.0.0.1"], "host_interval_s": 0},
            "source": [
                {"name": "Test Wire", "feed": server.url("/feed.xml")},
                {"name": "Other", "feed": server.url("/other.xml")},
            ],
        },
        path=tmp_path / "w.toml",
    )
    stop = threading.Event()
    base = analyser(resources)

    def analyse_then_stop(documents: Sequence[Document]) -> list[Analysis]:
        stop.set()  # as SIGTERM would, while this batch is being analysed
        return base(documents)  # type: ignore[operator, no-any-return]

    with Store.open(tmp_path / "stop.db") as store:
        watcher = Watcher(store, cfg, analyse=analyse_then_stop, fetcher=Fetcher(cfg.fetch))
        result = watcher.poll(stop=stop)
        assert result.polled == ("Test Wire",) and len(result.stored) == 2
        assert len(store.documents()) == 2 and server.hits("/other.xml") == 0
        # the next run takes the rest
        assert [d.title for d in watcher.poll().stored] == ["Idlib toll rises"]
