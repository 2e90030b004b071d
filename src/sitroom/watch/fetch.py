"""Polite, guarded HTTP: conditional GET, one request per host per interval, retries with
backoff, robots.txt for article pages, redirects checked hop by hop, a size cap per response."""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from sitroom.errors import FetchError
from sitroom.watch.sources import FetchPolicy
from sitroom.watch.urls import Resolve, guard, system_resolve

log = logging.getLogger(__name__)

_REDIRECTS = (301, 302, 303, 307, 308)
_RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True, slots=True)
class Fetched:
    """One response: ``status`` 200 with ``content``, or 304 (not modified, no content)."""

    url: str  # after redirects
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


class Fetcher:
    """Fetches URLs under a FetchPolicy. ``transport``, ``resolve``, ``clock`` and ``sleep``
    are injectable so tests control the network, DNS and time."""

    def __init__(
        self,
        policy: FetchPolicy,
        *,
        transport: httpx.BaseTransport | None = None,
        resolve: Resolve = system_resolve,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self._resolve = resolve
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}  # host -> clock() of its last request
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,  # each hop is checked by the guard below
            timeout=httpx.Timeout(policy.timeout_s),
            headers={"User-Agent": policy.user_agent},
            trust_env=False,  # no proxy from the environment around the guard
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def check(self, url: str) -> None:
        """The SSRF guard alone (webhooks use it before posting)."""
        guard(url, allow_hosts=self.policy.allow_hosts, resolve=self._resolve)

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: bool = False,
        accept: str = "*/*",
    ) -> Fetched:
        """GET ``url`` (conditionally when validators are given), retrying what may pass.

        ``robots``: consult the host's robots.txt first (article pages).
        """
        self.check(url)  # before robots.txt: a refused host is not asked for anything
        if robots and self.policy.robots and not self._allowed_by_robots(url):
            raise FetchError("refused by the site's robots.txt", url=url, retry=False)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._follow(url, headers)
            except FetchError as e:
                if not e.retry or attempt >= self.policy.retries:
                    raise
                delay = self.policy.backoff_s * 2**attempt
                log.info("%s; retrying in %.1f s", e, delay)
                self._sleep(delay)
                attempt += 1

    def post_json(self, url: str, body: bytes) -> None:
        """POST a JSON body (a webhook); no redirects are followed."""
        self.check(url)
        self._wait_for_host(url)
        try:
            response = self._client.post(
                url, content=body, headers={"Content-Type": "application/json"}
            )
        except httpx.HTTPError as e:
            raise FetchError(_describe(e), url=url) from e
        if response.status_code >= 300:
            retry = response.status_code in _RETRY_STATUSES
            raise FetchError(f"HTTP {response.status_code}", url=url, retry=retry)

    def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        seen: set[str] = set()
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            self.check(current)
            seen.add(current)
            status, location, fetched = self._once(current, headers)
            if fetched is not None:
                return fetched
            if location is None:  # pragma: no cover - _once gives a response or a target
                raise FetchError(f"HTTP {status} without a response", url=url)
            target = urljoin(current, location)
            if target in seen:
                raise FetchError(f"redirect loop ({status} back to {target})", url=url,
                                 retry=False)  # fmt: skip
            current = target
        raise FetchError(f"more than {self.policy.max_redirects} redirects", url=url, retry=False)

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, str | None, Fetched | None]:
        """One request: (status, redirect target, None) or (status, None, the response)."""
        self._wait_for_host(url)
        limit = self.policy.max_bytes
        deadline = self._clock() + self.policy.timeout_s * 4  # a trickling server ends too
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {status} without a Location", url=url)
                    return status, location, None
                if status == 304:
                    return status, None, Fetched(url, 304)
                if status != 200:
                    retry = status in _RETRY_STATUSES
                    raise FetchError(f"HTTP {status}", url=url, retry=retry)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(_too_big(limit), url=url, retry=False)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise FetchError(_too_big(limit), url=url, retry=False)
                    if self._clock() > deadline:
                        raise FetchError("too slow: gave up reading", url=url)
                return (
                    status,
                    None,
                    Fetched(
                        url=url,
                        status=200,
                        content=bytes(body),
                        content_type=response.headers.get("Content-Type", ""),
                        etag=response.headers.get("ETag"),
                        last_modified=response.headers.get("Last-Modified"),
                    ),
                )
        except httpx.InvalidURL as e:
            raise FetchError(f"refused: not a URL ({e})", url=url, retry=False) from e
        except httpx.HTTPError as e:
            raise FetchError(_describe(e), url=url) from e

    def _wait_for_host(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        last = self._last.get(host)
        if last is not None:
            wait = last + self.policy.host_interval_s - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self._clock()

    def _allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin + "/robots.txt")
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's rules; None (allow all) where it has none (RFC 9309: a 4xx). An
        unreachable robots.txt or a 5xx disallows all for now, and is asked again later."""
        parser = urllib.robotparser.RobotFileParser(url)
        try:
            fetched = self._follow(url, {"Accept": "text/plain"})
        except FetchError as e:
            if "HTTP 4" in e.reason:
                return None
            raise FetchError(f"robots.txt unavailable ({e.reason})", url=url) from e
        parser.parse(fetched.content.decode("utf-8", errors="replace").splitlines())
        return parser


def _too_big(limit: int) -> str:
    return f"response larger than the {limit:,}-byte limit"


def _describe(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"timed out ({type(error).__name__})"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
