"""Canonical URLs and the SSRF guard (a fake resolver: no DNS is asked)."""

from __future__ import annotations

import pytest

from sitroom.errors import FetchError
from sitroom.watch.urls import canonical_url, guard


def test_canonical_url_drops_tracking_fragment_and_default_port() -> None:
    url = "HTTPS://News.Example.ORG:443/a/b?id=7&utm_source=x&fbclid=y&UTM_medium=z#top"
    assert canonical_url(url) == "https://news.example.org/a/b?id=7"
    assert canonical_url("/x?b=1&a=2", base="http://h.example/feed") == "http://h.example/x?b=1&a=2"
    assert canonical_url("http://h.example") == "http://h.example/"


def resolver(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    return lambda host: table[host]


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.9",
        "172.16.5.5",
        "169.254.169.254",
        "::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "100.100.100.200",
        "224.0.0.1",
    ],
)
def test_guard_refuses_names_resolving_inside_the_network(address: str) -> None:
    with pytest.raises(FetchError, match="non-public address") as caught:
        guard(
            "http://inside.example/x",
            allow_hosts=(),
            resolve=resolver({"inside.example": [address]}),
        )
    assert caught.value.retry is False
    assert "inside.example" in str(caught.value)


def test_guard_refuses_literal_addresses_and_other_schemes() -> None:
    with pytest.raises(FetchError, match="non-public"):
        guard("http://169.254.169.254/latest/meta-data/", allow_hosts=())
    with pytest.raises(FetchError, match="non-public"):
        guard("http://[::1]:8000/", allow_hosts=())
    for url in ("file:///etc/passwd", "gopher://x.example/", "ftp://x.example/"):
        with pytest.raises(FetchError, match="not http"):
            guard(url, allow_hosts=())


def test_guard_refuses_a_name_with_one_private_address_among_public_ones() -> None:
    table = {"mixed.example": ["93.184.216.34", "10.0.0.1"]}
    with pytest.raises(FetchError):
        guard("https://mixed.example/", allow_hosts=(), resolve=resolver(table))


def test_guard_passes_public_and_allowed_hosts() -> None:
    guard(
        "https://public.example/",
        allow_hosts=(),
        resolve=resolver({"public.example": ["93.184.216.34"]}),
    )
    guard("http://127.0.0.1:8000/feed", allow_hosts={"127.0.0.1"})


def test_guard_refuses_what_is_no_url() -> None:
    for url in ("http://[::1/", "http://h.example:99999/"):
        with pytest.raises(FetchError, match="not a URL") as caught:
            guard(url, allow_hosts=())
        assert caught.value.retry is False
