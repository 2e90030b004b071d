"""The watch's change log over HTTP: ``GET /api/changes`` and ``GET /api/changes/stream``, a
Server-Sent Events stream (same origin, so the page's strict CSP allows it) that an open page
follows to show new items as they come."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import FastAPI, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from sitroom.store import Store
from sitroom.watch.state import change_json, changes_since, since_iso
from sitroom.web.errors import ApiError, error_responses

MAX_CHANGES = 1000
# A stream ends after this long (s) and the browser's EventSource reconnects with the last id,
# so no connection is held forever; it asks the store for news every POLL_S seconds.
STREAM_S = 300.0
POLL_S = 1.0
HEARTBEAT_S = 15.0
_MAX_ID = 2**63 - 1  # SQLite's largest integer: a larger id is a 422, not a crash


def install_change_routes(
    app: FastAPI, store: Store, *, poll_s: float = POLL_S, stream_s: float = STREAM_S
) -> None:
    """Add the change-log routes to the app serving ``store``."""

    @app.get("/api/changes", tags=["changes"], responses=error_responses(400))
    def changes(
        since: Annotated[
            str | None, Query(max_length=40, description="ISO date or time (UTC unless given).")
        ] = None,
        after: Annotated[
            int, Query(ge=0, le=_MAX_ID, description="Only changes with a larger id.")
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_CHANGES)] = 100,
    ) -> dict[str, Any]:
        """What sitroom watch found changed after each poll, oldest first."""
        found = changes_since(store, since=_since(since), after_id=after, limit=limit)
        return {
            "items": [change_json(c) for c in found],
            "last_id": found[-1].id if found else after,
        }

    # Not in the OpenAPI spec: a stream that lasts minutes is no request/response operation,
    # and generated requests must not hold one open. docs/web-api.md describes it.
    @app.get("/api/changes/stream", include_in_schema=False)
    async def stream(
        request: Request,
        after: Annotated[int | None, Query(ge=0)] = None,
        last_event_id: Annotated[str | None, Header()] = None,
    ) -> StreamingResponse:
        """Server-Sent Events: one ``change`` event per change found from now on (or after
        ``after`` / the Last-Event-ID the browser sends when it reconnects)."""
        start = after
        if start is None and last_event_id and last_event_id.isdigit():
            start = int(last_event_id)
        if start is None:
            start = await run_in_threadpool(_last_id, store)
        return StreamingResponse(
            _events(request, store, start, poll_s=poll_s, stream_s=stream_s),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )


async def _events(
    request: Request, store: Store, after: int, *, poll_s: float, stream_s: float
) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    ends = loop.time() + stream_s
    quiet_since = loop.time()
    yield f"retry: {int(poll_s * 2000)}\n\n"
    while loop.time() < ends and not await request.is_disconnected():
        found = await run_in_threadpool(changes_since, store, after_id=after, limit=MAX_CHANGES)
        for change in found:
            after = change.id or after
            data = json.dumps(change_json(change), ensure_ascii=False)
            yield f"id: {after}\nevent: change\ndata: {data}\n\n"
        if found:
            quiet_since = loop.time()
        elif loop.time() - quiet_since > HEARTBEAT_S:
            quiet_since = loop.time()
            yield ": still here\n\n"
        await asyncio.sleep(poll_s)


def _last_id(store: Store) -> int:
    with store.state() as conn:
        row = conn.execute("SELECT max(id) FROM watch_changes").fetchone()
    return int(row[0] or 0)


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return since_iso(value)
    except ValueError as e:
        raise ApiError(400, f"since: not an ISO date or time: {value!r}") from e
