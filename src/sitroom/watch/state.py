"""What a watch keeps in the database so that a restarted one carries on: sources added from the
command line, validators per URL, URLs already taken, failures, polls and the changes found."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sitroom.errors import ConfigError
from sitroom.store import Store
from sitroom.watch.sources import Source


@dataclass(frozen=True, slots=True)
class Change:
    """One thing that changed in the picture between two polls."""

    kind: str  # one of changes.CHANGE_KINDS
    key: str  # what changed: a merged event, a place, an actor, ...
    summary: str  # one line for the terminal and the page
    detail: dict[str, Any]
    document_ids: tuple[str, ...] = ()  # the reports behind it
    id: int | None = None  # its row, once stored
    at: str | None = None  # ISO time of the poll that found it


def now_iso(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def since_iso(value: str) -> str:
    """An ISO date or time (UTC unless it says) as the change log writes times; ValueError
    for anything else."""
    try:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return now_iso(moment)
    except OverflowError as e:
        raise ValueError(str(e)) from e


# -- sources --------------------------------------------------------------------------------


def add_source(store: Store, source: Source, *, now: dt.datetime) -> None:
    """Follow ``source`` from now on; a name already followed is an error."""
    with store.state(write=True) as conn:
        if conn.execute("SELECT 1 FROM watch_sources WHERE name = ?", (source.name,)).fetchone():
            raise ConfigError(f"a source named {source.name!r} is already followed")
        conn.execute(
            "INSERT INTO watch_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
            (source.name, source.kind, source.location, source.language, source.country,
             source.interval_s, now_iso(now)),
        )  # fmt: skip


def remove_source(store: Store, name: str) -> bool:
    """Stop following the source ``name``; False if none is followed by that name."""
    with store.state(write=True) as conn:
        gone = conn.execute("DELETE FROM watch_sources WHERE name = ?", (name,)).rowcount
        conn.execute("DELETE FROM watch_state WHERE source = ?", (name,))
    return bool(gone)


def stored_sources(store: Store) -> list[Source]:
    """The sources added with ``sitroom sources add``, by name."""
    with store.state() as conn:
        rows = conn.execute("SELECT * FROM watch_sources ORDER BY name").fetchall()
    return [
        Source(r["name"], r["kind"], r["location"], r["language"], r["country"], r["interval_s"])
        for r in rows
    ]


# -- per-source state -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceState:
    """When a source was last polled, when it is due, and its run of failures."""

    last_poll: str | None = None
    next_poll: str | None = None
    failures: int = 0
    last_error: str | None = None


def source_states(store: Store) -> dict[str, SourceState]:
    with store.state() as conn:
        rows = conn.execute("SELECT * FROM watch_state").fetchall()
    return {
        r["source"]: SourceState(r["last_poll"], r["next_poll"], r["failures"], r["last_error"])
        for r in rows
    }


def record_poll(
    store: Store,
    source: str,
    *,
    now: dt.datetime,
    next_poll: dt.datetime,
    errors: Sequence[tuple[str | None, str]] = (),
) -> None:
    """A source's poll is over: when it is next due, and what went wrong ((url, message))."""
    with store.state(write=True) as conn:
        failed = bool(errors)
        conn.execute(
            "INSERT INTO watch_state (source, last_poll, next_poll, failures, last_error) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO UPDATE SET "
            "last_poll = excluded.last_poll, next_poll = excluded.next_poll, "
            "failures = CASE WHEN ? THEN watch_state.failures + 1 ELSE 0 END, "
            "last_error = excluded.last_error",
            (source, now_iso(now), now_iso(next_poll), int(failed),
             errors[-1][1] if failed else None, failed),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO watch_errors (at, source, url, message) VALUES (?, ?, ?, ?)",
            [(now_iso(now), source, url, message) for url, message in errors],
        )


def validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """The (ETag, Last-Modified) last seen for ``url``."""
    with store.state() as conn:
        row = conn.execute("SELECT * FROM watch_validators WHERE url = ?", (url,)).fetchone()
    return (None, None) if row is None else (row["etag"], row["last_modified"])


