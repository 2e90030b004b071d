"""Feed items from RSS 2.0, Atom and JSON Feed; HTML and malformed feeds are errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests.watch_server import rss

from sitroom.errors import FetchError
from sitroom.watch.feeds import parse_feed

BASE = "http://feeds.example/world"


def test_rss_items_are_resolved_and_canonical() -> None:
    data = rss(
        [
            ("Shelling near Saraqib", "/news/1?utm_source=rss", "Mon, 02 Dec 2024 08:00:00 GMT"),
            ("No link", "", "Mon, 02 Dec 2024 09:00:00 GMT"),
        ]
    )
    items = parse_feed(data, url=BASE)
    assert [(i.url, i.title, i.published) for i in items] == [
        ("http://feeds.example/news/1", "Shelling near Saraqib", dt.date(2024, 12, 2))
    ]


def test_atom_items() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:x</id>
<updated>2024-12-03T10:00:00Z</updated>
<entry><title>Convoy hit</title><id>urn:1</id><link href="http://feeds.example/a/1"/>
<updated>2024-12-03T10:00:00Z</updated><summary>A convoy was hit.</summary></entry></feed>"""
    [item] = parse_feed(data, url=BASE, content_type="application/atom+xml")
    assert (item.url, item.title, item.published, item.summary) == (
        "http://feeds.example/a/1",
        "Convoy hit",
        dt.date(2024, 12, 3),
        "A convoy was hit.",
    )


def test_json_feed_items() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Desk",
        "items": [
            {
                "id": "1",
                "url": "http://feeds.example/j/1#x",
                "title": "Talks",
                "date_published": "2024-12-04T07:00:00Z",
            },
            {"id": "2", "content_text": "no url"},
            "not an object",
        ],
    }
    [item] = parse_feed(json.dumps(feed).encode(), url=BASE, content_type="application/feed+json")
    assert (item.url, item.title, item.published) == (
        "http://feeds.example/j/1",
        "Talks",
        dt.date(2024, 12, 4),
    )


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (b"<!DOCTYPE html><html><body>Log in</body></html>", "text/html", "HTML page"),
        (b"<html><body>x</body></html>", "", "HTML page"),
        (b"this is not xml at all {", "text/plain", "not an RSS or Atom feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": 3}', "", "items is not a list"),
        (b'{"title": "no version"}', "application/json", "not a JSON Feed"),
        (b'{"version": ', "application/feed+json", "malformed JSON Feed"),
    ],
)
def test_bad_feeds_name_the_url(data: bytes, content_type: str, message: str) -> None:
    with pytest.raises(FetchError, match=message) as caught:
        parse_feed(data, url=BASE, content_type=content_type)
    assert str(caught.value).startswith(BASE)


def test_items_whose_link_is_no_url_are_left_out() -> None:
    data = rss([
        ("Broken", "http://[not-ipv6/x", "Mon, 02 Dec 2024 08:00:00 GMT"),
        ("Bad port", "http://feeds.example:99999/x", "Mon, 02 Dec 2024 08:00:00 GMT"),
        ("Fine", "http://feeds.example/ok", "Mon, 02 Dec 2024 08:00:00 GMT"),
    ])  # fmt: skip
    assert [i.url for i in parse_feed(data, url=BASE)] == ["http://feeds.example/ok"]
