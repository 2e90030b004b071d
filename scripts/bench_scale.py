"""How reading the picture grows with the number of stored reports.

Builds databases of N reports (SQLite files, or PostgreSQL with ``--db``) and prints, per N:
the time to load the stored picture, to build the ledger (merge and reconcile), of `sitroom
report` and `sitroom export` in each format on the command line (with each command's peak
memory), of storing one more report, of `sitroom analyze` given a report already stored, and
peak memory; then the log-log slope of the ledger build against N. ``--profile DIR`` writes where
each added report's save spent its time.

The reports: the 89 VOA stories in ../shared/data/voa are analysed once (spaCy, cached in a
template database under the system's temp folder). Report k of a database is story k mod 89
with, from the second round of 89 on, every letter substituted through a cipher keyed by k:
lengths and offsets hold, no two texts share word shingles (none is a wire copy of another),
and the report carries the story's stored events, mentions, control claims and relations with
their ids re-hashed, quotes enciphered alike and every date (publication included) moved on by
3 days per round, so a database of N reports covers about N / 30 days of news, as a steady flow
of reports would. Those analyses are written through the Store API directly: nothing but the
89 templates goes through spaCy.

Since schema version 5 the picture is stored: the database of N reports is filled with the
picture left aside and rebuilt once by ``sitroom rebuild`` (``rebuild_s``, its peak memory
``rebuild_mb``; ``--fill-only`` stops after the fill, ``--filled`` starts a later run from
there), then ADDED more reports are saved one at a time, each save updating the stored picture
(``add_one_median_s``, ``add_one_max_s``); the API step, `report` and the exports then read
it. ``load_s`` and ``ledger_s`` still time what every read cost before (loading every record
and building the ledger from them).

The API step (``api_latency``) starts ``sitroom serve`` on the database (loopback, a free port)
and has 8 client threads (httpx) send each kind of request in turn, REQUESTS of a kind after a
warm-up of WARMUP, and prints each kind's p50, p95 and slowest (ms) and the load average: the
events list without filters and with a date window, a type, a country, a box, and a walk page
by page (``after``); the overview, one event, the documents (first page and a walk), one
document, actors, relations, control and health. ``--api-only`` (with ``--keep DIR`` holding the
databases of an earlier run, or ``--db`` where its schemas are) runs only that step;
``--serve-workers N`` serves it with ``sitroom serve --workers N``.

    python scripts/bench_scale.py [--sizes 100,500,2000,5000] [--reference] [--db URL]
        [--keep DIR] [--api-only] [--serve-workers N]

``--reference`` times the exhaustive merge (every event against every group, as before
blocking) instead of the blocked one, for the ledger build only. ``--db postgresql://...``
builds the databases in that PostgreSQL database instead, one schema per N (``bench_scale_N``,
dropped first if it exists; ``pip install 'sitroom[postgres]'``), and the commands read them
there.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import cProfile
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import json
import math
import os
import pstats
import random
import resource
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

import sitroom
import sitroom.picture
from sitroom.api import analyze, document_from_text
from sitroom.ids import content_id
from sitroom.picture import build_ledger
from sitroom.picture.merge import merge_events_exhaustive
from sitroom.records import Analysis, Evidence, Picture
from sitroom.store import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
DAYS_PER_ROUND = 3
SITROOM = str(Path(sys.executable).with_name("sitroom"))
# Reports added one at a time, each timed, to a database of N.
ADDED = 20
# The export formats timed (each a `sitroom export` of its own).
EXPORTS = ("json", "acled-csv", "geojson", "plover-jsonl", "graphml")
# The API step: concurrent clients, and requests of each kind timed after a warm-up.
CLIENTS = 8
REQUESTS = 200
WARMUP = 16


def templates(stories: Path) -> list[Analysis]:
    """The stories analysed once (cached by the stories' and sitroom's versions)."""
    salt = f"{sitroom.__version__} jsonl-reader schema {SCHEMA_VERSION}".encode()
    key = hashlib.sha256(stories.read_bytes() + salt).hexdigest()[:12]
    db = Path(tempfile.gettempdir()) / "sitroom-bench-scale" / f"templates-{key}.db"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        part = db.with_name(db.name + ".part")
        part.unlink(missing_ok=True)
        analyze([stories], db=part)  # as `sitroom analyze` reads a JSONL file
        part.replace(db)
    with Store.open(db, read_only=True) as store:
        picture = store.picture()
    return analyses_of(picture)


def analyses_of(picture: Picture) -> list[Analysis]:
    """One Analysis per stored document, in ref order."""
    mentions, events, relations, control = (defaultdict(list) for _ in range(4))
    for m in picture.mentions:
        mentions[m.document_id].append(m)
    for e in picture.events:
        events[e.document_id].append(e)
    for r in picture.relations:
        relations[r.evidence[0].document_id if r.evidence else ""].append(r)
    for c in picture.control:
        control[c.evidence[0].document_id if c.evidence else ""].append(c)
    actors = {a.id: a for a in picture.actors}
    out = []
    for d in picture.documents:
        used = {x for e in events[d.id] for x in (e.actor1, e.actor2, e.claimed_by) if x}
        used |= {x for r in relations[d.id] for x in (r.subject, r.object)}
        used |= {c.controller for c in control[d.id]} | {m.actor_id for m in mentions[d.id]}
        wanted = set()
        for actor_id in used:
            while actor_id and actor_id in actors and actor_id not in wanted:
                wanted.add(actor_id)
                actor_id = actors[actor_id].parent
        out.append(
            Analysis(
                document=d,
                mentions=tuple(mentions[d.id]),
                actors=tuple(actors[a] for a in sorted(wanted)),
                events=tuple(events[d.id]),
                relations=tuple(relations[d.id]),
                control=tuple(control[d.id]),
                main_event=picture.main_events.get(d.id),
            )
        )
    return out


def _shift(day: dt.date | None, days: int) -> dt.date | None:
    return day + dt.timedelta(days=days) if day is not None else None


def _cipher(k: int) -> dict[int, str]:
    """A letter substitution keyed by k (case kept): same lengths, other words."""
    letters = list(string.ascii_lowercase)
    shuffled = letters[:]
    random.Random(k).shuffle(shuffled)
    table = dict(zip(letters, shuffled, strict=True))
    table |= {a.upper(): b.upper() for a, b in table.items()}
    return str.maketrans(table)


def variant(base: Sequence[Analysis], k: int, round_: int | None = None) -> Analysis:
    """Report k: story k mod n, its letters substituted after the first round (so offsets hold
    and no two texts share shingles), its records moved on in time (as round k // n, or
    ``round_``: a report of the same story and days as that round's, in other words)."""
    n = len(base)
    s, rnd = k % n, (k // n if round_ is None else round_)
    template = base[s]
    table = _cipher(k) if k >= n else {}
    days = rnd * DAYS_PER_ROUND
    doc = dataclasses.replace(
        document_from_text(
            template.document.text.translate(table), ref=f"{template.document.ref}-{k}"
        ),
        title=template.document.title,
        source="VOA",
        published=_shift(template.document.published, days),
    )

    def ev(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        return tuple(
            dataclasses.replace(e, document_id=doc.id, quote=e.quote.translate(table))
            for e in evidence
        )

    ids = {e.id: content_id("event", e.id, str(k)) for e in template.events}
    return Analysis(
        document=doc,
        mentions=tuple(
            dataclasses.replace(m, document_id=doc.id, text=m.text.translate(table))
            for m in template.mentions
        ),
        actors=template.actors,
        events=tuple(
            dataclasses.replace(
                e,
                id=ids[e.id],
                document_id=doc.id,
                event_date=_shift(e.event_date, days),
                evidence=ev(e.evidence),
            )
            for e in template.events
        ),
        relations=tuple(
            dataclasses.replace(r, date=_shift(r.date, days), evidence=ev(r.evidence))
            for r in template.relations
        ),
        control=tuple(
            dataclasses.replace(c, date=_shift(c.date, days), evidence=ev(c.evidence))
            for c in template.control
        ),
        main_event=ids.get(template.main_event or ""),
    )


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB) of a command, measured in a process of its own."""
    probe = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); "
        "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    wall, peak_kb = found.stdout.split()
    return float(wall), int(peak_kb) / 1024


def _fill(db: str, analyses: Iterable[Analysis]) -> None:
    """Store reports without keeping the picture up to date (it is rebuilt once afterwards):
    with no rules version recorded, saves leave the stored picture to ``sitroom rebuild``."""
    with Store.open(db) as store:
        with store.state(write=True) as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('picture_rules', 'bench: none') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
        for analysis in analyses:
            store.save(analysis)


def _write_profile(profile: cProfile.Profile, path: Path, seconds: float) -> None:
    """The functions one save spent its time in, by cumulative time."""
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(40)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{seconds:.3f} s (under cProfile)\n{text.getvalue()}", encoding="utf-8")


def database(n: int, folder: Path, server: str | None, *, new: bool = True) -> str:
    """The database for n reports: an SQLite file in ``folder``, or a schema of its own in the
    PostgreSQL database ``server`` (a URL); ``new``: made empty first."""
    if server is None:
        return str(folder / f"scale-{n}.db")
    schema = f"bench_scale_{n}"
    if new:
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.execute(f"CREATE SCHEMA {schema}")
    glue = "&" if "?" in server else "?"
    return f"{server}{glue}options={quote(f'-csearch_path={schema}')}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _served(db: str, workers: int = 1) -> Iterator[str]:
    """``sitroom serve`` on the database, on loopback at a free port (``workers`` processes):
    its base URL."""
    port = _free_port()
    command = [SITROOM, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sitroom serve did not start on {db}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(30)


def _requests(client: httpx.Client) -> dict[str, Any]:
    """Each kind of request timed: a callable (client -> path and query) per kind, the filters
    taken from the database's own overview (its busiest country and type, a week in the middle
    of its dates)."""
    # by day (a server that bins long spans coarser by default is asked for days; one that
    # does not know bin ignores it)
    overview = client.get("/api/overview", params={"bin": "day"}).raise_for_status().json()
    days = sorted({d["date"] for d in overview["days"]})
    middle = dt.date.fromisoformat(days[len(days) // 2])
    week = {"start": str(middle), "end": str(middle + dt.timedelta(days=6))}
    counts: dict[str, int] = defaultdict(int)
    for d in overview["days"]:
        counts[d["event_type"] or ""] += d["events"]
    kind = max((k for k in counts if k), key=lambda k: counts[k])
    country = overview["countries"][0]
    west, south, east, north = country["bbox"]
    # a quarter of the busiest country's box, around its middle
    lon, lat = (west + east) / 2, (south + north) / 2
    box = [lon - (east - west) / 4, lat - (north - south) / 4]
    box += [lon + (east - west) / 4, lat + (north - south) / 4]
    events = client.get("/api/events", params={"limit": 1000, **week}).raise_for_status().json()
    event_ids = [e["id"] for e in events["items"]]
    documents = client.get("/api/documents", params={"limit": 1000}).raise_for_status().json()
    document_ids = [d["id"] for d in documents["items"]]

    def fixed(path: str, **params: object) -> Any:
        return lambda _: (path, params)

    def walk(path: str, limit: int) -> Any:
        """Page after page of ``path`` by key, each client on its own walk, from the start
        again after the last page."""
        cursors: dict[int, str | None] = defaultdict(lambda: None)

        def next_page(client_id: int) -> tuple[str, dict[str, object]]:
            after = cursors[client_id]
            return path, {"limit": limit, **({"after": after} if after else {})}

        next_page.cursors = cursors  # type: ignore[attr-defined]
        return next_page

    def one(path: str, ids: Sequence[str]) -> Any:
        picks = itertools.cycle(random.Random(0).sample(ids, len(ids)))
        lock = threading.Lock()

        def pick(_: int) -> tuple[str, dict[str, object]]:
            with lock:
                return f"{path}/{next(picks)}", {}

        return pick

    # What the page asks since the answers are bounded (a server that knows ``bin``): the
    # timeline's bars over its last 181 days, and one alliance edge with all of its quotes.
    bounded: dict[str, Any] = {}
    if "bin" in overview and overview["dates"]["last"]:
        last = dt.date.fromisoformat(overview["dates"]["last"])
        axis = {"days_start": str(last - dt.timedelta(days=180)), "days_end": str(last)}
        bounded["overview_histogram"] = fixed("/api/overview", bin="day", **axis)
        edges = client.get("/api/relations", params={"evidence": 0}).raise_for_status().json()
        if edges["items"]:
            busiest = max(edges["items"], key=lambda e: e["evidence_total"])
            edge = {k: busiest[k] for k in ("subject", "predicate", "object")}
            bounded["relation_edge"] = fixed("/api/relations", evidence=1000, **edge)
    return {
        "events": fixed("/api/events"),
        "events_dates": fixed("/api/events", **week),
        "events_type": fixed("/api/events", type=kind),
        "events_country": fixed("/api/events", country=country["country"]),
        "events_bbox": fixed("/api/events", bbox=",".join(f"{x:.4f}" for x in box)),
        "events_walk": walk("/api/events", 100),
        "overview": fixed("/api/overview"),
        **bounded,
        "event": one("/api/events", event_ids),
        "documents": fixed("/api/documents"),
        "documents_walk": walk("/api/documents", 100),
        "document": one("/api/documents", document_ids),
        "actors": fixed("/api/actors"),
        "relations": fixed("/api/relations"),
        "control": fixed("/api/control"),
        "health": fixed("/api/health"),
    }


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def _send(sessions: Sequence[httpx.Client], request: Any, total: int) -> list[float]:
    """Send ``total`` requests made by ``request`` from every session at once (a thread
    each); the seconds each took."""
    times: list[float] = []
    lock = threading.Lock()
    counter = itertools.count()

    def client(client_id: int) -> None:
        http = sessions[client_id]
        while next(counter) < total:
            path, params = request(client_id)
            start = time.perf_counter()
            response = http.get(path, params=params)
            spent = time.perf_counter() - start
            response.raise_for_status()
            if hasattr(request, "cursors"):  # a walk goes on from the page's next
                request.cursors[client_id] = response.json()["next"]
            with lock:
                times.append(spent)

    with concurrent.futures.ThreadPoolExecutor(len(sessions)) as pool:
        for done in [pool.submit(client, i) for i in range(len(sessions))]:
            done.result()
    return times


def api_latency(
    db: str,
    *,
    clients: int = CLIENTS,
    requests: int = REQUESTS,
    warmup: int = WARMUP,
    workers: int = 1,
) -> dict[str, Any]:
    """p50, p95 and the slowest (ms) of each kind of request, ``requests`` of a kind sent by
    ``clients`` threads at once after ``warmup`` of them, to ``sitroom serve`` on the database
    (``workers`` processes); and the load average (1 min) before and after."""
    result: dict[str, Any] = {"api_workers": workers, "load_before": os.getloadavg()[0]}
    with _served(db, workers) as base:
        with httpx.Client(base_url=base, timeout=120) as setup:
            kinds = _requests(setup)
        sessions = [httpx.Client(base_url=base, timeout=120) for _ in range(clients)]
        try:
            for name, request in kinds.items():
                _send(sessions, request, warmup)
                times = _send(sessions, request, requests)
                result[f"api_{name}_p50_ms"] = 1000 * _percentile(times, 0.50)
                result[f"api_{name}_p95_ms"] = 1000 * _percentile(times, 0.95)
                result[f"api_{name}_max_ms"] = 1000 * max(times)
        finally:
            for session in sessions:
                session.close()
    result["load_after"] = os.getloadavg()[0]
    return result


def _progress(result: dict, **figures: Any) -> None:
    """Record figures and say them on stderr at once (a long run shows how far it got)."""
    result.update(figures)
    said = "  ".join(
        f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
    )
    print(
        f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] n={result['n']}  {said}",
        file=sys.stderr,
        flush=True,
    )


def _stored_counts(db: str) -> dict[str, int]:
    """The stored events and merged events, counted in SQL."""
    with Store.open(db, read_only=True) as store, store.state() as conn:
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        merged = conn.execute("SELECT count(*) FROM picture_events").fetchone()[0]
    return {"events": int(events), "merged": int(merged)}


def measure(
    n: int,
    base: Sequence[Analysis],
    folder: Path,
    *,
    reference: bool,
    server: str | None = None,
    profiles: Path | None = None,
    keep: bool = False,
    workers: int = 1,
    large: bool = False,
    reuse: bool = False,
    fill_only: bool = False,
    filled: bool = False,
    first_added: int | None = None,
    added_round: int | None = None,
    readers: bool = True,
) -> dict:
    """Build a database of n reports and time the readers on it (in this process);
    ``server``: a PostgreSQL URL to build it in; ``profiles``: a folder for the cProfile
    statistics of each report added; ``keep``: also keep a copy of an SQLite database before
    the adds; ``large``: leave out what holds every record in memory (loading the picture and
    building the ledger from it, the figures of before the picture was stored) and the
    re-analysis of a stored report; ``reuse``: start from the copy an earlier ``keep`` run
    left (``scale-N-before-adding.db``), without filling and rebuilding; ``fill_only``: stop
    once the database is filled; ``filled``: start from the database a ``fill_only`` run
    filled (rebuild it, then the rest); ``first_added``: the first report added one at a time
    (default n: the next one); ``added_round``: date the added reports as that round's (a
    back-fill amid the stored reports) instead of their own; ``readers``: also time `report` and
    the exports after the API (else stop there)."""
    result: dict[str, Any] = {"n": n}
    db = database(n, folder, server, new=not (reuse or filled))
    kept = Path(db).with_name(f"scale-{n}-before-adding.db") if server is None else None
    if reuse:
        if kept is None or not kept.exists():
            raise SystemExit(f"--reuse: no database kept before the adds at {kept}")
        shutil.copyfile(kept, db)
        _progress(result, reused=str(kept))
        start = time.perf_counter()
        with Store.open(db):  # upgraded to this sitroom's schema, if kept by an older one
            pass
        _progress(result, upgrade_s=time.perf_counter() - start)
    elif not filled:
        start = time.perf_counter()
        _fill(db, (variant(base, k) for k in range(n)))
        _progress(result, fill_s=time.perf_counter() - start)
        if fill_only:
            return result
    if not large and not reuse:
        start = time.perf_counter()
        with Store.open(db, read_only=True) as store:
            picture = store.picture()
        loaded = time.perf_counter() - start
        if reference:
            sitroom.picture.merge_events = merge_events_exhaustive  # type: ignore[assignment]
        start = time.perf_counter()
        ledger = build_ledger(picture)
        built = time.perf_counter() - start
        _progress(
            result,
            events=len(picture.events),
            merged=len(ledger.events),
            load_s=loaded,
            ledger_s=built,
        )
        del picture, ledger
    if not reference:
        if not reuse:
            wall, peak = _timed([SITROOM, "rebuild", "--db", db])
            _progress(result, rebuild_s=wall, rebuild_mb=peak)
            if keep and kept is not None:  # as it is before the adds, to time them again
                shutil.copyfile(db, kept)
        if "events" not in result:
            _progress(result, **_stored_counts(db))
        # Reports k = n .. n + ADDED - 1 come in one at a time, the picture updated by each save.
        times = []
        first = n if first_added is None else first_added
        with Store.open(db) as store:
            for k in range(first, first + ADDED):
                analysis = variant(base, k, added_round)
                profile = cProfile.Profile() if profiles is not None else None
                start = time.perf_counter()
                if profile is not None:
                    profile.enable()
                store.save(analysis)
                if profile is not None:
                    profile.disable()
                times.append(time.perf_counter() - start)
                if profile is not None and profiles is not None:
                    _write_profile(profile, profiles / f"add-{n}-{k}.txt", times[-1])
        _progress(result, add_one_median_s=statistics.median(times), add_one_max_s=max(times))
        # The API before report and exports: a long run stopped on its way has it said.
        _progress(result, **api_latency(db, workers=workers))
        if not readers:
            result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            return result
        wall, peak = _timed([SITROOM, "report", "--db", db])
        _progress(result, report_s=wall, report_mb=peak)
        for fmt in EXPORTS:
            wall, peak = _timed([SITROOM, "export", "--format", fmt, "--db", db])
            _progress(result, **{f"export_{fmt}_s": wall, f"export_{fmt}_mb": peak})
        if not large:
            stored = folder / "stored.txt"
            stored.write_text(base[0].document.text, encoding="utf-8")
            result["readd_s"], _ = _timed([SITROOM, "analyze", str(stored), "--db", db])
            result["readd_no_report_s"], _ = _timed(
                [SITROOM, "analyze", str(stored), "--db", db, "--no-report"]
            )
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def slope(points: Sequence[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) on log(n)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    parser.add_argument("--sizes", default="100,500,2000,5000")
    parser.add_argument("--reference", action="store_true", help="the exhaustive merge")
    parser.add_argument(
        "--profile",
        type=Path,
        help="write the cProfile statistics of each report added (slower) into this folder",
    )
    parser.add_argument(
        "--db", help="a postgresql:// URL: build the databases there (default: SQLite files)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the databases in this folder and keep them (with a copy of each as it was "
        "before the reports were added one at a time)",
    )
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--api-only",
        action="store_true",
        help="only time the API, on the databases an earlier run left (--keep DIR, or --db)",
    )
    parser.add_argument(
        "--serve-workers",
        type=int,
        default=1,
        help="the API step's server processes (sitroom serve --workers)",
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help="leave out what holds every record in memory (load_s, ledger_s: tens of GB at "
        "100,000 reports) and the re-analysis of a stored report",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep DIR: start each size from the copy an earlier --keep run left before "
        "its adds (scale-N-before-adding.db), without filling and rebuilding",
    )
    parser.add_argument(
        "--fill-only",
        action="store_true",
        help="with --keep DIR: fill each size's database (the picture left aside) and stop",
    )
    parser.add_argument(
        "--filled",
        action="store_true",
        help="with --keep DIR: start each size from the database a --fill-only run filled "
        "(rebuild it, then time the rest)",
    )
    parser.add_argument(
        "--first-added",
        type=int,
        help="the first report added one at a time (default N: the next one); for a database "
        "trimmed to the reports a stopped rebuild brought in (scripts/trim_to_picture.py), "
        "which may hold reports from N on",
    )
    parser.add_argument(
        "--added-round",
        type=int,
        help="date the reports added one at a time as this round's (3 days a round), so that "
        "they are back-filled amid the stored reports instead of coming after them",
    )
    parser.add_argument(
        "--no-readers",
        action="store_true",
        help="stop after the adds and the API step (no `report`, no exports)",
    )
    args = parser.parse_args(argv)
    if args.reuse and (args.keep is None or args.db):
        parser.error("--reuse needs --keep DIR (SQLite)")
    if (args.fill_only or args.filled) and (args.keep is None or args.db):
        parser.error("--fill-only and --filled need --keep DIR (SQLite)")
    if args.one is not None and args.api_only:
        db = database(args.one, args.folder, args.db, new=False)
        print(json.dumps({"n": args.one, **api_latency(db, workers=args.serve_workers)}))
        return
    if args.one is None and not args.api_only:
        # The templates are analysed (spaCy) in a process of their own, and this one stays
        # small: a child's peak memory counts from its parent's size at fork.
        subprocess.run(
            [sys.executable, __file__, "--one", "0", "--stories", str(args.stories)],
            check=True,
            capture_output=True,
        )
    base = templates(args.stories) if args.one is not None else []
    if args.one == 0:
        return
    if args.one is not None:  # one size in a fresh process, so that peak memory is its own
        measured = measure(
            args.one,
            base,
            args.folder,
            reference=args.reference,
            server=args.db,
            profiles=args.profile,
            keep=args.keep is not None,
            workers=args.serve_workers,
            large=args.large,
            reuse=args.reuse,
            fill_only=args.fill_only,
            filled=args.filled,
            first_added=args.first_added,
            added_round=args.added_round,
            readers=not args.no_readers,
        )
        print(json.dumps(measured))
        return
    rows = []
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.nullcontext(str(args.keep.resolve()))
        if args.keep is not None
        else tempfile.TemporaryDirectory(prefix="sitroom-scale-")
    ) as folder:
        for n in (int(x) for x in args.sizes.split(",")):
            command = [sys.executable, __file__, "--one", str(n), "--folder", folder]
            command += ["--stories", str(args.stories)] + (
                ["--reference"] if args.reference else []
            )
            if args.profile is not None:
                command += ["--profile", str(args.profile.resolve())]
            if args.keep is not None:
                command += ["--keep", folder]
            if args.api_only:
                command += ["--api-only"]
            command += ["--large"] if args.large else []
            command += ["--reuse"] if args.reuse else []
            command += ["--fill-only"] if args.fill_only else []
            command += ["--filled"] if args.filled else []
            if args.first_added is not None:
                command += ["--first-added", str(args.first_added)]
            if args.added_round is not None:
                command += ["--added-round", str(args.added_round)]
            command += ["--no-readers"] if args.no_readers else []
            command += ["--serve-workers", str(args.serve_workers)]
            command += ["--db", args.db] if args.db else []
            # stderr passes through: the size's progress as it goes
            found = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
            row = json.loads(found.stdout.splitlines()[-1])
            rows.append(row)
            print(
                "  ".join(
                    f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()
                ),
                flush=True,
            )
    if len(rows) > 1 and not args.api_only and all("ledger_s" in r for r in rows):
        fitted = slope([(r["n"], r["ledger_s"]) for r in rows])
        print(f"log-log slope of the ledger build: {fitted:.2f}")


if __name__ == "__main__":
    main()
