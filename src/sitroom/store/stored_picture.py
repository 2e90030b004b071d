"""The cross-report picture kept in tables, brought up to date in the transaction of each save.

What ``sitroom.picture.build_ledger`` computes from every stored record, kept instead in the
``picture_*`` tables (schema version 5) and changed only where a new or re-analysed report
reaches:

- wire copies: a report's candidate copies are the reports sharing one of its prefix shingles
  or its text (indexed), and groups of copies are joined or, when a report leaves, split again;
- merged events: the merge visits events in publication order, and a group only changes when
  an event later in that order joins it. A report's events are merged in from the earliest
  visiting position it touches: every stored event from there on (none, for a report published
  after the rest) is taken out of its group and merged again, each trying only the groups that
  the stored blocking keys (type, place cell, date bucket; ``sitroom.picture.blocking``) find
  for it. A change to an actor's kind, name or parent re-merges from the first event naming it;
- field claims of the groups a report joins, or whose sources' wire groups changed;
- control timelines of the places (names and geonameids, closed under each other) it claims,
  and of places claimed by reports whose wire group changed;
- alliance edges it reports.

The result equals a rebuild from scratch (``rebuild``; tests/test_store_picture.py holds it to
that for any order of arrival).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sitroom.ids import content_id
from sitroom.picture.blocking import BlockIndex
from sitroom.picture.codec import decode, encode
from sitroom.picture.ledger import (
    DEFAULT_RULES,
    RULES_VERSION,
    ControlTimeline,
    FieldClaim,
    MergedEvent,
    MergeRules,
    fold_name,
)
from sitroom.picture.merge import (
    Levels,
    VisitKey,
    link_levels,
    merged_event,
)
from sitroom.picture.reconcile import (
    control_place_keys,
    control_timeline,
    copies,
    independent_sources,
    prefix_tokens,
    shingles_of,
    text_key,
)
from sitroom.records import Actor, ControlClaim, Document, Event
from sitroom.store import picture_queries as q
from sitroom.store import rows
from sitroom.store import stored_alliances as alliances
from sitroom.store.backend import Connection
from sitroom.store.group_rows import drop_group, write_blocks, write_group
from sitroom.store.held_groups import HeldGroup, HeldGroups
from sitroom.store.merge_update import MergeUpdate, member_key_rows

# The stored picture's tables (what `rebuild` empties and fills again).
PICTURE_TABLES = (
    "picture_sources",
    "picture_shingles",
    "picture_events",
    "picture_members",
    "picture_event_actors",
    "picture_claims",
    "picture_blocks",
    "picture_member_keys",
    "picture_control_keys",
    "picture_control",
    "picture_alliances",
    "picture_alliance_documents",
)


@dataclass(slots=True)
class _Group:
    """A merged event's members in visiting order and the levels linking them, while merging."""

    id: str
    visits: list[VisitKey]  # the members' visiting positions
    members: list[Event]
    levels: Levels | None
    # The stored claims of its first members, where the rest were appended (``merged_event``).
    claims: tuple[int, tuple[FieldClaim, ...]] | None = None


# -- updating --------------------------------------------------------------------------------


def update(
    conn: Connection,
    document_id: str,
    *,
    actors_changed: Collection[str] = (),
    actors_new: Collection[str] = (),
    rules: MergeRules = DEFAULT_RULES,
    held: HeldGroups | None = None,
) -> None:
    """Bring the stored picture up to date after ``document_id`` was stored, replaced or
    deleted (its rows in the picture tables are then stale), inside the caller's transaction.

    ``actors_changed``: actor ids whose canonical kind, name or parent the save changed;
    ``actors_new``: actor ids the store did not know before it; ``held``: keep the merged
    events changed in memory, for ``flush`` to write (``sitroom.store.held_groups``).
    Nothing is done to a picture built by other rules: it waits for ``rebuild``.
    """
    version = q.rules_version(conn)
    if version not in (RULES_VERSION, q.REBUILDING):
        if version is not None:
            return  # built by other rules: `sitroom rebuild` recomputes it all
        others = conn.execute("SELECT 1 FROM documents WHERE id != ? LIMIT 1", (document_id,))
        if others.fetchone() is not None:
            return  # reports stored before the picture was (schema 4): likewise
        q.set_rules(conn)  # the first report of an empty store starts the picture
    updater = _Updater(conn, rules, held)
    # An actor's lineage runs through its parents: its parts read differently too. A new actor
    # only lets the events naming it match more (sitroom.store.merge_update.MergeUpdate.named).
    new = set(actors_new)
    actors_changed = _with_parts(conn, set(actors_changed) | (_with_parts(conn, new) - new))
    changed_docs = updater.sources(document_id)
    groups = q.groups_lookup(conn)
    actors = q.actors_lookup(conn)
    touched = updater.merge(document_id, actors_changed, new, groups=groups, actors=actors)
    updater.refresh_groups_of(changed_docs - {document_id}, skip=touched, groups=groups)
    updater.control(document_id, changed_docs, actors_changed | new, groups=groups, actors=actors)
    if held is not None:  # the edges' relations are read once, when the held groups are written
        held.edges |= alliances.edges_of(conn, document_id)
    else:
        alliances.report_alliances(conn, document_id)
    q.next_generation(conn)


