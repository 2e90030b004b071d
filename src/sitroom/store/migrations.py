"""Applying the schema's migrations (``sitroom.store.schema``) in order, one transaction per
version, and the steps that fill what a version added from the records already stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sitroom.errors import StoreError
from sitroom.store import backend
from sitroom.store.backend import Connection
from sitroom.store.schema import MIGRATIONS

_META = "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def schema_version(conn: Connection, *, path: str) -> int:
    """The database's schema version; 0 for an empty database."""
    tables = backend.tables(conn)
    if not tables:
        return 0
    if "meta" not in tables:
        raise StoreError(f"{path}: not a sitroom database (no meta table)")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise StoreError(f"{path}: not a sitroom database (no schema_version)")
    try:
        return int(row[0])
    except ValueError as e:
        raise StoreError(f"{path}: bad schema_version {row[0]!r}") from e


def migrate(
    conn: Connection,
    *,
    path: str,
    migrations: tuple[tuple[int, str], ...] = MIGRATIONS,
) -> int:
    """Upgrade the database to the newest schema, one version at a time; return that version.

    ``conn`` must be in autocommit mode (``isolation_level=None``); each step is one transaction
    (PostgreSQL's DDL is transactional too).
    """
    target = migrations[-1][0]
    current = schema_version(conn, path=path)
    _check_not_newer(current, target, path=path)
    for version, script in migrations:
        if version <= current:
            continue
        # executescript would COMMIT on its own; running statements one by one keeps each
        # step inside a single transaction that rolls back whole on failure.
        try:
            backend.begin(conn, write=True)
            # Read again under the write lock: another process opening the same new database
            # may have applied this step since the version was read above.
            current = schema_version(conn, path=path)
            _check_not_newer(current, target, path=path)
            if current >= version:
                conn.execute("COMMIT")
                continue
            if current == 0:
                conn.execute(backend.schema_statement(conn, _META))
            for statement in _statements(script):
                conn.execute(backend.schema_statement(conn, statement))
            if version in _FILLS:
                _FILLS[version](conn)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(version),),
            )
            conn.execute("COMMIT")
        except Exception as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if not isinstance(e, backend.database_errors()):
                raise
            raise StoreError(f"{path}: migration to schema version {version} failed: {e}") from e
        current = version
    return current


def _fill_summaries(conn: Connection, *, batch: int = 500) -> None:
    """Write the summary of every stored merged event (schema 7), ``batch`` records at a time."""
    from sitroom.picture.codec import decode, encode
    from sitroom.picture.ledger import MergedEvent
    from sitroom.picture.summary import summarize

    last = ""
    while True:
        found = conn.execute(
            "SELECT id, record FROM picture_events WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
        ).fetchall()
        if not found:
            return
        conn.executemany(
            "UPDATE picture_events SET summary = ? WHERE id = ?",
            [(encode(summarize(decode(MergedEvent, r[1]))), r[0]) for r in found],
        )
        last = found[-1][0]


def _fill_alliance_listings(conn: Connection) -> None:
    """Write the listing and totals of every stored alliance edge (schema 8)."""
    from sitroom.picture.codec import decode, encode
    from sitroom.picture.ledger import AllianceEdge
    from sitroom.store.picture_queries import edge_listing

    found = conn.execute("SELECT subject, predicate, object, record FROM picture_alliances")
    edges = [decode(AllianceEdge, r[3]) for r in found.fetchall()]
    conn.executemany(
        "UPDATE picture_alliances SET listing = ?, documents_total = ?, evidence_total = ? "
        "WHERE subject = ? AND predicate = ? AND object = ?",
        [
            (encode(edge_listing(e)), len(e.document_ids), len(e.evidence), e.subject,
             e.predicate, e.object)
            for e in edges
        ],
    )  # fmt: skip


def _fill_items(conn: Connection, *, batch: int = 500) -> None:
    """Write the listing item of every stored merged event (schema 9), ``batch`` at a time,
    from its summary, its documents' wire groups and its actors' names."""
    from sitroom.export.json_export import compact_json, listing_item
    from sitroom.picture.codec import decode
    from sitroom.picture.summary import EventSummary
    from sitroom.store.picture_queries import in_chunks

    last = ""
    while True:
        found = conn.execute(
            "SELECT id, summary FROM picture_events WHERE id > ? ORDER BY id LIMIT ?",
            (last, batch),
        ).fetchall()
        if not found:
            return
        summaries = [decode(EventSummary, r[1]) for r in found]
        documents = {d for e in summaries for d in e.document_ids}
        groups = {
            r[0]: r[1]
            for r in in_chunks(
                conn, "SELECT document_id, group_id FROM picture_sources WHERE document_id IN",
                documents,
            )
        }  # fmt: skip
        named = {a for e in summaries for a in (e.actor1, e.actor2) if a}
        names = {
            r[0]: r[1] for r in in_chunks(conn, "SELECT id, name FROM actors WHERE id IN", named)
        }
        conn.executemany(
            "UPDATE picture_events SET item = ? WHERE id = ?",
            [
                (compact_json(listing_item(e, groups, names)), r[0])
                for e, r in zip(summaries, found, strict=True)
            ],
        )
        last = found[-1][0]


# Steps that fill what a version's statements added from the stored records, by version.
_FILLS: dict[int, Callable[[Connection], None]] = {
    7: _fill_summaries,
    8: _fill_alliance_listings,
    9: _fill_items,
}


def _check_not_newer(current: int, target: int, *, path: str) -> None:
    if current > target:
        raise StoreError(
            f"{path}: schema version {current} is newer than this sitroom supports ({target})"
        )


def _statements(script: str) -> list[str]:
    """Split a migration script into complete SQL statements (semicolons in quotes are kept)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    # What is left is the empty tail after the last semicolon, or comments.
    return [s for s in statements if s.strip(" \n;")]
