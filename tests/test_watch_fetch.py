"""The fetcher against a local server on 127.0.0.1: conditional GET, retries, timeouts, redirect
loops, size caps, robots.txt, the guard on every hop, the per-host interval (a fake clock)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.watch_server import FixtureServer, Reply, Request, fixture_server

from sitroom.errors import FetchError
from sitroom.watch.fetch import Fetcher
from sitroom.watch.sources import FetchPolicy


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with fixture_server() as running:
        yield running


def policy(**changes: object) -> FetchPolicy:
    values: dict[str, object] = {
        "allow_hosts": frozenset({"127.0.0.1"}),
        "timeout_s": 0.5,
        "retries": 1,
        "backoff_s": 0.0,
        "host_interval_s": 0.0,
        "max_bytes": 100_000,
    }
    values.update(changes)
    return FetchPolicy(**values)  # type: ignore[arg-type]


def test_conditional_get_sends_validators_and_takes_a_304(server: FixtureServer) -> None:
    def feed(request: Request) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304)
        return Reply(
            200, b"<rss/>", {"ETag": '"v1"', "Last-Modified": "Mon, 02 Dec 2024 08:00:00 GMT"}
        )

    server.routes["/feed"] = feed
    with Fetcher(policy()) as fetcher:
        first = fetcher.get(server.url("/feed"))
        assert (first.status, first.etag, first.content) == (200, '"v1"', b"<rss/>")
        second = fetcher.get(
            server.url("/feed"), etag=first.etag, last_modified=first.last_modified
        )
    assert second.status == 304 and second.content == b""
    asked = server.requests[-1].headers
    assert asked["If-Modified-Since"] == "Mon, 02 Dec 2024 08:00:00 GMT"
    assert asked["User-Agent"].startswith("sitroom-watch/")


def test_a_500_is_retried_then_reported(server: FixtureServer) -> None:
    server.routes["/down"] = Reply(500, b"oops")
    slept: list[float] = []
    fetcher = Fetcher(policy(retries=2, backoff_s=1.5), sleep=slept.append)
    with fetcher, pytest.raises(FetchError, match="HTTP 500") as caught:
        fetcher.get(server.url("/down"))
    assert server.hits("/down") == 3 and slept == [1.5, 3.0]
    assert caught.value.retry and caught.value.url == server.url("/down")


def test_a_404_is_not_retried(server: FixtureServer) -> None:
    with Fetcher(policy(retries=3)) as fetcher, pytest.raises(FetchError, match="HTTP 404"):
        fetcher.get(server.url("/missing"))
    assert server.hits("/missing") == 1


def test_a_slow_server_times_out(server: FixtureServer) -> None:
    server.routes["/slow"] = Reply(200, b"late", delay_s=1.0)
    fetcher = Fetcher(policy(timeout_s=0.2, retries=0))
    with fetcher, pytest.raises(FetchError, match="timed out"):
        fetcher.get(server.url("/slow"))


def test_redirects_are_followed_within_limits(server: FixtureServer) -> None:
    server.routes["/old"] = Reply(301, headers={"Location": "/new"})
    server.routes["/new"] = Reply(200, b"here")
    server.routes["/loop-a"] = Reply(302, headers={"Location": "/loop-b"})
    server.routes["/loop-b"] = Reply(302, headers={"Location": "/loop-a"})
    for i in range(5):
        server.routes[f"/hop{i}"] = Reply(302, headers={"Location": f"/hop{i + 1}"})
    with Fetcher(policy(max_redirects=3)) as fetcher:
        moved = fetcher.get(server.url("/old"))
        assert (moved.url, moved.content) == (server.url("/new"), b"here")
        with pytest.raises(FetchError, match="redirect loop"):
            fetcher.get(server.url("/loop-a"))
        with pytest.raises(FetchError, match="more than 3 redirects"):
            fetcher.get(server.url("/hop0"))
    assert server.hits("/loop-a") == 1 and server.hits("/hop4") == 0


def test_every_redirect_hop_passes_the_guard(server: FixtureServer) -> None:
    server.routes["/to-metadata"] = Reply(
        302, headers={"Location": "http://169.254.169.254/latest/"}
    )
    server.routes["/to-file"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    server.routes["/to-localhost"] = Reply(
        302, headers={"Location": f"http://localhost:{server.port}/x"}
    )
    with Fetcher(policy()) as fetcher:
        with pytest.raises(FetchError, match="non-public address"):
            fetcher.get(server.url("/to-metadata"))
        with pytest.raises(FetchError, match="not http"):
            fetcher.get(server.url("/to-file"))
        with pytest.raises(FetchError, match="refused: localhost"):
            fetcher.get(server.url("/to-localhost"))
    assert server.hits("/x") == 0


def test_a_host_not_allowed_is_refused_before_any_request(server: FixtureServer) -> None:
    with Fetcher(policy(allow_hosts=frozenset())) as fetcher, pytest.raises(FetchError):
        fetcher.get(server.url("/feed"))
    assert server.requests == []


@pytest.mark.parametrize("chunked", [False, True])
def test_a_huge_response_is_cut_off(server: FixtureServer, chunked: bool) -> None:
    server.routes["/huge"] = Reply(200, b"x" * 3_000_000, chunked=chunked)
    fetcher = Fetcher(policy(max_bytes=100_000))
    with fetcher, pytest.raises(FetchError, match="larger than the 100,000-byte limit") as caught:
        fetcher.get(server.url("/huge"))
    assert caught.value.retry is False


def test_robots_txt_is_obeyed_for_pages(server: FixtureServer) -> None:
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n")
    server.routes["/private/a"] = Reply(200, b"secret")
    server.routes["/public/a"] = Reply(200, b"open")
    with Fetcher(policy()) as fetcher:
        assert fetcher.get(server.url("/public/a"), robots=True).content == b"open"
        with pytest.raises(FetchError, match=r"robots\.txt"):
            fetcher.get(server.url("/private/a"), robots=True)
        assert fetcher.get(server.url("/private/a")).content == b"secret"  # feeds: not asked
    assert server.hits("/robots.txt") == 1  # once per host


def test_no_robots_txt_allows_everything(server: FixtureServer) -> None:
    server.routes["/a"] = Reply(200, b"open")
    with Fetcher(policy()) as fetcher:
        assert fetcher.get(server.url("/a"), robots=True).content == b"open"


def test_requests_to_one_host_keep_the_interval() -> None:
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    fetcher = Fetcher(policy(host_interval_s=2.0), clock=lambda: clock[0], sleep=sleep)
    fetcher._wait_for_host("http://a.example/1")
    fetcher._wait_for_host("http://a.example/2")
    clock[0] += 0.5
    fetcher._wait_for_host("http://b.example/1")  # another host does not wait
    fetcher._wait_for_host("http://a.example/3")
    fetcher.close()
    assert slept == [2.0, 1.5]
