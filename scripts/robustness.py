"""Attack sitroom and print what happened, as the table in docs/robustness.md.

    python scripts/robustness.py [--seed 1] [--inputs 2000] [--kills 5] [--writers 6]

Four attacks, none needing the spaCy model: random and mangled report bytes through every
reader; concurrent first writers on new databases; kill -9 in the middle of a batch of saves;
random and hostile requests to the HTTP API (over a database of hand-built records). Every
figure printed is counted in this run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from sitroom.errors import InputError, StoreError
from sitroom.ingest import read_bytes
from sitroom.records import Analysis, Document
from sitroom.store import Store
from sitroom.web import create_app

KINDS = ("text", "html", "jsonl")
SEEDS = (
    b"---\ntitle: T\npublished: 2024-13-45\n---\nRebels advanced on Hama.",
    b'{"id": "a", "text": "Rebels advanced.", "published": "yesterday"}\n',
    b"<html><body><p>Rebels advanced on Hama.</p></body></html>",
    "Кремль: удар по Ізюму 🚀".encode("utf-16"),
    b"%PDF-1.4\n1 0 obj",
    b"\x0b\x0c \n",
)


def _mangled(rng: random.Random) -> bytes:
    """Random bytes, or a seed report with bytes flipped, cut, nested or repeated."""
    roll = rng.random()
    if roll < 0.3:
        return rng.randbytes(rng.randint(0, 4000))
    data = bytearray(rng.choice(SEEDS))
    if roll < 0.6:
        for _ in range(rng.randint(1, 20)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
    elif roll < 0.75:
        depth = rng.randint(500, 5000)
        data = bytearray(b'{"id": "x", "text": ' + b"[" * depth)
    elif roll < 0.9:
        data = data * rng.randint(2, 200)
    else:
        data = data[: rng.randint(0, len(data))]
    return bytes(data)


def ingest(rng: random.Random, inputs: int) -> dict[str, int]:
    """Each input through one reader: a Document or a named InputError, never an exception."""
    crashes = unnamed = documents = errors = 0
    for n in range(inputs):
        data, kind = _mangled(rng), rng.choice(KINDS)
        source = f"fuzz-{n}.{kind}"
        try:
            for item in read_bytes(data, source=source, kind=kind, max_chars=100_000):
                if isinstance(item, InputError):
                    errors += 1
                    unnamed += not str(item).startswith(source)
                else:
                    documents += 1
        except Exception as e:  # counting crashes is the point
            crashes += 1
            print(f"crash on input {n} ({kind}): {type(e).__name__}: {e}", file=sys.stderr)
    return {"tried": inputs, "crashes": crashes, "unnamed": unnamed, "documents": documents,
            "errors": errors}  # fmt: skip


def _doc(name: str) -> Analysis:
    return Analysis(Document(name, name, f"the text of report {name}"))


def _writer(path: str, names: list[str], barrier: Any) -> str:
    barrier.wait()
    try:
        with Store.open(path, timeout=30) as store:
            for name in names:
                store.save(_doc(name))
    except StoreError as e:
        return str(e)
    return "ok"


def writers(trials: int, count: int) -> dict[str, int]:
    """``count`` processes open one new database at once and each stores 20 reports."""
    context = multiprocessing.get_context("fork")
    failed = lost = 0
    with tempfile.TemporaryDirectory() as folder:
        for trial in range(trials):
            path = str(Path(folder) / f"w{trial}.db")
            batches = [[f"w{i}-{j}" for j in range(20)] for i in range(count)]
            with context.Manager() as manager, context.Pool(count) as pool:
                barrier = manager.Barrier(count)
                outcomes = pool.starmap(_writer, [(path, b, barrier) for b in batches])
            failed += sum(o != "ok" for o in outcomes)
            with Store.open(path, read_only=True) as store:
                lost += count * 20 - store.stats()["documents"]
    return {"tried": trials * count, "failed": failed, "lost": lost}


def _saver(path: str, total: int) -> None:
    with Store.open(path) as store:
        for n in range(total):
            store.save(_doc(f"k{n}"))


def kills(trials: int, total: int = 3000) -> dict[str, int]:
    """kill -9 a process part-way through saving ``total`` reports, check, then save them all."""
    context = multiprocessing.get_context("fork")
    corrupt = lost = duplicates = 0
    rng = random.Random(trials)
    with tempfile.TemporaryDirectory() as folder:
        for trial in range(trials):
            path = str(Path(folder) / f"k{trial}.db")
            Store.open(path).close()
            process = context.Process(target=_saver, args=(path, total))
            process.start()
            time.sleep(rng.uniform(0.05, 0.4))
            os.kill(process.pid or 0, signal.SIGKILL)
            process.join()
            with sqlite3.connect(path) as conn:
                corrupt += conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
                before = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            _saver(path, total)  # the rerun
            with sqlite3.connect(path) as conn:
                after = conn.execute("SELECT count(*), count(DISTINCT id) FROM documents")
                rows, distinct = after.fetchone()
            lost += total - distinct
            duplicates += rows - distinct
            print(f"kill {trial}: {before} of {total} stored when killed", file=sys.stderr)
    return {"tried": trials, "corrupt": corrupt, "lost": lost, "duplicates": duplicates}


HOSTILE = ["", "'", "\x00", "../../etc/passwd", "%00", "[/bold]", "<script>", "9" * 400,
           "-1", "1e309", "NaN", "2024-02-30", "0,0,0", "181,-91,0,0", "a,b,c,d",
           "🚀" * 50]  # fmt: skip
PATHS = ["/api/events", "/api/events.geojson", "/api/control", "/api/actors", "/api/relations",
         "/api/documents", "/api/health", "/docs", "/openapi.json", "/"]  # fmt: skip
PARAMS = ["start", "end", "type", "actor", "country", "status", "verdict", "bbox", "limit",
          "offset", "place"]  # fmt: skip


def http(rng: random.Random, requests: int) -> dict[str, int]:
    """Random GETs with hostile parameters and POSTs of mangled bodies; count 5xx answers."""
    server_errors = bad_shape = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "h.db"
        with Store.open(path) as store:
            store.save(_doc("seed"))
        app = create_app(path, token="robustness-token-0123")
        with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
            for n in range(requests):
                if rng.random() < 0.8:
                    picked = rng.sample(PARAMS, rng.randint(0, 4))
                    query = {p: rng.choice(HOSTILE) for p in picked}
                    path_ = rng.choice([*PATHS, f"/api/events/{rng.choice(HOSTILE)}"])
                    response = c.get(path_, params=query)
                else:
                    media = rng.choice(["application/json", "text/plain", "text/html",
                                        "application/x-ndjson", "application/pdf"])  # fmt: skip
                    headers = {
                        "Content-Type": media,
                        "Authorization": rng.choice(["", "Bearer robustness-token-0123"]),
                    }
                    response = c.post("/api/reports", content=_mangled(rng), headers=headers)
                if response.status_code >= 500:
                    server_errors += 1
                    print(f"request {n}: {response.status_code}", file=sys.stderr)
                if response.status_code >= 400 and set(response.json()) != {"error"}:
                    bad_shape += 1
    return {"tried": requests, "server_errors": server_errors, "bad_shape": bad_shape}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--writers", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    found = ingest(rng, args.inputs)
    wrote = writers(3, args.writers)
    killed = kills(args.kills)
    served = http(rng, args.requests)
    print(f"| attack (seed {args.seed}) | tried | crashes / server errors | data lost |")
    print("|---|---|---|---|")
    print(
        f"| report bytes through the readers | {found['tried']} inputs "
        f"({found['documents']} reports, {found['errors']} named errors) | "
        f"{found['crashes']} crashes, {found['unnamed']} errors not naming their input | — |"
    )
    print(
        f"| writers opening a new database at once | {wrote['tried']} processes × 20 "
        f"reports | {wrote['failed']} failed | {wrote['lost']} reports |"
    )
    print(
        f"| kill -9 during a batch, then rerun | {killed['tried']} kills | "
        f"{killed['corrupt']} corrupt databases | {killed['lost']} reports, "
        f"{killed['duplicates']} duplicates |"
    )
    print(
        f"| random and hostile HTTP requests | {served['tried']} requests | "
        f"{served['server_errors']} server errors, {served['bad_shape']} off the error shape "
        "| — |"
    )
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
