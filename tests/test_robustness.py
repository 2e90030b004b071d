"""The standing robustness suite, bounded to seconds: fuzzed ingestion and kill -9 mid-batch.

Concurrent first writers are in test_store.py, the API's contract under generated requests in
test_web_schema.py; scripts/robustness.py runs all of them longer and prints docs/robustness.md.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitroom.errors import InputError
from sitroom.ingest import read_bytes
from sitroom.records import Analysis, Document
from sitroom.store import Store

FRONT = st.builds(
    lambda key, value, body: f"---\n{key}: {value}\n---\n{body}".encode(),
    st.sampled_from(["title", "source", "url", "published", "date", "x"]),
    st.text(max_size=40),
    st.text(max_size=200),
)
JSONL = st.builds(
    lambda fields: ("\n".join(fields)).encode(),
    st.lists(
        st.one_of(
            st.just('{"id": "a", "text": "Rebels advanced."}'),
            st.text(max_size=80),
            st.integers(1, 3000).map(lambda n: '{"id": "d", "text": ' + "[" * n),
        ),
        max_size=5,
    ),
)
ENCODED = st.builds(
    lambda text, codec: text.encode(codec, errors="replace"),
    st.text(max_size=300),
    st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "utf-8-sig"]),
)
HTML = st.builds(
    lambda tags, text: "".join(f"<{t}>" for t in tags).encode() + text.encode(),
    st.lists(st.sampled_from(["html", "body", "div", "p", "script", "b"]), max_size=400),
    st.text(max_size=100),
)
INPUTS = st.one_of(st.binary(max_size=2000), FRONT, JSONL, ENCODED, HTML)


@given(data=INPUTS, kind=st.sampled_from(["text", "html", "jsonl"]))
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
def test_any_bytes_give_reports_or_named_errors(data: bytes, kind: str) -> None:
    source = f"fuzz.{kind}"
    for item in read_bytes(data, source=source, kind=kind, max_chars=10_000):
        if isinstance(item, InputError):
            assert str(item).startswith(source), item
        else:
            assert isinstance(item, Document) and item.text and item.id


def _save_many(path: str, total: int) -> None:
    with Store.open(path) as store:
        for n in range(total):
            store.save(Analysis(Document(f"k{n}", f"k{n}", f"report {n}")))


def test_kill_9_mid_batch_leaves_a_sound_database_and_a_rerun_adds_no_duplicates(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "killed.db")
    Store.open(path).close()
    total = 5000
    process = multiprocessing.get_context("fork").Process(target=_save_many, args=(path, total))
    process.start()
    time.sleep(0.3)
    os.kill(process.pid or 0, signal.SIGKILL)
    process.join()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    _save_many(path, total)
    with sqlite3.connect(path) as conn:
        rows, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM documents"
        ).fetchone()
    assert rows == distinct == total
