"""The store: every analysed document and what came out of it, in an embedded SQLite file (the
default) or a PostgreSQL database shared by a team (``postgresql://`` URL; ``store.backend``)."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sitroom.errors import StoreError
from sitroom.picture.ledger import Ledger, MergedEvent
from sitroom.records import (
    Actor,
    Analysis,
    ControlClaim,
    Document,
    Event,
    Picture,
    Relation,
)
from sitroom.store import backend, picture_queries, rows, stored_picture
from sitroom.store.backend import Connection
from sitroom.store.migrations import migrate, schema_version
from sitroom.store.schema import MIGRATIONS, SCHEMA_VERSION
from sitroom.store.writing import check_analysis, insert

__all__ = ["DB_HELP", "DEFAULT_PATH", "MIGRATIONS", "SCHEMA_VERSION", "Store", "migrate"]

logger = logging.getLogger(__name__)

DEFAULT_PATH = "sitroom.db"
# What --db takes, for the commands' help.
DB_HELP = (
    "Database: an SQLite file, or a PostgreSQL database as a postgresql://user@host/name URL "
    "(pip install 'sitroom[postgres]'). Also read from SITROOM_DB."
)
_MEMORY = ":memory:"
_EVENT_ORDER = "event_date IS NULL, event_date, id"
# Reports a transaction of ``Store.rebuild``.
REBUILD_BATCH = 200
_TABLES = ("documents", "mentions", "actors", "events", "relations", "control", "evidence")


def _write_ahead_log(conn: sqlite3.Connection, *, timeout: float) -> None:
    """Put the database in WAL mode. Switching needs the file to itself and SQLite answers
    "database is locked" at once instead of waiting (its busy handler is not called for it), so
    processes opening a new database together retry until ``timeout`` (seconds)."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


