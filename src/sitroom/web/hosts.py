"""The Host-header check that defeats DNS rebinding, and the names a server answers to.

A page on another site can point its own domain at 127.0.0.1 and then read a local server as
"itself"; the browser still sends that domain in ``Host``. The server answers only the names it
was started for: the loopback names, the name it is bound to, and those allowed on purpose.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from sitroom.web.errors import error_response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# Binding to these listens on every interface; they are no name a client sends.
_WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def host_name(value: str) -> str:
    """The host of a ``Host`` header or a bind address, without port, brackets or final dot."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        value = value[1 : value.find("]")] if "]" in value else value[1:]
    elif value.count(":") == 1:  # name:8000 (a bare IPv6 address has several colons)
        value = value.partition(":")[0]
    return value.rstrip(".")


def is_loopback(host: str) -> bool:
    """Whether a bind address or name reaches this machine only."""
    name = host_name(host)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def served_names(bind: str, also: Iterable[str] = ()) -> frozenset[str]:
    """The names a server bound to ``bind`` answers to: loopback, ``bind`` itself, ``also``."""
    names = {*LOOPBACK_NAMES, *(host_name(a) for a in also)}
    if host_name(bind) not in _WILDCARDS:
        names.add(host_name(bind))
    return frozenset(names)


class HostCheck:
    """ASGI middleware: a request whose ``Host`` is not one of ``allowed`` gets a 400."""

    def __init__(self, app: ASGIApp, *, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(host_name(a) for a in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            given = dict(scope.get("headers", ())).get(b"host", b"").decode("latin-1")
            if host_name(given) not in self.allowed:
                message = (
                    f"Host {given!r} is not served here (a guard against DNS rebinding); "
                    "start the server with --allow-host NAME to answer to that name"
                )
                await error_response(400, message)(scope, receive, send)
                return
        await self.app(scope, receive, send)
