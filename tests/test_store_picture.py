"""Tests for sitroom.store.stored_picture: the picture kept in tables equals a rebuild from scratch,
whatever order reports arrive in, and readers are told to rebuild a picture of other rules."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factories
from conftest import NewDatabase
from factories import doc
from sitroom.errors import StoreError
from sitroom.export.json_export import compact_json, listing_item
from sitroom.picture import build_ledger
from sitroom.picture.blocking import BlockIndex
from sitroom.picture.codec import decode, encode
from sitroom.picture.ledger import DEFAULT_RULES, MergedEvent
from sitroom.picture.summary import summarize
from sitroom.records import Actor, Analysis, ControlClaim, Document, Evidence, Location, Relation
from sitroom.store import Store, picture_queries, stored_picture
from sitroom.store.held_groups import HeldGroups
from sitroom.store.migrations import migrate
from sitroom.store.picture_queries import LISTED_EVIDENCE, edge_listing
from sitroom.store.schema import MIGRATIONS
from sitroom.web.view import EventFilter, find_events, matches

_LONG = (
    "Shelling hit the northern districts overnight and residents fled towards the border "
    "crossing, where aid groups said they had counted several hundred families by morning. "
)
DOCS = [
    doc("Report 0: fighting went on in the region, officials said.", dt.date(2024, 12, 1)),
    doc("Report 1: an air strike hit the market, witnesses said.", dt.date(2024, 12, 3)),
    doc("Report 2: the army took the town after a week of clashes.", dt.date(2024, 12, 3)),
    doc("Report 3: rebels said they held the bridge.", None),
    doc("REPORT 0 -- fighting went on in the region; officials said", dt.date(2024, 11, 30)),
    doc(_LONG + "Report 5 ends here.", dt.date(2024, 12, 2)),
    doc(_LONG + "Report 6 ends here today.", dt.date(2024, 12, 1)),
    doc("Report 7: nothing new.", dt.date(2024, 12, 9)),
]
# Versions of one actor id differ between reports: the canonical one is the first by document id,
# so which report arrives can change an actor's parent or kind, and with it the merge.
ACTOR_VERSIONS = [
    Actor("SYR", "Syria", kind="state"),
    Actor("SYR-MIL", "Syrian army", kind="state_forces", parent="SYR"),
    Actor("SYR-MIL", "Syrian army", kind="state_forces"),
    Actor("HTS", "HTS", kind="armed_group"),
    Actor("HTS", "HTS", kind="militia", parent="SYR"),
    Actor("UNK-AG", "Unidentified armed group", kind="armed_group"),
]
KINDS = [
    ("Battles", "Armed clash", "FIGHT"),
    ("Explosions/Remote violence", "Air/drone strike", "AERIAL"),
    (None, None, "FIGHT"),
]
PLACES = [
    Location("Anadan", 1, 36.29, 37.04, "SY", "Aleppo", 1),
    Location("Aleppo", 2, 36.20, 37.15, "SY", "Aleppo", 1),
    Location("Anadan", None, None, None, "SY", None, 1),
    Location("Idlib", 3, 35.93, 36.63, "SY", "Idlib", 3),
    Location("Syria", None, 35.0, 38.0, "SY", None, 3, True),
    None,
]
ACTOR_IDS = [None, "SYR", "SYR-MIL", "HTS", "UNK-AG"]


def _day(draw: st.DrawFn) -> dt.date | None:
    if draw(st.integers(0, 4)) == 0:
        return None
    return dt.date(2024, 12, 1) + dt.timedelta(days=draw(st.integers(-4, 4)))


@st.composite
def analyses(draw: st.DrawFn, document: Document) -> Analysis:
    events = []
    for i in range(draw(st.integers(0, 4))):
        day = _day(draw)
        events.append(
            factories.event(
                document,
                kind=draw(st.sampled_from(KINDS)),
                quote=f"event {i}",
                start=10 * i,
                status=draw(st.sampled_from(["reported", "reported", "claimed", "background"])),
                event_date=day,
                date_precision=draw(st.sampled_from(["day", "day", "month"])) if day else "unknown",
                location=draw(st.sampled_from(PLACES)),
                actor1=draw(st.sampled_from(ACTOR_IDS)),
                actor2=draw(st.sampled_from(ACTOR_IDS)),
                fatalities=draw(st.sampled_from([None, 3, 4, 40])),
            )
        )
    evidence = (Evidence(document.id, 0, 6, "Report"),)
    control = [
        ControlClaim(
            place=draw(st.sampled_from([p for p in PLACES if p is not None])),
            controller=draw(st.sampled_from(["SYR-MIL", "HTS", "SYR"])),
            status=draw(st.sampled_from(["captured", "held", "lost", "advancing"])),
            date=_day(draw),
            date_precision="day",
            evidence=evidence,
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    relations = [
        Relation(
            subject=draw(st.sampled_from(["SYR", "HTS", "SYR-MIL"])),
            predicate=draw(st.sampled_from(["allied_with", "opposes"])),
            object=draw(st.sampled_from(["SYR", "HTS", "UNK-AG"])),
            date=_day(draw),
            evidence=evidence,
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    actors = draw(st.lists(st.sampled_from(ACTOR_VERSIONS), max_size=3))
    unique = {a.id: a for a in actors}
    return Analysis(
        document=document,
        actors=tuple(unique.values()),
        events=tuple(events),
        relations=tuple(relations),
        control=tuple(control),
    )


@st.composite
def arrivals(draw: st.DrawFn) -> list[Analysis]:
    chosen = draw(st.lists(st.sampled_from(DOCS), min_size=1, max_size=len(DOCS), unique=True))
    return [draw(analyses(d)) for d in chosen]


def _assert_current(store: Store) -> None:
    picture = store.picture()
    ledger = build_ledger(picture)
    assert store.ledger() == ledger
    # Each merged event's listing item is the one its wire groups and actor names give now.
    names = {a.id: a.name for a in picture.actors}
    expected = {
        e.id: compact_json(listing_item(summarize(e), ledger.source_groups, names))
        for e in ledger.events
    }
    stored = store._conn.execute("SELECT id, item FROM picture_events").fetchall()
    assert {r[0]: r[1] for r in stored} == expected


# Examples per backend: PostgreSQL's take longer (a new schema each, statements over a socket).
EXAMPLES = {"sqlite": 1.0, "postgresql": 0.2}


def test_any_order_of_arrival_gives_the_picture_a_rebuild_gives(
    backend: str, new_database: NewDatabase
) -> None:
    @settings(
        max_examples=int(300 * EXAMPLES[backend]),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(arrivals(), st.randoms(use_true_random=False), st.data())
    def arrive(found: list[Analysis], rnd: Any, data: st.DataObject) -> None:
        rnd.shuffle(found)
        with Store.open(new_database()) as store:
            for analysis in found:
                store.save(analysis)
            _assert_current(store)
            # Re-analysing a report (other events, claims, actors) updates the picture too.
            again = data.draw(st.sampled_from(found))
            store.replace(data.draw(analyses(again.document)))
            _assert_current(store)
            expected = store.ledger()
            # The rebuild streams the reports through the update, a batch a transaction.
            store.rebuild(batch=data.draw(st.integers(1, 3)))
            assert store.ledger() == expected

    arrive()


def test_reports_saved_while_a_rebuild_streams_are_in_the_picture_it_gives(
    backend: str, new_database: NewDatabase
) -> None:
    """Between the rebuild's transactions other writers save and re-analyse reports; their
    updates land in the part of the picture built so far, and the whole is build_ledger's."""

    @settings(
        max_examples=int(100 * EXAMPLES[backend]),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(arrivals(), st.randoms(use_true_random=False), st.data())
    def arrive(found: list[Analysis], rnd: Any, data: st.DataObject) -> None:
        rnd.shuffle(found)
        cut = data.draw(st.integers(0, len(found)))
        before, during = found[:cut], list(found[cut:])
        with Store.open(new_database()) as store:
            for analysis in before:
                store.save(analysis)
            seen: list[int] = []

            def meanwhile(done: int) -> None:
                seen.append(done)
                if during:
                    store.save(during.pop(0))
                if before and data.draw(st.booleans()):
                    again = data.draw(st.sampled_from(before))
                    store.replace(data.draw(analyses(again.document)))
                with pytest.raises(StoreError, match="being rebuilt"):
                    store.ledger()

            store.rebuild(batch=data.draw(st.integers(1, 2)), progress=meanwhile)
            for analysis in during:
                store.save(analysis)
            assert seen == sorted(seen) and (not before or seen)
            _assert_current(store)

    arrive()


def test_updates_holding_the_groups_they_change_give_the_picture_of_any_order(
    backend: str, new_database: NewDatabase
) -> None:
    """The rebuild's updates hold the merged events they change (``held_groups``) and write
    them at a batch's end. Here reports come in any order through such updates, written at
    random points: a held group is read before its stale rows, and an update that does more
    than append (an earlier report's) has them written first."""

    @settings(
        max_examples=int(200 * EXAMPLES[backend]),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(arrivals(), st.data())
    def arrive(found: list[Analysis], data: st.DataObject) -> None:
        with Store.open(new_database()) as store:
            with store.state(write=True) as conn:
                picture_queries.set_rules(conn, "none")  # saves leave the picture aside
            for analysis in found:
                store.save(analysis)
            with store.state(write=True) as conn:
                stored_picture.clear(conn)
                held = HeldGroups(BlockIndex(DEFAULT_RULES))
                for analysis in data.draw(st.permutations(found)):
                    stored_picture.update(conn, analysis.document.id, held=held)
                    if data.draw(st.booleans()):
                        stored_picture.flush(conn, held)
                stored_picture.flush(conn, held)
                picture_queries.set_rules(conn)
            _assert_current(store)

    arrive()


def test_a_rebuild_stopped_half_way_is_refused_then_resumed(tmp_path: Path) -> None:
    db = str(tmp_path / "stopped.db")
    with Store.open(db) as store:
        for d in DOCS[:4]:
            store.save(Analysis(document=d))
        expected = store.ledger()

        def stop(done: int) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            store.rebuild(batch=2, progress=stop)
        with pytest.raises(StoreError, match=r"being rebuilt.*sitroom rebuild"):
            store.ledger()
        store.save(Analysis(document=DOCS[4]))  # the part built so far takes it
        seen: list[int] = []
        assert store.rebuild(batch=2, progress=seen.append) == len(store.ledger().events)
        assert seen == [2]  # the two reports the stopped rebuild left, not all five again
        _assert_current(store)
        assert len(store.ledger().source_groups) == len(expected.source_groups) + 1
        seen.clear()
        store.rebuild(batch=2, progress=seen.append)  # a whole picture is rebuilt from nothing
        assert seen == [2, 4, 5]
        with pytest.raises(KeyboardInterrupt):
            store.rebuild(batch=2, progress=stop)
        seen.clear()
        store.rebuild(batch=2, progress=seen.append, restart=True)
        assert seen == [2, 4, 5]
        _assert_current(store)


def test_a_rebuild_stopped_anywhere_and_resumed_gives_the_picture_of_any_order(
    backend: str, new_database: NewDatabase
) -> None:
    """A rebuild stopped after any batch, with saves before it resumes, is resumed by the
    next one from the reports its picture lacks; the whole is build_ledger's."""

    @settings(
        max_examples=int(100 * EXAMPLES[backend]),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(arrivals(), st.data())
    def arrive(found: list[Analysis], data: st.DataObject) -> None:
        cut = data.draw(st.integers(0, len(found)))
        before, later = found[:cut], found[cut:]
        with Store.open(new_database()) as store:
            for analysis in before:
                store.save(analysis)
            stops = data.draw(st.integers(1, 3))

            def stop(done: int) -> None:
                if done >= stops:
                    raise KeyboardInterrupt

            with contextlib.suppress(KeyboardInterrupt):
                store.rebuild(batch=data.draw(st.integers(1, 2)), progress=stop)
            for analysis in later:
                store.save(analysis)
            store.rebuild(batch=data.draw(st.integers(1, 3)))
            _assert_current(store)

    arrive()


def test_a_rebuild_batch_reads_the_next_reports_by_the_publication_index(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "plan.db")) as store, store.state() as conn:
        plan = " ".join(
            str(r[-1])
            for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT id FROM documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM picture_sources s WHERE s.document_id = d.id) "
                f"AND ({stored_picture.PUBLICATION_ORDER}, id) > (?, ?) "
                f"ORDER BY {stored_picture.PUBLICATION_ORDER}, id LIMIT ?",
                ("2024-01-01", "x", 10),
            )
        )
    assert "documents_publication" in plan and "TEMP B-TREE" not in plan


