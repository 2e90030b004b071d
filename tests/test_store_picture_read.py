"""Tests for sitroom.store.picture_read: exports and the report read from the database a batch
at a time write the bytes they write from the whole picture in memory, whatever the batch size."""

from __future__ import annotations

import dataclasses
import io
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from sitroom.errors import StoreError
from sitroom.export import EXPORT_FORMATS, export
from sitroom.export.source import MemoryReader, PictureReader
from sitroom.records import Analysis, Mention, Place
from sitroom.report import render
from sitroom.store import Store
from sitroom.store.picture_read import StoredReader, keyset, runs, stored_reader
from test_store_picture import DOCS, arrivals

# Every format, with each of its options that changes what is read.
CASES = [(fmt, {}) for fmt in EXPORT_FORMATS] + [
    ("acled-csv", {"inter": "numeric"}),
    ("plover-jsonl", {"names": "0.5"}),
    ("graphml", {"isolated": False}),
]
PLACE = Place(geonameid=2, name="Aleppo", latitude=36.2, longitude=37.15, country="SY")


def _with_mentions(analysis: Analysis) -> Analysis:
    """The analysis with mentions at repeated offsets, so that their order takes every key."""
    doc = analysis.document.id
    mentions = (
        Mention(doc, 8, 12, "army", "actor", actor_id="SYR-MIL"),
        Mention(doc, 0, 6, "Report", "place", place=PLACE),
        Mention(doc, 0, 6, "Report", "actor"),
        Mention(doc, 0, 4, "Repo", "date", value="2024-12-01"),
    )
    return dataclasses.replace(analysis, mentions=mentions)


def _written(reader: PictureReader, fmt: str, options: dict[str, object]) -> str:
    out = io.StringIO()
    export(reader, fmt, out, **options)
    return out.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrivals(), st.integers(1, 3))
def test_every_export_and_the_report_read_in_batches_write_what_the_whole_picture_does(
    reports: list[Analysis], size: int
) -> None:
    with Store.open(":memory:") as store:
        for analysis in reports:
            store.save(_with_mentions(analysis))
        whole = MemoryReader(*store.picture_with_ledger())
        for fmt, options in CASES:
            with stored_reader(store, size=size) as reader:
                assert _written(reader, fmt, options) == _written(whole, fmt, options), fmt
        for limit in (1, 2, 200):
            with stored_reader(store, size=size) as reader:
                assert _report(reader, limit) == _report(whole, limit), limit


def _report(reader: PictureReader, limit: int) -> str:
    console = Console(file=io.StringIO(), width=160, record=True)
    render(reader, console, limit=limit, quotes=True)
    return console.export_text()


def test_keyset_pages_through_ties_on_the_first_key() -> None:
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE t (a TEXT, b INTEGER)")
    values = [("x", 3), ("x", 1), ("ä", 2), ("x", 2), ("b", 9), ("B", 1)]
    conn.executemany("INSERT INTO t VALUES (?, ?)", values)
    batches = list(keyset(conn, "t", ("a", "b"), size=2))
    assert [len(b) for b in batches] == [2, 2, 2]
    # The database's order of text is Python's (code points): "B" < "b" < "x" < "ä".
    assert [(r["a"], r["b"]) for b in batches for r in b] == sorted(values)
    grouped = [[r["b"] for r in run] for run in runs(iter(batches), lambda r: r["a"])]
    assert grouped == [[1], [9], [1, 2, 3], [2]]


def _few() -> list[Analysis]:
    return [_with_mentions(Analysis(document=d)) for d in DOCS[:3]]


def test_the_reader_refuses_a_picture_of_other_rules() -> None:
    with Store.open(":memory:") as store:
        for analysis in _few():
            store.save(analysis)
        with store.state(write=True) as conn:
            conn.execute("UPDATE meta SET value = 'old' WHERE key = 'picture_rules'")
        with pytest.raises(StoreError, match="sitroom rebuild"), stored_reader(store):
            pass


def test_a_reader_holds_one_batch_of_rows() -> None:
    """Each listing is fetched ``size`` rows a query: the reader keeps no cursor open."""
    with Store.open(":memory:") as store:
        for analysis in _few():
            store.save(analysis)
        with store.state() as conn:
            traced: list[str] = []
            conn.set_trace_callback(traced.append)
            batches = list(StoredReader(conn, size=1).documents())
            conn.set_trace_callback(None)
    assert all(len(b) == 1 for b in batches)
    assert sum("FROM documents" in sql for sql in traced) == len(batches) + 1