def _after(update: MergeUpdate, events: Iterable[Event]) -> bool:
    """Whether every event comes after the last one stored or held: deciding them then only
    appends to groups or starts new ones, re-deciding nothing stored."""
    last = update.last_stored()
    return last is None or all(update.visit(e) > last for e in events)


def _with_parts(conn: Connection, actor_ids: Collection[str]) -> set[str]:
    """The actors and every actor part of one of them (by ``parent``, transitively)."""
    family = set(actor_ids)
    frontier = set(actor_ids)
    while frontier:
        found = q.in_chunks(conn, "SELECT id FROM actors WHERE parent IN", frontier)
        frontier = {r[0] for r in found} - family
        family |= frontier
    return family


def clear(conn: Connection) -> None:
    """Empty the stored picture for ``rebuild_batch`` to fill (``q.REBUILDING`` until done)."""
    for table in PICTURE_TABLES:
        conn.execute(f"DELETE FROM {table}")
    q.set_rules(conn, q.REBUILDING)
    q.next_generation(conn)


# The order a rebuild brings the reports in: by publication, the undated last, then by id; the
# index ``documents_publication`` (schema 10) holds this expression, literally.
PUBLICATION_ORDER = f"coalesce(published, '{dt.date.max.isoformat()}')"


@dataclass(frozen=True)
class RebuildStep:
    """What one ``rebuild_batch`` did: the reports brought in and the publication key
    (``PUBLICATION_ORDER``, id) of the last, for the next batch to start after."""

    count: int
    last: tuple[str, str] | None


def rebuild_batch(
    conn: Connection, limit: int, after: tuple[str, str] | None = None
) -> RebuildStep:
    """Bring up to ``limit`` stored reports that the picture lacks into it, earliest published
    first, through ``update``; how many, and the last one's key. None left: the picture is
    whole, and marked as built by these rules.

    ``after``: the key of the last report the previous batch brought in; the reports the picture
    lacks before it were brought in by saves since (whose updates take them in while a rebuild
    runs), so the batch reads the next reports as a range of ``documents_publication`` from
    there. None (a rebuild's first batch, or one resumed): from the first document.

    The picture of the reports brought in so far is the one ``update`` gives for any order of
    arrival; in publication order a report follows every event already merged, so it decides
    its own events only (no re-decisions), and the merged events it changes are held in
    memory and written once at the batch's end (``sitroom.store.held_groups``). The actors are
    the stored ones throughout."""
    start = "" if after is None else f"AND ({PUBLICATION_ORDER}, id) > (?, ?) "
    found = conn.execute(
        f"SELECT id, {PUBLICATION_ORDER} FROM documents d WHERE NOT EXISTS "
        "(SELECT 1 FROM picture_sources s WHERE s.document_id = d.id) "
        f"{start}ORDER BY {PUBLICATION_ORDER}, id LIMIT ?",
        (*(after or ()), limit),
    ).fetchall()
    held = HeldGroups(BlockIndex(DEFAULT_RULES), rebuilding=True)
    for document_id, _ in found:
        update(conn, document_id, held=held)
    flush(conn, held)
    if not found:
        q.set_rules(conn)
        q.next_generation(conn)
        return RebuildStep(0, after)
    return RebuildStep(len(found), (str(found[-1][1]), str(found[-1][0])))


