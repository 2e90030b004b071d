"""Links as sitroom keeps them: http(s) only, canonical (tracking parameters dropped), and the
SSRF guard that refuses addresses inside the network."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from sitroom.errors import ConfigError, FetchError

SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Query parameters that say where a reader came from, not what they read.
_TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "ocid",
     "cmpid", "ref_src", "ref_url", "_ga", "_gl", "at_medium", "at_campaign", "ito"}
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")

Resolve = Callable[[str], list[str]]


def check_scheme(url: str, *, where: str) -> None:
    """Refuse a URL (in a config) that is not absolute http(s)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL")


def canonical_url(url: str, *, base: str | None = None) -> str:
    """The URL with lower-case scheme and host, no default port, fragment or tracking
    parameters; relative links are resolved against ``base``."""
    if base is not None:
        url = urljoin(base, url)
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port if parts.port not in (None, _DEFAULT_PORTS.get(scheme)) else None
    netloc = host if port is None else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def system_resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def guard(url: str, *, allow_hosts: Collection[str], resolve: Resolve = system_resolve) -> None:
    """Refuse (FetchError, not retried) a URL that is not http(s) or whose host resolves to a
    loopback, private, link-local (cloud metadata), multicast or otherwise non-public address,
    unless the host is in ``allow_hosts``."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError as e:
        raise FetchError(f"refused: not a URL ({e})", url=url, retry=False) from e
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(f"refused: scheme {parts.scheme or '(none)'!r} is not http(s)",
                         url=url, retry=False)  # fmt: skip
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchError("refused: no host", url=url, retry=False)
    if host in allow_hosts:
        return
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolve(host)]
        except (OSError, UnicodeError) as e:
            raise FetchError(f"cannot resolve {host}: {e}", url=url) from e
    if not addresses:
        raise FetchError(f"cannot resolve {host}", url=url)
    for address in addresses:
        real = getattr(address, "ipv4_mapped", None) or address
        if not real.is_global or real.is_multicast:
            raise FetchError(
                f"refused: {host} resolves to a non-public address ({address}); "
                "allow the host in [fetch] allow_hosts if this is intended",
                url=url,
                retry=False,
            )