def test_a_merged_event_round_trips_through_its_stored_form(db_target: str) -> None:
    first, second = DOCS[0], DOCS[1]
    kind = KINDS[0]
    day = dt.date(2024, 12, 1)
    events = [
        factories.event(d, kind=kind, quote="clash", event_date=day, date_precision="day",
                        location=PLACES[0], actor1="HTS", fatalities=n)
        for d, n in ((first, 3), (second, 4))
    ]  # fmt: skip
    with Store.open(db_target) as store:
        for d, e in zip((first, second), events, strict=True):
            store.save(Analysis(document=d, events=(e,)))
        (merged,) = store.ledger().events
    assert len(merged.members) == 2 and merged.fatality_range is not None
    assert decode(MergedEvent, encode(merged)) == merged


def test_the_upgrade_to_schema_7_writes_the_summary_of_every_stored_merged_event(
    db_target: str,
) -> None:
    events = [
        factories.event(d, kind=KINDS[i % 2], quote=f"clash {i}", event_date=dt.date(2024, 12, 1),
                        date_precision="day", location=PLACES[0], actor1="HTS")
        for i, d in enumerate(DOCS[:3])
    ]  # fmt: skip
    with Store.open(db_target) as store:
        for e in events:
            store.save(
                Analysis(document=next(d for d in DOCS if d.id == e.document_id), events=(e,))
            )
        _undo_schema_8(store._conn)  # the test plays a database stored by schema 6
        conn = store._conn
        conn.execute("ALTER TABLE picture_events DROP COLUMN summary")
        for index in ("picture_events_days", "picture_events_places"):
            conn.execute(f"DROP INDEX {index}")
        conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    with Store.open(db_target) as store:
        stored = store._conn.execute("SELECT record, summary FROM picture_events").fetchall()
        merged = store.ledger().events
    assert len(stored) == len(merged) == 2
    assert {r[1] for r in stored} == {encode(summarize(e)) for e in merged}
    assert all(decode(MergedEvent, r[0]) in merged for r in stored)