def flush(conn: Connection, held: HeldGroups, rules: MergeRules = DEFAULT_RULES) -> None:
    """Write the held merged events, each once, with the wire groups and actors stored now,
    and the alliance edges the held updates reached."""
    _Updater(conn, rules, held).flush(groups=q.groups_lookup(conn), actors=q.actors_lookup(conn))


class _Updater:
    """The steps of ``update``, over one connection inside one transaction."""

    def __init__(self, conn: Connection, rules: MergeRules, held: HeldGroups | None) -> None:
        self._conn = conn
        self._rules = rules
        self._index = BlockIndex(rules)
        self._held = held

    @property
    def index(self) -> BlockIndex:
        """The blocking keys' rules."""
        return self._index

    # -- wire copies -------------------------------------------------------------------------

    def sources(self, document_id: str) -> set[str]:
        """Regroup the copies of a stored, replaced or deleted document; the documents whose
        group changed."""
        conn = self._conn
        before: dict[str, str] = {}
        old = conn.execute(
            "SELECT group_id FROM picture_sources WHERE document_id = ?", (document_id,)
        ).fetchone()
        pool: set[str] = set()
        if old is not None:  # replaced or deleted: the rest of its old group may fall apart
            pool.update(self._members_of({old[0]}))
            conn.execute("DELETE FROM picture_sources WHERE document_id = ?", (document_id,))
            conn.execute("DELETE FROM picture_shingles WHERE document_id = ?", (document_id,))
        document = q.document(conn, document_id)
        if document is not None:
            partners = self._copies_of(document)
            self.add_source(document, document.id)
            pool.add(document.id)
            if partners:
                groups = q.in_chunks(
                    conn,
                    "SELECT DISTINCT group_id FROM picture_sources WHERE document_id IN",
                    partners,
                )
                pool.update(self._members_of({r[0] for r in groups}))
        for row in q.in_chunks(
            conn, "SELECT document_id, group_id FROM picture_sources WHERE document_id IN", pool
        ):
            before[row[0]] = row[1]
        docs = [d for d in (q.document(conn, i) for i in sorted(pool)) if d is not None]
        regrouped = independent_sources(docs, rules=self._rules)
        changed = {document_id}
        for doc_id, group in regrouped.items():
            if before.get(doc_id) != group:
                changed.add(doc_id)
                conn.execute(
                    "UPDATE picture_sources SET group_id = ? WHERE document_id = ?", (group, doc_id)
                )
        return changed

    def _members_of(self, groups: Collection[str]) -> set[str]:
        found = q.in_chunks(
            self._conn, "SELECT document_id FROM picture_sources WHERE group_id IN", groups
        )
        return {r[0] for r in found}

    def _copies_of(self, document: Document) -> set[str]:
        """Stored documents that are copies of ``document`` (itself not yet in the tables)."""
        own = shingles_of(document.text, self._rules)
        found = {
            r[0]
            for r in self._conn.execute(
                "SELECT document_id FROM picture_sources WHERE text_key = ?",
                (content_id("text", text_key(document.text)),),
            )
        }
        candidates = q.in_chunks(
            self._conn,
            "SELECT DISTINCT document_id FROM picture_shingles WHERE token IN",
            prefix_tokens(own, self._rules),
        )
        for (other,) in candidates:
            theirs = q.document(self._conn, other)
            if theirs is not None and copies(
                own, shingles_of(theirs.text, self._rules), self._rules
            ):
                found.add(other)
        found.discard(document.id)
        return found

    def add_source(self, document: Document, group: str) -> None:
        """Register a document, its text key and prefix shingles, in wire-copy group ``group``."""
        self._conn.execute(
            "INSERT INTO picture_sources (document_id, group_id, published, text_key) "
            "VALUES (?, ?, ?, ?)",
            (
                document.id,
                group,
                rows.iso(document.published),
                content_id("text", text_key(document.text)),
            ),
        )
        tokens = prefix_tokens(shingles_of(document.text, self._rules), self._rules)
        self._conn.executemany(
            "INSERT INTO picture_shingles (token, document_id) VALUES (?, ?)",
            ((t, document.id) for t in tokens),
        )

    # -- merged events -----------------------------------------------------------------------

    def merge(
        self,
        document_id: str,
        actors_changed: Collection[str],
        actors_new: Collection[str],
        *,
        groups: Mapping[str, str],
        actors: Mapping[str, Actor],
    ) -> set[str]:
        """Merge the document's events in (and its old ones out); the merged ids written."""
        conn = self._conn
        new = q.events_where(conn, "SELECT * FROM events WHERE document_id = ?", (document_id,))
        old = conn.execute(
            f"SELECT {q.VISIT_COLUMNS} FROM picture_members WHERE document_id = ?", (document_id,)
        ).fetchall()
        ids = {e.id for e in new}
        gone = [(q.visit_of_row(r), r[3]) for r in old if r[3] not in ids]
        for event_id in ids | {r[3] for r in old}:
            conn.execute("DELETE FROM picture_member_keys WHERE event_id = ?", (event_id,))
        conn.executemany(
            "INSERT INTO picture_member_keys (key, event_id) VALUES (?, ?)",
            member_key_rows(self._index, new),
        )
        held = self._held
        update = MergeUpdate(conn, self._rules, actors, held=held)
        if held is not None and (old or actors_changed or actors_new or not _after(update, new)):
            self.flush(groups=groups, actors=actors)  # then decide on the tables, as a save
            held = None
            update = MergeUpdate(conn, self._rules, actors)
        start = self._first_naming(actors_changed)
        if start is not None:
            update.again_from(start)
        update.named(actors_new, skip_document=document_id)
        update.run(new, gone)
        final = update.final_ids()
        for handle, merged_id in final.items():
            if held is not None:
                held.drop(handle)
            elif merged_id != handle:  # gone, or stored under another id: its rows go
                drop_group(conn, handle)
        written = set()
        for handle, merged_id in sorted(final.items()):
            if merged_id is None:
                continue
            ordered = update.groups[handle].ordered()
            members = [e for _, e in ordered]
            known, levels = update.levels(handle)
            if not known:
                levels = link_levels(members, actors=actors, rules=self._rules)
            if held is not None:
                held.put(merged_id, HeldGroup(ordered, levels))
            else:
                self._write_work(
                    _Group(
                        merged_id, [v for v, _ in ordered], members, levels, update.claims(handle)
                    ),
                    groups=groups,
                    actors=actors,
                )
                write_blocks(conn, self._index, merged_id, members[0])
            written.add(merged_id)
        return written

    def flush(self, *, groups: Mapping[str, str], actors: Mapping[str, Actor]) -> None:
        """Write the held merged events (and delete the rows of those gone), each once."""
        if self._held is None:
            return
        edges = self._held.edges
        if self._held.rebuilding:
            edges = {e for e in edges if not alliances.edge_stored(self._conn, e)}
        alliances.recompute(self._conn, edges)
        self._held.edges = set()
        if not self._held:
            return
        taken, dropped = self._held.take()
        for merged_id in sorted(dropped):
            drop_group(self._conn, merged_id)
        for merged_id, group in sorted(taken.items()):
            members = [e for _, e in group.members]
            self._write_work(
                _Group(merged_id, [v for v, _ in group.members], members, group.levels),
                groups=groups,
                actors=actors,
            )
            write_blocks(self._conn, self._index, merged_id, members[0])

    def _first_naming(self, family: Collection[str]) -> VisitKey | None:
        """The visiting position of the first stored member naming one of the actors."""
        keys = [
            q.visit_of_row(r)
            for r in q.in_chunks(
                self._conn,
                f"SELECT {q.VISIT_COLUMNS} FROM picture_members WHERE event_id IN "
                "(SELECT event_id FROM event_actors WHERE actor_id IN",
                family,
                close=")",
            )
        ]
        return min(keys, default=None)

    def _load(self, merged_id: str) -> _Group | None:
        row = self._conn.execute(
            "SELECT record FROM picture_events WHERE id = ?", (merged_id,)
        ).fetchone()
        if row is None:
            return None
        merged = decode(MergedEvent, row[0])
        levels = dict(x.split(":", 1) for x in merged.merged_on) if merged.merged_on else None
        visits = q.member_visits(self._conn, merged_id)
        return _Group(
            merged_id, [visits[m.id] for m in merged.members], list(merged.members), levels
        )

    def _write_work(
        self, group: _Group, *, groups: Mapping[str, str], actors: Mapping[str, Actor]
    ) -> None:
        merged = merged_event(
            group.members,
            group.levels,
            groups=groups,
            actors=actors,
            rules=self._rules,
            known_claims=group.claims,
        )
        write_group(self._conn, merged, group.visits, groups=groups, actors=actors)

    def refresh_groups_of(
        self, document_ids: Collection[str], *, skip: Collection[str], groups: Mapping[str, str]
    ) -> None:
        """Recompute the claims of merged events told by documents whose wire group changed."""
        found = q.in_chunks(
            self._conn, "SELECT DISTINCT merged_id FROM picture_members WHERE document_id IN",
            document_ids,
        )  # fmt: skip
        actors = q.actors_lookup(self._conn)
        for merged_id in sorted({r[0] for r in found} - set(skip)):
            if self._held is not None and self._held.covers(merged_id):
                continue  # written when the held groups are, with the groups of then
            group = self._load(merged_id)
            if group is not None:
                self._write_work(group, groups=groups, actors=actors)

    # -- control -------------------------------------------------------------------------------

    def control(
        self,
        document_id: str,
        changed_docs: Collection[str],
        actors_changed: Collection[str],
        *,
        groups: Mapping[str, str],
        actors: Mapping[str, Actor],
    ) -> None:
        """Recompute the control timelines of every place the document's claims (old and new),
        the claims of regrouped documents and the claims of changed actors could reach."""
        conn = self._conn
        seeds = q.in_chunks(
            conn, "SELECT name, geonameid FROM picture_control_keys WHERE document_id IN",
            changed_docs,
        ).fetchall()  # fmt: skip
        old_keys = {r[0] for r in conn.execute(
            "SELECT place_key FROM picture_control_keys WHERE document_id = ?", (document_id,)
        )}  # fmt: skip
        conn.execute("DELETE FROM picture_control_keys WHERE document_id = ?", (document_id,))
        fresh = q.control_claims(conn, "document_id = ?", (document_id,))
        self.write_control(fresh, ())
        by_actor = q.in_chunks(
            conn, "SELECT location_name, geonameid FROM control WHERE controller IN", actors_changed
        ).fetchall()  # fmt: skip
        names = {fold_name(r[0]) for r in (*seeds, *by_actor)}
        names |= {fold_name(c.place.name) for _, c in fresh}
        gids = {r[1] for r in (*seeds, *by_actor) if r[1] is not None}
        gids |= {c.place.geonameid for _, c in fresh if c.place.geonameid is not None}
        ids: set[int] = set()
        while True:  # close: a name's claims reach their geonameids' claims, and back
            found = set(q.in_chunks(
                conn, "SELECT control_id, name, geonameid FROM picture_control_keys "
                "WHERE name IN", names,
            ).fetchall()) | set(q.in_chunks(
                conn, "SELECT control_id, name, geonameid FROM picture_control_keys "
                "WHERE geonameid IN", gids,
            ).fetchall())  # fmt: skip
            more_names = {r[1] for r in found} - names
            more_gids = {r[2] for r in found if r[2] is not None} - gids
            ids = {r[0] for r in found}
            if not more_names and not more_gids:
                break
            names |= more_names
            gids |= more_gids
        old_keys |= {r[0] for r in q.in_chunks(
            conn, "SELECT DISTINCT place_key FROM picture_control_keys WHERE control_id IN", ids
        )}  # fmt: skip
        pool = q.control_claims(conn, None, ids=sorted(ids))
        timelines = control_timeline([c for _, c in pool], groups=groups, actors=actors,
                                     rules=self._rules)  # fmt: skip
        for key in old_keys:
            conn.execute("DELETE FROM picture_control WHERE place_key = ?", (key,))
        self.write_control(pool, timelines)

    def write_control(
        self, claims: Sequence[tuple[int, ControlClaim]], timelines: Iterable[ControlTimeline]
    ) -> None:
        """Store timelines and the place key of each claim (id, claim) they were built from."""
        conn = self._conn
        keys = control_place_keys([c for _, c in claims])
        conn.executemany(
            "INSERT INTO picture_control_keys (control_id, document_id, name, geonameid, "
            "place_key) VALUES (?, ?, ?, ?, ?) ON CONFLICT (control_id) DO UPDATE SET "
            "place_key = excluded.place_key",
            (
                (i, q.control_document(conn, i), fold_name(c.place.name), c.place.geonameid, key)
                for (i, c), key in zip(claims, keys, strict=True)
            ),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO picture_control (place_key, record) VALUES (?, ?) "
            "ON CONFLICT (place_key) DO UPDATE SET record = excluded.record",
            ((t.key, encode(t)) for t in timelines),
        )
