"""The HTTP API and the page: ``create_app(db)`` serves a sitroom database (docs/web-api.md)."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import os
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources as package_files
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from sitroom import __version__
from sitroom.config import Config, load_config
from sitroom.export.json_export import compact_json, document_to_dict
from sitroom.records import EVENT_STATUSES, RELATION_PREDICATES
from sitroom.store import Store
from sitroom.store.picture_queries import LISTED_EVIDENCE
from sitroom.store.picture_read import BINS, stored_reader
from sitroom.web.apidocs import docs_page
from sitroom.web.changes import install_change_routes
from sitroom.web.errors import ApiError, BodyLimit, error_responses, install_error_handlers
from sitroom.web.hosts import LOOPBACK_NAMES, HostCheck
from sitroom.web.uploads import read_upload
from sitroom.web.view import (
    VERDICT_ORDER,
    EdgeFilter,
    EventFilter,
    Kept,
    Overviews,
    StoredView,
)

log = logging.getLogger(__name__)

STATIC_DIR = Path(str(package_files.files("sitroom") / "web" / "static"))
DEFAULT_MAX_BODY = 2_000_000  # bytes
MAX_PAGE = 1000
MAX_DOCUMENTS = 1000
MAX_IDS = 100  # reports asked for by id at once (GET /api/documents?id=...)
MAX_GEOJSON = 5000

# The page shows report text; this policy keeps any markup that slips into it from running.
# Map tiles from OpenStreetMap are an opt-in layer of the page; the base map is bundled.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

Date = Annotated[dt.date | None, Query(description="ISO date (YYYY-MM-DD), inclusive.")]
Text = Annotated[str | None, Query(max_length=200)]


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise ApiError(422, "bbox must be four numbers: west,south,east,north") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ApiError(422, f"bbox out of range: {value!r} (west,south,east,north in degrees)")
    return west, south, east, north


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise ApiError(422, f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def event_filter(
    start: Date = None,
    end: Date = None,
    type: Annotated[  # the public parameter name
        str | None, Query(max_length=200, description="ACLED type or sub-type, or PLOVER type.")
    ] = None,
    actor: Annotated[str | None, Query(max_length=200, description="An actor id.")] = None,
    country: Annotated[
        str | None, Query(max_length=200, description="ISO 3166-1 alpha-2 code.")
    ] = None,
    status: Annotated[str | None, Query(description=", ".join(EVENT_STATUSES))] = None,
    verdict: Annotated[str | None, Query(description=", ".join(VERDICT_ORDER))] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north (degrees)")] = None,
) -> EventFilter:
    """The event filters shared by the list and the GeoJSON feed."""
    if start is not None and end is not None and start > end:
        raise ApiError(422, f"start ({start}) is after end ({end})")
    return EventFilter(
        start=start,
        end=end,
        type=type,
        actor=actor,
        country=country,
        status=_choice("status", status, EVENT_STATUSES),
        verdict=_choice("verdict", verdict, VERDICT_ORDER),
        bbox=_bbox(bbox),
    )


Filters = Annotated[EventFilter, Depends(event_filter)]
# What the reading endpoints answer: a JSON object (the OpenAPI schema says no more).
Answer = dict[str, Any]


def _json(body: Answer) -> Response:
    """A JSON answer built of plain dicts, lists, text and numbers, encoded as it is: FastAPI's
    own path first copies every value (``jsonable_encoder``), a large share of the time."""
    return JSONResponse(body)


# The ``next`` of a page of /api/events: where the following page starts.
Cursor = Annotated[str | None, Query(max_length=200)]
# The ``next`` of a page of /api/documents (it holds a ref, which may be long).
DocumentCursor = Annotated[str | None, Query(max_length=5000)]


# The body of POST /api/reports: one report in any format `sitroom analyze` reads, as a file
# upload or as the raw body (sitroom.web.uploads).
REPORT_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["id", "text"],
                "properties": {
                    "id": {"type": "string"},
                    "text": {"type": "string"},
                    "title": {"type": ["string", "null"]},
                    "source": {"type": ["string", "null"]},
                    "url": {"type": ["string", "null"]},
                    "published": {"type": ["string", "null"]},
                },
            }
        },
        "application/x-ndjson": {"schema": {"type": "string"}},
    },
}


# ``sitroom serve --workers N`` starts N processes, each building its own app from these
# settings (JSON: db, max_body_bytes, config, allowed_hosts) and the token in SITROOM_TOKEN.
SETTINGS_VARIABLE = "SITROOM_SERVE_SETTINGS"
TOKEN_VARIABLE = "SITROOM_TOKEN"


def worker_settings(
    db: str | Path, *, max_body_bytes: int, config: Path | None, allowed_hosts: Iterable[str]
) -> str:
    """The settings ``app_from_environment`` reads, as the text of SITROOM_SERVE_SETTINGS."""
    return json.dumps(
        {
            "db": str(db),
            "max_body_bytes": max_body_bytes,
            "config": None if config is None else str(config),
            "allowed_hosts": sorted(allowed_hosts),
        }
    )


def app_from_environment() -> FastAPI:
    """The app a worker process of ``sitroom serve --workers N`` serves (uvicorn's factory)."""
    settings = json.loads(os.environ[SETTINGS_VARIABLE])
    config = settings["config"]
    return create_app(
        settings["db"],
        token=os.environ.get(TOKEN_VARIABLE),
        max_body_bytes=settings["max_body_bytes"],
        config=load_config(None if config is None else Path(config)),
        allowed_hosts=settings["allowed_hosts"],
    )


def run_workers(host: str, port: int, workers: int) -> None:
    """Serve ``app_from_environment`` from ``workers`` processes sharing one listening socket
    (uvicorn's multiprocess supervisor), until stopped."""
    from uvicorn import Config as ServerConfig
    from uvicorn.supervisors import Multiprocess

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # Made with its protocol named: accepted sockets inherit it, and asyncio turns Nagle's
    # algorithm off (TCP_NODELAY) only on sockets that say IPPROTO_TCP. uvicorn's own listener
    # (``uvicorn.run(workers=N)``) leaves it 0, and every answer after a connection's first
    # then waited about 40 ms for the client's delayed ACK (uvicorn issue #3149).
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.set_inheritable(True)
    served = ServerConfig(
        "sitroom.web.server:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )
    try:
        Multiprocess(served, sockets=[listener]).run()
    finally:
        listener.close()


def create_app(
    db: str | Path,
    *,
    token: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    config: Config | None = None,
    allowed_hosts: Iterable[str] = LOOPBACK_NAMES,
) -> FastAPI:
    """The server over the database at ``db``; writing is allowed only when ``token`` is set.

    Requests are answered only for a ``Host`` in ``allowed_hosts`` (see ``sitroom.web.hosts``).
    """
    store = Store.open(db)
    write_lock = threading.Lock()
    # Answers by the picture's generation: any write shows in the next one.
    overviews = Overviews()
    kept = Kept(size=256)  # the totals of pages of events, /api/health's counts
    app = FastAPI(
        title="sitroom",
        version=__version__,
        description="The situation picture: merged events, claims, actors, control, alliances.",
        # Swagger UI and ReDoc load from a CDN; /docs is served offline below (web/apidocs.py).
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(HostCheck, allowed=tuple(allowed_hosts))
    install_error_handlers(app)

    @app.middleware("http")
    async def page_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        if not request.url.path.startswith(("/api", "/openapi")):
            response.headers["Content-Security-Policy"] = _PAGE_POLICY
        return response

    # One item by its key: a JSON object, or 404.
    by_key: dict[str, Any] = {"response_model": Answer, "responses": error_responses(404)}

    @contextmanager
    def stored() -> Iterator[StoredView]:
        """The stored picture as one request reads it: one read transaction (one snapshot)."""
        with stored_reader(store) as reader:
            yield StoredView(reader)

    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """Whether the server is up, what it holds and whether it accepts reports."""
        with stored() as current:
            documents, events = current.counts(kept)
        return {
            "status": "ok",
            "version": __version__,
            "documents": documents,
            "events": events,
            "writable": token is not None,
        }

    @app.get("/api/events", tags=["events"], response_model=Answer)
    def events(
        wanted: Filters,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
        after: Cursor = None,
    ) -> Response:
        """Merged events matching every filter given, by date (undated last) then id; ``after``
        takes the ``next`` of the page before (keyset pagination)."""
        with stored() as current:
            page = current.find_items(wanted, after=after, limit=limit, offset=offset, kept=kept)
        # The items are stored as the API sends them: spliced, not decoded and encoded again.
        head = compact_json({"total": page.total, "limit": limit, "offset": offset})
        body = f'{head[:-1]},"next":{compact_json(page.next)},"items":[{",".join(page.events)}]}}'
        return Response(body.encode("utf-8"), media_type="application/json")

    @app.get("/api/overview", tags=["events"], response_model=Answer)
    def overview(
        wanted: Filters,
        bin: Annotated[
            str, Query(description=f"auto, {', '.join(BINS)}: the bins of `days`")
        ] = "auto",
        days_start: Annotated[
            dt.date | None, Query(description="List only the bins of `days` from this date.")
        ] = None,
        days_end: Annotated[
            dt.date | None, Query(description="List only the bins of `days` up to this date.")
        ] = None,
    ) -> Response:
        """What the page draws besides the events, for the merged events matching every filter
        given, as aggregate queries: how many there are (with coordinates, by verdict), the
        first and last day of those not background, events per bin of days (a day, week,
        month or year: ``auto`` takes the finest that cuts the span into at most 366), type
        and status, the types and actors they name, and per country how many have
        coordinates (background left out) and the box around them."""
        size = _choice("bin", bin, ("auto", *BINS))
        if days_start is not None and days_end is not None and days_start > days_end:
            raise ApiError(422, f"days_start ({days_start}) is after days_end ({days_end})")
        return _json(
            overviews.answer(
                store, wanted, bin=size or "auto", days_start=days_start, days_end=days_end
            )
        )

    @app.get(
        "/api/events.geojson",
        tags=["events"],
        response_class=JSONResponse,
        responses={200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}}},
    )
    def events_geojson(
        wanted: Filters,
        limit: Annotated[int, Query(ge=1, le=MAX_GEOJSON)] = MAX_GEOJSON,
        offset: Annotated[int, Query(ge=0)] = 0,
        after: Cursor = None,
    ) -> JSONResponse:
        """The events with coordinates as a GeoJSON FeatureCollection."""
        with stored() as current:
            page = current.find_summaries(wanted, after=after, limit=limit, offset=offset)
            collection = current.geojson(page.events)
        return JSONResponse(collection, media_type="application/geo+json")

    @app.get("/api/events/{event_id}", tags=["events"], **by_key)
    def event(event_id: str) -> Response:
        """One merged event: its fields, every field's claims and every source's report."""
        with stored() as current:
            found = current.event_detail(event_id)
        if found is None:
            raise ApiError(404, f"no event with id {event_id!r}")
        return _json(found)

    @app.get("/api/actors", tags=["actors"], response_model=Answer)
    def actors() -> Response:
        """Every actor the reports name, resolved to canonical entries."""
        with stored() as current:
            return _json({"items": current.actors()})

    @app.get("/api/relations", tags=["actors"], response_model=Answer)
    def relations(
        subject: Annotated[str | None, Query(max_length=200, description="An actor id.")] = None,
        predicate: Annotated[str | None, Query(description=", ".join(RELATION_PREDICATES))] = None,
        object: Annotated[  # the public parameter name
            str | None, Query(max_length=200, description="An actor id.")
        ] = None,
        evidence: Annotated[
            int, Query(ge=0, le=MAX_PAGE, description="Quotes and documents kept per edge.")
        ] = LISTED_EVIDENCE,
    ) -> Response:
        """The alliance graph: supports, opposes, allied-with and part-of edges, dated, each
        with its first ``evidence`` quotes and documents and how many it has in all; the
        filters pick edges by subject, predicate and object (one edge's evidence: all three,
        and ``evidence`` up to 1,000)."""
        wanted = EdgeFilter(
            subject=subject,
            predicate=_choice("predicate", predicate, RELATION_PREDICATES),
            object=object,
            evidence=evidence,
        )
        with stored() as current:
            return _json({"items": current.relations(wanted)})

    @app.get("/api/control", tags=["control"], response_model=Answer)
    def control(place: Text = None) -> Response:
        """Who was reported to hold each place over time, with contradictions."""
        with stored() as current:
            return _json({"items": current.control(place)})

    @app.get("/api/documents", tags=["documents"], response_model=Answer)
    def documents(
        limit: Annotated[int, Query(ge=1, le=MAX_DOCUMENTS)] = MAX_DOCUMENTS,
        after: DocumentCursor = None,
        id: Annotated[  # the public parameter name
            list[str] | None,
            Query(description=f"Only these reports (at most {MAX_IDS} ids).", max_length=200),
        ] = None,
    ) -> Response:
        """The stored reports (metadata only) by ref, then id, a page at a time; ``after``
        takes the ``next`` of the page before (keyset pagination). ``id`` (repeated) asks for
        those reports only, by their primary key (the ones stored, one page)."""
        if id is not None:
            if len(id) > MAX_IDS:
                raise ApiError(422, f"at most {MAX_IDS} ids at once; got {len(id)}")
            with stored() as current:
                return _json({"items": current.documents_by_id(id), "next": None})
        with stored() as current:
            page = current.document_page(after=after, limit=limit)
        return _json({"items": page.items, "next": page.next})

    @app.get("/api/documents/{document_id}", tags=["documents"], **by_key)
    def document(document_id: str) -> Response:
        """One stored report with its text."""
        with stored() as current:
            found = current.document_detail(document_id)
        if found is None:
            raise ApiError(404, f"no document with id {document_id!r}")
        return _json(found)

    @app.post(
        "/api/reports",
        status_code=201,
        tags=["documents"],
        responses=error_responses(401, 403, 413, 415, 422),
        openapi_extra={"requestBody": REPORT_BODY},
    )
    async def post_report(request: Request) -> dict[str, Any]:
        """Add one report (any format ``sitroom analyze`` reads); needs the server's token."""
        if token is None:
            raise ApiError(403, "writing is off: start the server with --token to accept reports")
        given = request.headers.get("authorization", "")
        scheme, _, credential = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            credential.strip().encode(), token.encode()
        ):
            raise ApiError(401, "a valid 'Authorization: Bearer TOKEN' header is required")
        cfg = config or load_config()
        upload = await read_upload(request, max_chars=cfg.max_chars)
        if not upload.documents:
            raise ApiError(422, "; ".join(str(e) for e in upload.errors) or "no report in body")

        def run() -> Any:
            # Imported on the first write: serving the picture needs neither spaCy nor the model.
            from sitroom.api import analyze

            # The stored picture is updated in each report's own transaction: the next read
            # shows the report.
            with write_lock:
                return analyze(documents=upload.documents, db=store.path, config=cfg)

        result = await run_in_threadpool(run)
        skipped = [{"ref": e.source, "reason": str(e)} for e in (*upload.errors, *result.errors)]
        skipped += [{"ref": ref, "reason": "already stored"} for ref in result.already_stored]
        return {
            "added": [document_to_dict(a.document, a.main_event) for a in result.analyses],
            "skipped": skipped,
        }

    install_change_routes(app, store)

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        index = STATIC_DIR / "index.html"
        if not index.is_file():
            raise ApiError(404, "the page is not installed (sitroom/web/static/index.html)")
        return FileResponse(index, media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    return app
