"""Tests for sitroom.api: ``analyze`` over files and in-memory documents, storing, and errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import sitroom.api
from sitroom.api import RunResult, analyze, document_from_text
from sitroom.errors import InputError, StoreError
from sitroom.ids import document_id
from sitroom.pipeline import Resources
from sitroom.records import Analysis, Document, Event
from sitroom.store import Store

CAPTURE = "Rebels captured the town of Saraqib on Tuesday."
STRIKE = "Russian jets carried out airstrikes on Idlib, killing at least 11 civilians."


# -- document_from_text ------------------------------------------------------------------


def test_document_from_text_ids_the_text() -> None:
    document = document_from_text(CAPTURE)
    assert document == Document(document_id(CAPTURE), document_id(CAPTURE), CAPTURE)
    assert document_from_text(CAPTURE).id == document.id  # deterministic


def test_document_from_text_keeps_metadata() -> None:
    published = dt.date(2024, 12, 2)
    document = document_from_text(
        CAPTURE,
        ref="wire-1",
        title="Saraqib falls",
        source="Test Wire",
        url="https://wire.example/1",
        published=published,
    )
    assert (document.ref, document.title, document.source, document.url) == (
        "wire-1",
        "Saraqib falls",
        "Test Wire",
        "https://wire.example/1",
    )
    assert document.published == published
    assert document.id == document_id(CAPTURE)  # the id is the text's, not the ref's


def test_document_from_text_normalises_windows_line_breaks() -> None:
    document = document_from_text("Headline\r\nBody.")
    assert document.text == "Headline\nBody."
    assert document.id == document_from_text("Headline\nBody.").id


# -- analyze -------------------------------------------------------------------------------


def test_nothing_to_analyse_loads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(config: object) -> Resources:
        raise AssertionError("resources loaded for an empty run")

    monkeypatch.setattr(sitroom.api, "resources_for", fail)
    assert analyze() == RunResult()


@pytest.mark.slow
def test_analyze_returns_typed_records(resources: Resources) -> None:
    result = analyze(documents=[document_from_text(CAPTURE, published=dt.date(2024, 12, 2))])
    assert isinstance(result, RunResult)
    assert (result.already_stored, result.errors) == ((), ())
    [analysis] = result.analyses
    assert isinstance(analysis, Analysis)
    [event] = analysis.events
    assert isinstance(event, Event)
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert event.actor1 == "SYR-REBELS"
    assert event.event_date == dt.date(2024, 11, 26)
    assert analysis.main_event == event.id


@pytest.mark.slow
def test_analyze_keeps_input_order_and_skips_repeats(resources: Resources) -> None:
    first, second = document_from_text(CAPTURE, ref="a"), document_from_text(STRIKE, ref="b")
    again = document_from_text(CAPTURE, ref="a-again")
    seen: list[str] = []
    result = analyze(documents=[first, second, again], on_document=seen.append)
    assert [a.document.ref for a in result.analyses] == ["a", "b"]
    assert result.already_stored == ("a-again",)
    assert sorted(seen) == ["a", "a-again", "b"]


@pytest.mark.slow
def test_analyze_with_db_stores_and_does_not_store_twice(
    resources: Resources, tmp_path: Path
) -> None:
    db = tmp_path / "run.db"
    documents = [document_from_text(CAPTURE, ref="a"), document_from_text(STRIKE, ref="b")]
    result = analyze(documents=documents, db=db)
    assert len(result.analyses) == 2
    with Store.open(db, read_only=True) as store:
        stored = store.stats()
        picture = store.picture()
    assert stored["documents"] == 2
    assert stored["events"] == sum(len(a.events) for a in result.analyses) >= 2
    assert {e.id for e in picture.events} == {e.id for a in result.analyses for e in a.events}

    again = analyze(documents=documents, db=db)
    assert again.analyses == () and again.analysed == 0
    assert again.already_stored == ("a", "b")
    with Store.open(db, read_only=True) as store:
        assert store.stats() == stored


def test_analyze_can_count_analyses_without_holding_them(
    resources: Resources, tmp_path: Path
) -> None:
    documents = [document_from_text(CAPTURE, ref="a"), document_from_text(STRIKE, ref="b")]
    kept = analyze(documents=documents, db=tmp_path / "kept.db")
    counted = analyze(documents=documents, db=tmp_path / "counted.db", keep=False)
    assert (kept.analysed, len(kept.analyses)) == (2, 2)
    assert (counted.analysed, counted.analyses) == (2, ())
    with Store.open(tmp_path / "kept.db") as a, Store.open(tmp_path / "counted.db") as b:
        assert a.picture() == b.picture()


@pytest.mark.slow
def test_analyze_reads_files_and_reports_bad_ones(
    resources: Resources, reports_dir: Path, tmp_path: Path
) -> None:
    (reports_dir / "empty.txt").write_text("  \n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = analyze([reports_dir, missing], documents=[document_from_text(STRIKE, ref="mem")])
    refs = [a.document.ref for a in result.analyses]
    assert refs == [str(reports_dir / "idlib.txt"), str(reports_dir / "saraqib.txt"), "mem"]
    assert all(isinstance(e, InputError) for e in result.errors)
    assert [e.source for e in result.errors] == [str(reports_dir / "empty.txt"), str(missing)]
    saraqib = result.analyses[1]
    assert saraqib.document.title == "Rebels take Saraqib"
    assert saraqib.document.published == dt.date(2024, 12, 2)


@pytest.mark.slow
def test_analyze_a_bad_database_is_a_store_error(resources: Resources, tmp_path: Path) -> None:
    db = tmp_path / "not-a-db.db"
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        analyze(documents=[document_from_text(CAPTURE)], db=db)


def test_the_package_exports_analyze_without_loading_spacy_on_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys, sitroom; assert 'spacy' not in sys.modules; "
        "from sitroom.api import analyze; assert sitroom.analyze is analyze"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
