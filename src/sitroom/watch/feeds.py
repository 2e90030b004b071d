"""Feed items from RSS 2.0, Atom (feedparser) and JSON Feed; an HTML page or a malformed feed is
an error naming the feed."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

import feedparser

from sitroom.errors import FetchError
from sitroom.ingest.published import parse_published
from sitroom.watch.urls import canonical_url

log = logging.getLogger(__name__)

_JSONFEED = "https://jsonfeed.org/version/"


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: its canonical link and what the feed says of it."""

    url: str
    title: str | None = None
    published: dt.date | None = None
    summary: str | None = None


def parse_feed(data: bytes, *, url: str, content_type: str = "") -> list[FeedItem]:
    """The items of a feed, in feed order; links resolved against ``url`` and canonicalised.
    Items without a link are left out (there is no article to read)."""
    head = data[:512].lstrip().lower()
    kind = content_type.split(";")[0].strip().lower()
    if kind == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        raise FetchError("returned an HTML page, not a feed", url=url)
    if kind in ("application/feed+json", "application/json") or head.startswith(b"{"):
        return _json_feed(data, url)
    parsed = feedparser.parse(data)
    problem = parsed.get("bozo_exception")
    # A feed with a small flaw still gives its entries; one that gives none is refused.
    if not parsed.get("version"):
        raise FetchError(f"not an RSS or Atom feed ({problem or 'no feed element'})", url=url)
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not isinstance(link, str) or not link.strip():
            continue
        date = entry.get("published_parsed") or entry.get("updated_parsed")
        link = _link(link, url)
        if link is None:
            continue
        items.append(
            FeedItem(
                url=link,
                title=_text(entry.get("title")),
                published=dt.date(date.tm_year, date.tm_mon, date.tm_mday) if date else None,
                summary=_text(entry.get("summary")),
            )
        )
    if parsed.get("bozo") and not items:
        raise FetchError(f"not an RSS or Atom feed ({problem or 'malformed'})", url=url)
    return items


def _json_feed(data: bytes, url: str) -> list[FeedItem]:
    try:
        feed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FetchError(f"malformed JSON Feed: {e}", url=url) from e
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(_JSONFEED):
        raise FetchError("not a JSON Feed (no jsonfeed.org version)", url=url)
    entries = feed.get("items")
    if not isinstance(entries, list):
        raise FetchError("malformed JSON Feed: items is not a list", url=url)
    items = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        link = entry.get("url") or entry.get("external_url")
        if not isinstance(link, str) or not (link := _link(link, url)):
            continue
        items.append(
            FeedItem(
                url=link,
                title=_text(entry.get("title")),
                published=parse_published(_text(entry.get("date_published"))),
                summary=_text(entry.get("summary") or entry.get("content_text")),
            )
        )
    return items


def _link(link: str, base: str) -> str | None:
    """The item's canonical link; None for one that is no URL ("http://[x", a port of 99999)."""
    try:
        return canonical_url(link, base=base)
    except ValueError:
        log.info("%s: an item's link is no URL: %r", base, link)
        return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