def _undo_schema_10(conn: Any) -> None:
    """Take a database back to schema 9 (as a sitroom of schema 9 left it)."""
    conn.execute("DROP INDEX documents_publication")
    conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")


def _undo_schema_9(conn: Any) -> None:
    """Take a database back to schema 8 (as a sitroom of schema 8 left it)."""
    _undo_schema_10(conn)
    conn.execute("ALTER TABLE picture_events DROP COLUMN item")
    conn.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")


def test_the_upgrade_to_schema_9_writes_the_listing_item_of_every_stored_merged_event(
    db_target: str,
) -> None:
    """The item each merged event is listed by (its wire groups' count of sources, its actors'
    names) is written for the events stored before, as a save writes it."""
    text = (
        "Report: the army took the town after a week of heavy clashes with the rebels who had "
        "held it since the spring, officials and residents said on the telephone today"
    )
    copies = [
        doc(text + ".", dt.date(2024, 12, 1)),
        doc(text + ", agencies.", dt.date(2024, 12, 2)),
    ]
    actor = Actor("HTS", "Hayat Tahrir al-Sham", kind="armed_group")
    found = [
        Analysis(
            document=d,
            actors=(actor,),
            events=(
                factories.event(
                    d,
                    kind=KINDS[0],
                    quote="clash",
                    event_date=dt.date(2024, 12, 1),
                    date_precision="day",
                    location=PLACES[0],
                    actor1="HTS",
                ),
            ),
        )
        for d in (*copies, DOCS[2])
    ]
    with Store.open(db_target) as store:
        for analysis in found:
            store.save(analysis)
        saved = store._conn.execute("SELECT id, item FROM picture_events ORDER BY id").fetchall()
        _undo_schema_9(store._conn)
    with Store.open(db_target) as store:
        upgraded = store._conn.execute("SELECT id, item FROM picture_events ORDER BY id")
        _assert_current(store)
        assert [tuple(r) for r in upgraded.fetchall()] == [tuple(r) for r in saved]
    items = [json.loads(r[1]) for r in saved]
    assert {i["actor1_name"] for i in items} == {"Hayat Tahrir al-Sham"}
    assert sum(i["sources"] for i in items) < sum(len(i["document_ids"]) for i in items)


