"""Tests for sitroom.store: round-trips, idempotent saves, rollback, schema versions, filters."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitroom.store as store_module
import sitroom.store.writing as writing_module
from conftest import NewDatabase
from factories import event
from sitroom.errors import StoreError
from sitroom.records import (
    Actor,
    Analysis,
    ControlClaim,
    Document,
    Event,
    Evidence,
    Location,
    Mention,
    Picture,
    Place,
    Relation,
)
from sitroom.store import SCHEMA_VERSION, Store, migrate
from sitroom.store.schema import MIGRATIONS

TEXT = "Кремль: «удар» по Ізюму — 3 killed in الرقة 🚀\x00 end"


def _ev(doc: str, start: int = 0, end: int = 5, quote: str = "quote") -> Evidence:
    return Evidence(document_id=doc, start=start, end=end, quote=quote)


def _loc(name: str, lat: float | None, lon: float | None, country: str | None) -> Location:
    return Location(name, 1, lat, lon, country, "Region", 1)


def _event(doc: str, n: int, **changes: object) -> Event:
    clash = {"id": f"{doc}-e{n}", "event_date": dt.date(2024, 3, n + 1), "date_precision": "day"}
    sides = {"actor1": "A", "actor2": "B"}
    return event(doc, kind=("Battles", "Armed clash", "FIGHT"), **{**clash, **sides, **changes})


@pytest.fixture
def full(request: pytest.FixtureRequest) -> Analysis:
    """One document with every kind of record, None fields, unicode and empty tuples (and a NUL
    character, except on PostgreSQL, whose text holds none: test_postgres_refuses_nul)."""
    callspec = getattr(request.node, "callspec", None)
    on_postgres = callspec is not None and callspec.params.get("backend") == "postgresql"
    text = TEXT.replace("\x00", "") if on_postgres else TEXT
    doc = Document("d1", "reports/ü-1.txt", text, "Ізюм", "Агентство", "https://e.x/1",
                   dt.date(2024, 3, 2))  # fmt: skip
    place = Place(706524, "Ізюм", 49.21, 37.25, "UA", "Kharkiv", "city", 45000)
    mentions = (
        Mention("d1", 0, 6, "Кремль", "actor", actor_id="RUS-GOV"),
        Mention("d1", 18, 22, "Ізюм", "place", place=place),
        Mention("d1", 25, 26, "3", "quantity", value="3"),
    )
    actors = (
        Actor("RUS-GOV", "Россия", ("Кремль", "Moscow"), "state", "RU", None),
        Actor("new:x", "X"),
    )
    events = (
        Event("d1-e1", "d1", "claimed", dt.date(2024, 3, 1), "day", "Explosions/Remote violence",
              "Air/drone strike", "ATTACK", "aerial", "RUS-GOV", None, ("new:x", "Ω"), (),
              Location("Ізюм", 706524, 49.21, 37.25, "UA", "Kharkiv", 1), 3, "3 killed", "удар",
              "RUS-GOV", (_ev("d1", 0, 6, "Кремль"), _ev("d0", 1, 2, "q")), "примечание"),
        Event("d1-e2", "d1", "background", None, "unknown", None, None, "OTHER", None, None,
              None),
    )  # fmt: skip
    relations = (
        Relation("RUS-GOV", "opposes", "UKR-GOV", None),
        Relation("new:x", "part_of", "RUS-GOV", dt.date(2024, 1, 1), (_ev("d1"),)),
    )
    control = (
        ControlClaim(Location("Ізюм", None, None, None, None, None, None), "RUS-GOV", "captured",
                     dt.date(2024, 3, 1), "day", (_ev("d1", 7, 9, "«»"), _ev("d1"))),
    )  # fmt: skip
    return Analysis(doc, mentions, actors, events, relations, control, main_event="d1-e1",
                    warnings=("not stored",))  # fmt: skip


@pytest.fixture
def store(db_target: str) -> Iterator[Store]:
    """A new store on each backend in turn."""
    with Store.open(db_target) as s:
        yield s


def _doc(doc_id: str, ref: str | None = None) -> Document:
    return Document(doc_id, ref or doc_id, f"text of {doc_id}")


def test_round_trip_every_record(store: Store, full: Analysis) -> None:
    assert store.save(full) is True
    pic = store.picture()
    assert pic.documents == (full.document,)
    assert pic.mentions == full.mentions
    assert pic.actors == tuple(sorted(full.actors, key=lambda a: a.id))
    # Undated events sort last.
    assert pic.events == full.events
    assert pic.relations == (full.relations[1], full.relations[0])
    assert pic.control == full.control
    assert pic.main_events == {"d1": "d1-e1"}
    assert store.document("d1") == full.document
    assert store.documents() == [full.document]
    assert store.event("d1-e1") == full.events[0]
    assert store.event("missing") is None
    assert store.document("missing") is None
    assert store.has_document("d1") and not store.has_document("d2")
    assert store.relations() == list(pic.relations)
    assert store.control() == list(full.control)
    assert store.control(place="Ізюм") == list(full.control)
    assert store.control(place="Kyiv") == []


def test_an_inferred_location_round_trips(store: Store, full: Analysis) -> None:
    event = full.events[0]
    assert event.location is not None
    inferred = replace(event, location=replace(event.location, geo_precision=3, inferred=True))
    store.save(replace(full, events=(inferred, *full.events[1:])))
    assert store.event(event.id) == inferred


def test_a_location_stored_before_version_2_is_named(tmp_path: Path, full: Analysis) -> None:
    path = tmp_path / "v1.db"
    with Store.open(path) as s:
        s.save(full)
    with sqlite3.connect(path) as conn:  # what a version-1 row reads as after the migration
        conn.execute("UPDATE events SET location_inferred = NULL")
    conn.close()
    with Store.open(path) as s:
        location = s.event("d1-e1").location  # type: ignore[union-attr]
    assert location is not None and location.inferred is False


def test_version_1_databases_gain_the_inferred_column(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, path=str(path), migrations=MIGRATIONS[:1]) == 1
    assert migrate(conn, path=str(path)) == SCHEMA_VERSION
    columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    assert "location_inferred" in columns
    conn.close()


def test_minimal_records_round_trip(store: Store) -> None:
    doc = Document("m", "", "")
    store.save(Analysis(doc))
    assert store.picture() == Picture(documents=(doc,), main_events={"m": None})


def test_stats_and_sources(store: Store, full: Analysis) -> None:
    assert store.stats() == dict.fromkeys(
        ("documents", "mentions", "actors", "events", "relations", "control", "evidence"), 0
    )
    store.save(Analysis(_doc("d0", "a-first")))
    store.save(full)
    assert store.stats() == {
        "documents": 2, "mentions": 3, "actors": 2, "events": 2, "relations": 2, "control": 1,
        "evidence": 5,
    }  # fmt: skip
    assert [d.id for d in store.sources("d1-e1")] == ["d0", "d1"]
    assert [d.id for d in store.sources("d1-e2")] == ["d1"]
    assert store.sources("missing") == []


def test_save_twice_is_a_no_op(store: Store, full: Analysis) -> None:
    assert store.save(full)
    before = store.stats()
    changed = Analysis(full.document, events=(_event("d1", 9),))
    assert store.save(full) is False
    assert store.save(changed) is False
    assert store.stats() == before
    assert store.event("d1-e9") is None


def test_failing_save_rolls_back(
    store: Store, full: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(Analysis(_doc("d0"), actors=(Actor("RUS-GOV", "Russia", ("RF",)),),
                        events=(_event("d0", 1),)))  # fmt: skip
    before, stats = store.picture(), store.stats()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    # Fails after the document, mentions, actors and first event rows are inserted.
    monkeypatch.setattr(writing_module, "_insert_evidence", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save(full)
    monkeypatch.undo()
    assert store.picture() == before and store.stats() == stats
    # The store stays usable and the same analysis saves afterwards.
    assert store.save(full)


def test_database_error_rolls_back_as_store_error(store: Store) -> None:
    store.save(Analysis(_doc("d0"), events=(_event("d0", 1),)))
    before = store.picture()
    clash = Analysis(_doc("d1"), events=(_event("d1", 2), _event("d1", 2)))
    with pytest.raises(StoreError, match=r"(?i)unique"):
        store.save(clash)
    assert store.picture() == before
    assert not store.has_document("d1")


def test_stray_document_ids_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="other documents: d9"):
        store.save(Analysis(_doc("d1"), events=(_event("d9", 1),)))
    assert store.stats()["documents"] == 0


def test_replace(store: Store, full: Analysis) -> None:
    store.save(full)
    store.save(Analysis(_doc("d2"), actors=(Actor("RUS-GOV", "Russia", ("RF",)),)))
    new = Analysis(full.document, actors=(Actor("new:y", "Y"),), events=(_event("d1", 5),))
    store.replace(new)
    pic = store.picture()
    assert [e.id for e in pic.events] == ["d1-e5"]
    assert pic.mentions == () and pic.relations == () and pic.control == ()
    # new:x was only in the old analysis; RUS-GOV survives through d2's version.
    assert [a.id for a in pic.actors] == ["RUS-GOV", "new:y"]
    assert pic.actors[0] == Actor("RUS-GOV", "Russia", ("RF",))
    assert pic.main_events == {"d1": None, "d2": None}
    assert store.stats()["evidence"] == 0
    store.replace(Analysis(_doc("d3")))  # replacing an unknown document just stores it
    assert store.has_document("d3")


def test_actor_versions_merge_independently_of_order(new_database: NewDatabase) -> None:
    a = Analysis(_doc("d1"), actors=(Actor("X", "Ex", ("x1", "x2")),))
    b = Analysis(_doc("d2"), actors=(Actor("X", "Other", ("x3", "x1"), "militia"),))
    pictures = []
    for order in ((a, b), (b, a)):
        with Store.open(new_database()) as s:
            for analysis in order:
                s.save(analysis)
            pictures.append(s.picture())
    assert pictures[0] == pictures[1]
    assert pictures[0].actors == (Actor("X", "Ex", ("x1", "x2", "x3")),)


def test_file_database_reopens_with_wal(tmp_path: Path, full: Analysis) -> None:
    path = tmp_path / "sitroom.db"
    with Store.open(path) as s:
        s.save(full)
        expected = s.picture()
    with Store.open(str(path)) as s:
        assert s.picture() == expected
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with Store.open(path, read_only=True) as s:
        assert s.picture() == expected
        with pytest.raises(StoreError, match="read-only"):
            s.save(Analysis(_doc("d9")))


def test_read_only_refuses_missing_and_empty(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(StoreError, match=r"none\.db"):
        Store.open(missing, read_only=True)
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match=r"empty\.db: not a sitroom database"):
        Store.open(empty, read_only=True)


def test_not_a_database_names_the_path(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not SQLite, just some words " * 100)
    with pytest.raises(StoreError, match=r"notes\.db"):
        Store.open(bogus)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match=r"other\.db: not a sitroom database"):
        Store.open(other)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                     (str(SCHEMA_VERSION + 1),))  # fmt: skip
    conn.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match=r"future\.db: schema version \d+ is newer"):
            Store.open(path, read_only=read_only)


def test_migrations_run_in_order(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store.open(path) as s:
        s.save(Analysis(_doc("d1")))
    later = (
        *MIGRATIONS,
        (SCHEMA_VERSION + 1, "CREATE TABLE extra (x TEXT);"),
        # Fails unless the step before it has run.
        (SCHEMA_VERSION + 2, "ALTER TABLE extra ADD y; INSERT INTO extra VALUES ('1', '2');"),
    )
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, path=str(path), migrations=later) == SCHEMA_VERSION + 2
    assert conn.execute("SELECT x, y FROM extra").fetchall() == [("1", "2")]
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    conn.close()
    broken = (*MIGRATIONS, (SCHEMA_VERSION + 1, "CREATE TABLE documents (x);"))
    conn = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1} failed"):
        migrate(conn, path="b.db", migrations=broken)
    # The failed step rolled back whole; the earlier one stays.
    assert conn.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    conn.close()


def test_read_only_refuses_older_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    Store.open(path).close()
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="older"):
        Store.open(path, read_only=True)


def test_locked_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path, timeout=0.05) as s, pytest.raises(StoreError, match=r"busy\.db"):
            s.save(Analysis(_doc("d1")))
    finally:
        other.execute("ROLLBACK")
        other.close()


def _first_use(path: str, name: str, barrier: Any) -> str:
    """Open a new database at the same moment as the other processes and store one document."""
    barrier.wait()
    try:
        with Store.open(path, timeout=30) as s:
            s.save(Analysis(_doc(name)))
    except StoreError as e:
        return str(e)
    return "ok"


def test_writers_starting_a_new_database_together_all_store(new_database: NewDatabase) -> None:
    # Finding: two first writers both saw an empty database and both created the tables; the
    # second failed ("table meta already exists") and lost its batch. Bounded: ~2 s.
    context = multiprocessing.get_context("fork")
    writers = 6
    for _ in range(3):
        path = new_database(shared=True)
        with context.Manager() as manager, context.Pool(writers) as pool:
            barrier = manager.Barrier(writers)
            outcomes = pool.starmap(_first_use, [(path, f"w{i}", barrier) for i in range(writers)])
        assert outcomes == ["ok"] * writers
        with Store.open(path, read_only=True) as s:
            assert s.stats()["documents"] == writers


@pytest.fixture
def filled(store: Store) -> Store:
    kyiv = _loc("Kyiv", 50.45, 30.52, "UA")
    raqqa = _loc("Raqqa", 35.95, 39.01, "SY")
    fiji = _loc("Suva", -18.14, 178.44, "FJ")
    store.save(Analysis(_doc("a"), events=(
        _event("a", 0, location=kyiv),
        _event("a", 1, event_type="Protests", actor1="C", actor2=None, status="claimed",
               location=raqqa),
        _event("a", 2, event_date=None, assoc_actor_2=("Z",), location=fiji),
    )))  # fmt: skip
    store.save(Analysis(_doc("b"), events=(
        _event("b", 3, assoc_actor_1=("Z", "C"), location=kyiv),
        _event("b", 4, event_date=dt.date(2023, 12, 31)),
    )))  # fmt: skip
    return store


def _ids(events: list[Event]) -> list[str]:
    return [e.id for e in events]


def test_events_order_and_pagination(filled: Store) -> None:
    assert _ids(filled.events()) == ["b-e4", "a-e0", "a-e1", "b-e3", "a-e2"]
    assert _ids(filled.events(limit=2)) == ["b-e4", "a-e0"]
    assert _ids(filled.events(limit=2, offset=2)) == ["a-e1", "b-e3"]
    assert _ids(filled.events(offset=4)) == ["a-e2"]
    assert filled.events(limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        filled.events(limit=-1)


def test_event_filters(filled: Store) -> None:
    assert _ids(filled.events(start=dt.date(2024, 3, 2))) == ["a-e1", "b-e3"]
    assert _ids(filled.events(end=dt.date(2024, 3, 1))) == ["b-e4", "a-e0"]
    assert _ids(filled.events(start=dt.date(2024, 3, 2), end=dt.date(2024, 3, 2))) == ["a-e1"]
    assert _ids(filled.events(event_type="Protests")) == ["a-e1"]
    assert _ids(filled.events(status="claimed")) == ["a-e1"]
    assert _ids(filled.events(country="UA")) == ["a-e0", "b-e3"]
    assert _ids(filled.events(actor="C")) == ["a-e1", "b-e3"]
    assert _ids(filled.events(actor="Z")) == ["b-e3", "a-e2"]
    assert _ids(filled.events(actor="B")) == ["b-e4", "a-e0", "b-e3", "a-e2"]
    assert _ids(filled.events(actor="nobody")) == []
    assert _ids(filled.events(actor="C", country="SY", event_type="Protests")) == ["a-e1"]
    assert _ids(filled.events(actor="C", country="UA", event_type="Protests")) == []
    # bbox is (west, south, east, north); west > east crosses the antimeridian.
    assert _ids(filled.events(bbox=(20.0, 30.0, 45.0, 55.0))) == ["a-e0", "a-e1", "b-e3"]
    assert _ids(filled.events(bbox=(35.0, 30.0, 45.0, 40.0))) == ["a-e1"]
    assert _ids(filled.events(bbox=(170.0, -30.0, -170.0, 0.0))) == ["a-e2"]
    assert _ids(filled.events(bbox=(-10.0, -10.0, 10.0, 10.0))) == []


# -- properties -------------------------------------------------------------------------------

# No NUL: PostgreSQL's text cannot hold it (test_postgres_refuses_nul); `full` has one.
_text = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_words = st.text(_text, max_size=8)
_dates = st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2025, 12, 31))
_actor_ids = st.sampled_from(["A", "B", "C", "new:d"])


@st.composite
def _analysis(draw: st.DrawFn, n: int) -> Analysis:
    doc_id = f"doc{n}"
    doc = Document(doc_id, draw(_words), draw(st.text(_text, max_size=30)),
                   draw(st.none() | _words), published=draw(_dates))  # fmt: skip
    evidence = st.builds(Evidence, st.just(doc_id), st.integers(0, 99), st.integers(0, 99), _words)
    events = tuple(
        Event(f"{doc_id}-e{i}", doc_id, draw(st.sampled_from(["reported", "claimed"])),
              draw(_dates), "day", draw(st.none() | st.sampled_from(["Battles", "Riots"])),
              None, "FIGHT", None, draw(st.none() | _actor_ids), draw(st.none() | _actor_ids),
              tuple(draw(st.lists(_actor_ids, max_size=2))),
              evidence=tuple(draw(st.lists(evidence, max_size=2))))
        for i in range(draw(st.integers(0, 3)))
    )  # fmt: skip
    # Few names and aliases, so reports often agree on an actor and sometimes disagree.
    aliases = st.lists(st.sampled_from(["x", "y", "z"]), max_size=2).map(tuple)
    actor = st.builds(Actor, _actor_ids, st.sampled_from(["a", "b"]), aliases)
    actors = tuple({a.id: a for a in draw(st.lists(actor, max_size=3))}.values())
    relations = tuple(draw(st.lists(st.builds(Relation, _actor_ids, st.just("opposes"),
                                              _actor_ids, _dates), max_size=2)))  # fmt: skip
    control = tuple(draw(st.lists(st.builds(
        ControlClaim, st.builds(Location, _words, st.none(), st.none(), st.none(), st.none(),
                                st.none(), st.none()),
        _actor_ids, st.just("held"), _dates, st.just("day")), max_size=2)))  # fmt: skip
    has_main = draw(st.booleans())
    main = events[0].id if events and has_main else None
    mention = st.builds(Mention, st.just(doc_id), st.integers(0, 9), st.integers(0, 9), _words,
                        st.sampled_from(["actor", "date"]), st.none() | _actor_ids)  # fmt: skip
    mentions = tuple(draw(st.lists(mention, max_size=3)))
    return Analysis(doc, mentions, actors, events, relations, control, main_event=main)


@st.composite
def _analyses(draw: st.DrawFn) -> tuple[list[Analysis], list[Analysis]]:
    count = draw(st.integers(0, 4))
    analyses = [draw(_analysis(n)) for n in range(count)]
    return analyses, draw(st.permutations(analyses))


# new_database makes a new database per call, so one per test function is right here.
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(_analyses())
def test_picture_is_order_independent_and_idempotent(
    new_database: NewDatabase, pair: tuple[list[Analysis], list[Analysis]]
) -> None:
    analyses, shuffled = pair
    with Store.open(new_database()) as first, Store.open(new_database()) as second:
        assert all(first.save(a) for a in analyses)
        picture, stats = first.picture(), first.stats()
        assert not any(first.save(a) for a in shuffled)
        assert first.picture() == picture and first.stats() == stats
        for a in shuffled:
            second.save(a)
        assert second.picture() == picture
        # Replacing a document with the same analysis changes nothing.
        for a in shuffled:
            second.replace(a)
        assert second.picture() == picture and second.stats() == stats
    assert {e.id for e in picture.events} == {e.id for a in analyses for e in a.events}
    by_id = {e.id: e for a in analyses for e in a.events}
    assert all(by_id[e.id] == e for e in picture.events)
    assert list(picture.documents) == sorted((a.document for a in analyses),
                                             key=lambda d: (d.ref, d.id))  # fmt: skip