def save_validators(store: Store, url: str, etag: str | None, last_modified: str | None) -> None:
    with store.state(write=True) as conn:
        conn.execute(
            "INSERT INTO watch_validators VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
            "etag = excluded.etag, last_modified = excluded.last_modified",
            (url, etag, last_modified),
        )


def seen_urls(store: Store, urls: Iterable[str]) -> set[str]:
    """Those of ``urls`` already taken (stored, or a copy of a stored report)."""
    wanted = list(urls)
    found: set[str] = set()
    with store.state() as conn:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in conn.execute(f"SELECT url FROM watch_seen WHERE url IN ({marks})", chunk)
            )
    return found


def mark_seen(
    store: Store, url: str, *, source: str, document_id: str | None, now: dt.datetime
) -> None:
    with store.state(write=True) as conn:
        conn.execute(
            "INSERT OR IGNORE INTO watch_seen VALUES (?, ?, ?, ?)",
            (url, source, document_id, now_iso(now)),
        )


# -- polls and changes ------------------------------------------------------------------------


def last_snapshot(store: Store) -> dict[str, Any] | None:
    """The ledger snapshot stored after the last poll, or None before the first."""
    with store.state() as conn:
        row = conn.execute("SELECT snapshot FROM watch_polls ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else dict(json.loads(row[0]))


def save_poll(
    store: Store,
    *,
    now: dt.datetime,
    document_ids: Sequence[str],
    snapshot: dict[str, Any],
    changes: Sequence[Change],
) -> list[Change]:
    """Store a poll's snapshot and the changes it found; return them with their ids. Only
    the latest snapshot is needed, so older ones are emptied."""
    at = now_iso(now)
    out: list[Change] = []
    with store.state(write=True) as conn:
        conn.execute("UPDATE watch_polls SET snapshot = '{}' WHERE snapshot != '{}'")
        poll = conn.execute(
            "INSERT INTO watch_polls (at, documents, snapshot) VALUES (?, ?, ?)",
            (at, json.dumps(list(document_ids)), json.dumps(snapshot, sort_keys=True)),
        ).lastrowid
        for change in changes:
            row = conn.execute(
                "INSERT INTO watch_changes "
                "(poll_id, at, kind, key, summary, detail, document_ids) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (poll, at, change.kind, change.key, change.summary,
                 json.dumps(change.detail, sort_keys=True), json.dumps(change.document_ids)),
            )  # fmt: skip
            out.append(_with(change, row.lastrowid, at))
    return out


def changes_since(
    store: Store, *, since: str | None = None, after_id: int = 0, limit: int = 500
) -> list[Change]:
    """Changes found at or after the ISO time ``since`` and with an id above ``after_id``,
    oldest first."""
    query = "SELECT * FROM watch_changes WHERE id > ?"
    params: list[Any] = [after_id]
    if since is not None:
        query += " AND at >= ?"
        params.append(since)
    query += " ORDER BY id LIMIT ?"
    params.append(limit)
    with store.state() as conn:
        rows = conn.execute(query, params).fetchall()
    return [
        Change(
            kind=r["kind"],
            key=r["key"],
            summary=r["summary"],
            detail=json.loads(r["detail"]),
            document_ids=tuple(json.loads(r["document_ids"])),
            id=r["id"],
            at=r["at"],
        )
        for r in rows
    ]


def _with(change: Change, row_id: int | None, at: str) -> Change:
    return Change(change.kind, change.key, change.summary, change.detail,
                  change.document_ids, row_id, at)  # fmt: skip


def change_json(change: Change) -> dict[str, Any]:
    """A change as the API and the alert file write it."""
    return {
        "id": change.id,
        "at": change.at,
        "kind": change.kind,
        "key": change.key,
        "summary": change.summary,
        "detail": change.detail,
        "document_ids": list(change.document_ids),
    }