def _undo_schema_8(conn: Any) -> None:
    """Take a database back to schema 7 (as a sitroom of schema 7 left it)."""
    _undo_schema_9(conn)
    for column in ("listing", "documents_total", "evidence_total"):
        conn.execute(f"ALTER TABLE picture_alliances DROP COLUMN {column}")
    conn.execute("DROP INDEX picture_events_box")
    conn.execute("CREATE INDEX picture_events_lat_lon ON picture_events (latitude, longitude)")
    conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")


def test_the_upgrade_to_schema_8_lists_every_stored_alliance_edge(db_target: str) -> None:
    """The listing of each edge (its first quotes, how many in all) is written for the edges
    stored before, as a save writes it."""
    evidence = [Evidence(d.id, 0, 6, f"quote {i}") for i, d in enumerate(DOCS[:5])]
    relations = [Relation("HTS", "opposes", "SYR", None, (ev,)) for ev in evidence]
    with Store.open(db_target) as store:
        for document, relation in zip(DOCS[:5], relations, strict=True):
            store.save(Analysis(document=document, relations=(relation,)))
        saved = store._conn.execute(
            "SELECT listing, documents_total, evidence_total FROM picture_alliances"
        ).fetchall()
        _undo_schema_8(store._conn)
    with Store.open(db_target) as store:
        upgraded = store._conn.execute(
            "SELECT listing, documents_total, evidence_total FROM picture_alliances"
        ).fetchall()
        edges = store.ledger().alliances
    assert [tuple(r) for r in upgraded] == [tuple(r) for r in saved]
    assert [tuple(r) for r in upgraded] == [
        (encode(edge_listing(e)), len(e.document_ids), len(e.evidence)) for e in edges
    ]
    assert (upgraded[0][1], upgraded[0][2]) == (5, 5) and LISTED_EVIDENCE < 5