class Store:
    """A sitroom database; open it with ``Store.open(path)``. Safe to share between threads."""

    def __init__(self, conn: Connection, *, path: str, read_only: bool) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path  # what was opened: a file name, ":memory:" or a postgresql:// URL
        self.name = backend.redacted(path)  # the same for messages (no password)
        self.read_only = read_only

    @classmethod
    def open(
        cls, path: Path | str = DEFAULT_PATH, *, read_only: bool = False, timeout: float = 5.0
    ) -> Store:
        """Open (creating or upgrading unless ``read_only``) the database at ``path``: an SQLite
        file, ``:memory:``, or a PostgreSQL database given as a ``postgresql://`` URL (its
        current schema, the first of ``search_path``, holds the tables).

        ``timeout`` is how long (seconds) to wait for another writer's lock.
        """
        name = str(path)
        if backend.is_url(name):
            return cls._open_postgres(name, read_only=read_only, timeout=timeout)
        memory = name == _MEMORY
        conn: Connection | None = None
        try:
            if read_only and not memory:
                if not Path(name).is_file():
                    raise StoreError(f"{name}: no such database")
                target, uri = Path(name).resolve().as_uri() + "?mode=ro", True
            else:
                target, uri = name, False
            # isolation_level=None: transactions are begun and ended explicitly below.
            conn = sqlite3.connect(
                target, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            if read_only and not memory:
                _check_version(conn, path=name)
            else:
                if not memory:
                    _write_ahead_log(conn, timeout=timeout)
                    # WAL is safe against corruption with NORMAL; only the last commit may be
                    # lost on power failure, and a rerun re-analyses that report.
                    conn.execute("PRAGMA synchronous = NORMAL")
                migrate(conn, path=name)
                if read_only:
                    conn.execute("PRAGMA query_only = ON")
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        except sqlite3.Error as e:
            if conn is not None:
                conn.close()
            raise StoreError(f"{name}: cannot open the database: {e}") from e
        return cls(conn, path=name, read_only=read_only)

    @classmethod
    def _open_postgres(cls, url: str, *, read_only: bool, timeout: float) -> Store:
        shown = backend.redacted(url)
        conn: Connection | None = None
        try:
            conn = backend.connect_postgres(url, read_only=read_only, timeout=timeout)
            if read_only:
                _check_version(conn, path=shown)
            else:
                migrate(conn, path=shown)
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        except backend.database_errors() as e:
            if conn is not None:
                conn.close()
            raise StoreError(f"{shown}: cannot open the database: {e}") from e
        return cls(conn, path=url, read_only=read_only)

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = ", read_only=True" if self.read_only else ""
        return f"Store({self.name!r}{mode})"

    # -- writing ---------------------------------------------------------------------------

    def save(self, analysis: Analysis) -> bool:
        """Store a document and everything extracted from it; False if it is already stored."""
        check_analysis(analysis)
        with self._write() as conn:
            if _has_document(conn, analysis.document.id):
                logger.debug("document %s already stored; not saved", analysis.document.id)
                return False
            insert(conn, analysis)
        return True

    def replace(self, analysis: Analysis) -> None:
        """Delete what is stored for the analysis's document and store the analysis instead."""
        check_analysis(analysis)
        document_id = analysis.document.id
        with self._write() as conn:
            old_actors = [
                row[0]
                for row in conn.execute(
                    "SELECT actor_id FROM document_actors WHERE document_id = ?", (document_id,)
                )
            ]
            # Foreign keys cascade this to mentions, events, relations, control and evidence.
            conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
            insert(conn, analysis, also_refresh=old_actors)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction: committed whole, or rolled back whole on any exception."""
        if self.read_only:
            raise StoreError(f"{self.name}: opened read-only")
        # The write lock is taken now (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock),
        # so the existence check in save() and the inserts after it see the same database and
        # writers in other processes wait their turn.
        with self._transaction(write=True) as conn:
            yield conn

    @contextmanager
    def state(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction over the tables another stage keeps its state in (``watch_*``)."""
        with self._write() if write else self._read() as conn:
            yield conn

    # -- reading ---------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """One read transaction, so a multi-query read sees one snapshot."""
        with self._transaction(write=False) as conn:
            yield conn

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        """Run the block in one transaction, committed at its end; roll back on any exception."""
        with self._lock:
            conn = self._conn
            try:
                backend.begin(conn, write=write)
                yield conn
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(e, backend.database_errors()):
                    what = "write" if write else "read"
                    raise StoreError(f"{self.name}: {what} failed: {e}") from e
                raise

    def has_document(self, document_id: str) -> bool:
        """Whether a document with this id is stored."""
        with self._read() as conn:
            return _has_document(conn, document_id)

    def document_ids(self) -> Iterator[str]:
        """The id of every stored document (read in one pass, not held)."""
        with self._read() as conn:
            for (found,) in conn.execute("SELECT id FROM documents"):
                yield found

    def documents(self) -> list[Document]:
        """Every stored document, ordered by ref."""
        with self._read() as conn:
            return [
                rows.document_from_row(r)
                for r in conn.execute("SELECT * FROM documents ORDER BY ref, id")
            ]

    def document(self, document_id: str) -> Document | None:
        """The document with this id, or None."""
        with self._read() as conn:
            row = conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        return None if row is None else rows.document_from_row(row)

    def events(
        self,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        event_type: str | None = None,
        actor: str | None = None,
        country: str | None = None,
        status: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Event]:
        """Events matching every given filter, ordered by date (undated last) then id.

        ``start``/``end`` are inclusive and drop undated events; ``actor`` matches actor1,
        actor2 and associated actors; ``bbox`` is (west, south, east, north) in degrees, with
        west > east meaning a box across the antimeridian.
        """
        if limit < 0 or offset < 0:
            raise ValueError(f"limit and offset must be >= 0, got {limit} and {offset}")
        where: list[str] = []
        params: list[object] = []
        for column, value in (
            ("event_type", event_type),
            ("country", country),
            ("status", status),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if start is not None:
            where.append("event_date >= ?")
            params.append(rows.iso(start))
        if end is not None:
            where.append("event_date <= ?")
            params.append(rows.iso(end))
        if actor is not None:
            where.append("id IN (SELECT event_id FROM event_actors WHERE actor_id = ?)")
            params.append(actor)
        if bbox is not None:
            rows.add_bbox(where, params, bbox)
        sql = "SELECT * FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {_EVENT_ORDER} LIMIT ? OFFSET ?"
        params += [limit, offset]
        with self._read() as conn:
            found = conn.execute(sql, params).fetchall()
            evidence = rows.evidence_for(conn, "event_id", [r["id"] for r in found])
        return [rows.event_from_row(r, evidence.get(r["id"], ())) for r in found]

    def event(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        with self._read() as conn:
            row = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
            if row is None:
                return None
            evidence = rows.evidence_for(conn, "event_id", [event_id])
        return rows.event_from_row(row, evidence.get(event_id, ()))

    def sources(self, event_id: str) -> list[Document]:
        """The documents an event comes from: its own and those its evidence quotes, by ref."""
        with self._read() as conn:
            found = conn.execute(
                "SELECT * FROM documents WHERE id IN ("
                " SELECT document_id FROM events WHERE id = ?"
                " UNION SELECT document_id FROM evidence WHERE event_id = ?"
                ") ORDER BY ref, id",
                (event_id, event_id),
            ).fetchall()
        return [rows.document_from_row(r) for r in found]

    def actors(self) -> list[Actor]:
        """Every stored actor, by id; where reports disagree, see ``rows.canonical_actor``."""
        with self._read() as conn:
            return [
                rows.actor_from_row(r) for r in conn.execute("SELECT * FROM actors ORDER BY id")
            ]

    def relations(self) -> list[Relation]:
        """Every stored relation, ordered by date (undated last), subject, predicate, object."""
        with self._read() as conn:
            return _relations(conn)

    def control(self, *, place: str | None = None) -> list[ControlClaim]:
        """Control claims, all or those for one place name, ordered by date (undated last)."""
        with self._read() as conn:
            return _control(conn, place=place)

    def picture(self) -> Picture:
        """Everything stored, in an order that does not depend on the order of saving."""
        with self._read() as conn:
            return _picture(conn)

    def ledger(self) -> Ledger:
        """The stored cross-report picture (merged events, control, alliances, wire copies),
        read as it is: nothing is merged on reading."""
        with self._read() as conn:
            self._check_picture(conn)
            return picture_queries.stored_ledger(conn)

    def picture_with_ledger(self) -> tuple[Picture, Ledger]:
        """``picture()`` and ``ledger()`` read in one snapshot."""
        with self._read() as conn:
            self._check_picture(conn)
            return _picture(conn), picture_queries.stored_ledger(conn)

    def find_events(self, **filters: Any) -> picture_queries.EventPage:
        """A page of stored merged events passing the filters of
        ``picture_queries.find_events`` (indexed queries, keyset pagination)."""
        with self._read() as conn:
            self._check_picture(conn)
            return picture_queries.find_events(conn, **filters)

    def merged_event(self, merged_id: str) -> MergedEvent | None:
        """The stored merged event with this id, or None."""
        with self._read() as conn:
            self._check_picture(conn)
            return picture_queries.merged_event(conn, merged_id)

    def picture_is_current(self) -> bool:
        """Whether the stored picture was built by this sitroom's merge and reconcile rules."""
        with self._read() as conn:
            return picture_queries.is_current(conn)

    def rebuild(
        self,
        *,
        batch: int = REBUILD_BATCH,
        progress: Callable[[int], None] | None = None,
        restart: bool = False,
    ) -> int:
        """Recompute the stored picture from every stored record (after the rules changed);
        the number of merged events.

        The picture's tables are emptied, then the reports go through the update a save runs
        (``stored_picture.rebuild_batch``), ``batch`` reports a transaction, in publication
        order: each is later than everything already in the picture, so it decides only its
        own events, and the merged events a batch changes are held in memory and written once
        at its end (``sitroom.store.held_groups``). Memory holds one batch's changed groups.
        ``progress`` is told the reports done after each batch.

        A rebuild by these rules that stopped before its end (``q.REBUILDING``) is resumed: its
        committed batches, and the saves since, are a picture of the reports it holds, as any
        order of arrival gives, so the reports it lacks are brought in after them. ``restart``:
        empty the picture and start again all the same."""
        with self._write() as conn:
            if restart or picture_queries.rules_version(conn) != picture_queries.REBUILDING:
                stored_picture.clear(conn)
        done = 0
        after: tuple[str, str] | None = None
        with self._lock, backend.bulk_cache(self._conn):
            while True:
                with self._write() as conn:
                    step = stored_picture.rebuild_batch(conn, batch, after)
                if not step.count:
                    break
                done += step.count
                after = step.last
                if progress is not None:
                    progress(done)
        with self._read() as conn:
            return int(conn.execute("SELECT count(*) FROM picture_events").fetchone()[0])

    def _check_picture(self, conn: Connection) -> None:
        if not picture_queries.is_current(conn):
            raise StoreError(picture_queries.not_current(conn, self.name))

    def revision(self) -> tuple[int, ...]:
        """A value that changes whenever anything is committed, by this store or another process
        (``backend.revision``)."""
        with self._lock:
            return backend.revision(self._conn)

    def stats(self) -> dict[str, int]:
        """Row counts per table (documents, mentions, actors, events, relations, ...)."""
        with self._read() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLES}


def _picture(conn: Connection) -> Picture:
    """Every stored record, in an order that does not depend on the order of saving."""
    documents = conn.execute("SELECT * FROM documents ORDER BY ref, id").fetchall()
    actors = conn.execute("SELECT * FROM actors ORDER BY id").fetchall()
    mentions = conn.execute("SELECT * FROM mentions ORDER BY document_id, seq").fetchall()
    events = conn.execute(f"SELECT * FROM events ORDER BY {_EVENT_ORDER}").fetchall()
    evidence = rows.evidence_for(conn, "event_id", None)
    relations = _relations(conn)
    control = _control(conn, place=None)
    return Picture(
        documents=tuple(rows.document_from_row(r) for r in documents),
        actors=tuple(rows.actor_from_row(r) for r in actors),
        mentions=tuple(rows.mention_from_row(r) for r in mentions),
        events=tuple(rows.event_from_row(r, evidence.get(r["id"], ())) for r in events),
        relations=tuple(relations),
        control=tuple(control),
        main_events={r["id"]: r["main_event"] for r in documents},
    )


def _check_version(conn: Connection, *, path: str) -> None:
    """Refuse a read-only database that is empty or not at this sitroom's schema version."""
    version = schema_version(conn, path=path)
    if version == 0:
        raise StoreError(f"{path}: not a sitroom database (empty)")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version} is newer than this sitroom supports "
            f"({SCHEMA_VERSION})"
        )
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version} is older than {SCHEMA_VERSION}; "
            "open it once without read_only to upgrade it"
        )


def _has_document(conn: Connection, document_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone()
    return row is not None


def _relations(conn: Connection) -> list[Relation]:
    found = conn.execute(
        "SELECT * FROM relations ORDER BY date IS NULL, date, subject, predicate, object, "
        "document_id, seq"
    ).fetchall()
    evidence = rows.evidence_for(conn, "relation_id", None)
    return [rows.relation_from_row(r, evidence.get(r["id"], ())) for r in found]


def _control(conn: Connection, *, place: str | None) -> list[ControlClaim]:
    sql, params = "SELECT * FROM control", []
    if place is not None:
        sql, params = sql + " WHERE location_name = ?", [place]
    found = conn.execute(
        sql + " ORDER BY date IS NULL, date, location_name, controller, document_id, seq", params
    ).fetchall()
    ids = None if place is None else [r["id"] for r in found]
    evidence = rows.evidence_for(conn, "control_id", ids)
    return [rows.control_from_row(r, evidence.get(r["id"], ())) for r in found]
