"""What must always hold for what feeds hand us: no input crashes the feed reader or the URL
guard (they fail only with FetchError), and canonical URLs are canonical."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qsl, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from sitroom.errors import FetchError
from sitroom.watch.feeds import parse_feed
from sitroom.watch.urls import canonical_url, guard

BASE = "http://feeds.example/rss"
URLS = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}/{path}?{query}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[a-z]{1,10}\.example", fullmatch=True),
    st.text(alphabet="abc/-_.%", max_size=20),
    st.text(alphabet="abc=&utm_fbclid", max_size=30),
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_no_bytes_crash_the_feed_reader(data: bytes) -> None:
    try:
        parse_feed(data, url=BASE)
    except FetchError as e:
        assert str(e).startswith(BASE)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_no_text_crashes_the_guard(url: str) -> None:
    # Every name resolves inside here, so only a literal public address may pass.
    with contextlib.suppress(FetchError):
        guard(url, allow_hosts=(), resolve=lambda host: ["10.0.0.1"])


@settings(max_examples=200, deadline=None)
@given(URLS)
def test_canonical_urls_are_stable(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once
    keys = [k.lower() for k, _ in parse_qsl(urlsplit(once).query, keep_blank_values=True)]
    assert not [k for k in keys if k.startswith("utm_") or k == "fbclid"]