def test_a_database_of_schema_4_asks_for_a_rebuild_and_gets_one(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path=str(path), migrations=MIGRATIONS[:4])
    conn.close()
    with Store.open(path) as store:
        # Written before the picture was stored: a report, then an upgrade with no picture.
        store.save(Analysis(document=DOCS[0]))
        conn = store._conn  # the test plays an older sitroom
        conn.execute("DELETE FROM meta WHERE key = 'picture_rules'")
        assert not store.picture_is_current()
        with pytest.raises(StoreError, match="sitroom rebuild"):
            store.ledger()
        store.save(Analysis(document=DOCS[1]))  # stored; the picture waits for the rebuild
        store.rebuild()
        assert store.picture_is_current()
        _assert_current(store)


def test_an_earlier_copy_without_events_renames_the_source_of_stored_claims(
    db_target: str,
) -> None:
    original, copy = DOCS[0], DOCS[4]  # the copy was published a day before
    day = dt.date(2024, 12, 1)
    event = factories.event(original, kind=KINDS[0], quote="fighting", event_date=day,
                            date_precision="day", location=PLACES[0])  # fmt: skip
    with Store.open(db_target) as store:
        store.save(Analysis(document=original, events=(event,)))
        store.save(Analysis(document=copy))
        (merged,) = store.ledger().events
        assert {v.source_group for c in merged.claims for v in c.values} == {copy.id}
        _assert_current(store)


def test_claims_on_a_name_follow_the_geonameid_a_later_report_resolves_it_to(
    db_target: str,
) -> None:
    bare, resolved = PLACES[2], PLACES[0]  # "Anadan" unresolved, then Anadan (geonameid 1)
    other_name = Location("Anadan town", 1, 36.29, 37.04, "SY", "Aleppo", 1)

    def held(document: Document, place: Location, controller: str) -> Analysis:
        claim = ControlClaim(place, controller, "held", dt.date(2024, 12, 1), "day",
                             (Evidence(document.id, 0, 6, "Report"),))  # fmt: skip
        return Analysis(document=document, control=(claim,))

    with Store.open(db_target) as store:
        for document, place, controller in (
            (DOCS[1], bare, "HTS"),
            (DOCS[2], resolved, "SYR-MIL"),
            (DOCS[3], other_name, "HTS"),
        ):
            store.save(held(document, place, controller))
            _assert_current(store)
        (timeline,) = store.ledger().control
        assert timeline.key == "geonameid:1" and len(timeline.entries) == 2


def _save_all(target: str, batch: list[Analysis], barrier: Any) -> int:
    """Start with the other processes, save every analysis; how many this process stored."""
    barrier.wait()
    with Store.open(target, timeout=60) as store:
        return sum(store.save(a) for a in batch)


def test_writers_in_several_processes_neither_lose_nor_duplicate_a_report(
    db_target: str, new_database: NewDatabase
) -> None:
    # Three writers save the same reports, in three orders, at once; their events merge. Each
    # report is stored once, by whichever came first, and the picture is the one a single
    # writer builds. Bounded: 3 processes, 5 reports.
    day = dt.date(2024, 12, 1)
    batch = [
        Analysis(document=d, events=(factories.event(
            d, kind=KINDS[0], quote="clash", event_date=day, date_precision="day",
            location=PLACES[0], actor1="HTS", fatalities=i + 1),))
        for i, d in enumerate(DOCS)
    ]  # fmt: skip
    orders = [batch, batch[::-1], batch[2:] + batch[:2]]
    Store.open(db_target).close()  # the schema exists: the writers meet on saves
    context = multiprocessing.get_context("fork")
    with context.Manager() as manager, context.Pool(len(orders)) as pool:
        barrier = manager.Barrier(len(orders))
        saved = pool.starmap(_save_all, [(db_target, order, barrier) for order in orders])
    assert sum(saved) == len(batch)
    with Store.open(new_database()) as alone:
        for analysis in batch:
            alone.save(analysis)
        expected = alone.ledger()
    with Store.open(db_target, read_only=True) as store:
        assert store.stats()["documents"] == len(batch)
        assert store.ledger() == expected
        _assert_current(store)


def test_an_offset_past_every_event_is_an_empty_page(db_target: str) -> None:
    # Finding (the API's schema test): an offset of 2**70 overflowed SQLite's integers (500).
    event = factories.event(DOCS[0], kind=KINDS[0], quote="clash", location=PLACES[0])
    with Store.open(db_target) as store:
        store.save(Analysis(document=DOCS[0], events=(event,)))
        page = store.find_events(offset=2**70, limit=10)
        assert page.events == () and page.total == 1 and page.next is None
        assert len(store.find_events(offset=0, limit=10).events) == 1


FILTER_VALUES: dict[str, list[Any]] = {
    "start": [dt.date(2024, 11, 30), dt.date(2024, 12, 2)],
    "end": [dt.date(2024, 12, 1), dt.date(2024, 12, 4)],
    "type": ["Battles", "Air/drone strike", "FIGHT", "AERIAL"],
    "actor": ["HTS", "SYR", "UNK-AG"],
    "country": ["sy", "TR"],
    "status": ["reported", "background"],
    "verdict": ["corroborated", "single-source", "contradicted"],
    # The second box crosses the antimeridian's way: east of 37.1° or west of 36.7°.
    "bbox": [(37.0, 36.0, 38.0, 37.0), (37.1, 30.0, 36.7, 40.0), (36.0, 35.0, 37.1, 36.5)],
}


@st.composite
def filters(draw: st.DrawFn) -> EventFilter:
    """One or two filters set, so that what they keep is seldom nothing."""
    names = draw(st.lists(st.sampled_from(sorted(FILTER_VALUES)), min_size=1, max_size=2))
    return EventFilter(**{n: draw(st.sampled_from(FILTER_VALUES[n])) for n in names})


def test_indexed_event_queries_page_through_what_the_filters_mean(
    backend: str, new_database: NewDatabase
) -> None:
    @settings(
        max_examples=int(100 * EXAMPLES[backend]),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(arrivals(), filters(), st.integers(1, 4))
    def query(found: list[Analysis], wanted: EventFilter, size: int) -> None:
        with Store.open(new_database()) as store:
            for analysis in found:
                store.save(analysis)
            expected = [e for e in store.ledger().events if matches(e, wanted)]
            pages: list[MergedEvent] = []
            after = None
            for _ in range(len(expected) // size + 2):  # a cursor that stays fails, not hangs
                page = find_events(store, wanted, after=after, limit=size, offset=0)
                assert page.total == len(expected)
                pages += page.events
                if page.next is None:
                    break
                after = page.next
            assert pages == expected
            by_offset = find_events(store, wanted, after=None, limit=size, offset=size)
            assert list(by_offset.events) == expected[size : 2 * size]

    query()


def test_the_command_line_asks_for_a_rebuild_and_rebuild_answers_it(
    db_target: str, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from sitroom.cli import app

    db = db_target  # on each backend; the report reads it from SITROOM_DB, as --db's default
    with Store.open(db) as store:
        store.save(Analysis(document=DOCS[0]))
        with store.state(write=True) as conn:  # as a database of schema 4 upgraded would be
            conn.execute("DELETE FROM meta WHERE key = 'picture_rules'")
    runner = CliRunner()
    refused = runner.invoke(app, ["report"], env={"SITROOM_DB": db})
    assert refused.exit_code != 0 and "sitroom rebuild" in refused.output
    rebuilt = runner.invoke(app, ["rebuild", "--db", db])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(app, ["report"], env={"SITROOM_DB": db}).exit_code == 0
    missing = runner.invoke(app, ["rebuild", "--db", str(tmp_path / "none.db")])
    # The console wraps a long temporary path; the words are what the user reads.
    assert missing.exit_code != 0 and "no such database" in " ".join(missing.output.split())
